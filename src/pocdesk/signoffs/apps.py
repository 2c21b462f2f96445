from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignoffsConfig(AppConfig):
    name = "pocdesk.signoffs"
    label = "signoffs"
    verbose_name = _("Sign-off")

    def ready(self) -> None:
        from . import guards  # noqa: F401 - registers the qualified → agreed guard
