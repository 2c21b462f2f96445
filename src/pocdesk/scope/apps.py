from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScopeConfig(AppConfig):
    name = "pocdesk.scope"
    label = "scope"
    verbose_name = _("Scope changes and commitments")

    def ready(self) -> None:
        from . import services  # noqa: F401 - registers the event verbs
