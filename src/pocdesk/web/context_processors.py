def navigation(request):
    """Placeholder; the web interface fills in the navigation."""
    return {}
