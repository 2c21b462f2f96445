"""Production refuses demo accounts that still have the demo password."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


def demo_password_users() -> list[str]:
    from django.contrib.auth import get_user_model

    from pocdesk.demo.people import DEMO_USERNAMES

    users = get_user_model().objects.filter(username__in=DEMO_USERNAMES, is_active=True)
    return [user.username for user in users if user.check_password(settings.POCDESK_DEMO_PASSWORD)]


@checks.register(checks.Tags.security, deploy=True)
def check_demo_passwords(app_configs=None, databases=None, **kwargs):
    if settings.POCDESK_ALLOW_DEMO or not databases:
        return []
    try:
        usernames = demo_password_users()
    except Exception:  # noqa: BLE001 - no database yet: nothing to check
        return []
    if usernames:
        return [checks.Error(
            f"Demo accounts still use the demo password: {', '.join(usernames)}.",
            hint="Change their passwords or deactivate them before serving in production.",
            id="pocdesk.E001",
        )]
    return []


def refuse_demo_passwords() -> None:
    if settings.POCDESK_ALLOW_DEMO:
        return
    usernames = demo_password_users()
    if usernames:
        raise ImproperlyConfigured(
            f"Refusing to start: demo accounts still use the demo password: {', '.join(usernames)}."
        )
