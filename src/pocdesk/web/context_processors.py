from functools import cache


def navigation(request):
    """The section being shown, the signed-in user's teams, and whether they may sell.

    `can_sell` only hides buttons that would lead to a refusal; the services still decide.
    """
    match = getattr(request, "resolver_match", None)
    url_name = (match.url_name or "") if match is not None else ""
    section = next((name for name in ("poc", "opportunity", "account")
                    if url_name.startswith(f"{name}_")), "home" if url_name == "home" else "")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_section": section, "nav_teams": (), "can_sell": False}
    teams = user.teams.all()

    @cache
    def can_sell() -> bool:
        permission = "pocdesk.edit_commercial"
        return user.has_perm(permission) or any(user.has_perm(permission, team) for team in teams)

    return {"nav_section": section, "nav_teams": teams, "can_sell": can_sell}
