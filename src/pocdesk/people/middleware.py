from django.utils import timezone, translation


class UserPreferencesMiddleware:
    """Activate the signed-in user's language and time zone from their profile."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            from .models import Profile

            try:
                profile = user.profile
            except Profile.DoesNotExist:
                profile = None
            if profile is not None:
                translation.activate(profile.language)
                request.LANGUAGE_CODE = translation.get_language()
                try:
                    timezone.activate(profile.time_zone)
                except Exception:  # noqa: BLE001 - an unknown zone falls back to UTC
                    timezone.deactivate()
        response = self.get_response(request)
        timezone.deactivate()
        return response
