from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "pocdesk.governance"
    label = "governance"
    verbose_name = _("Governance: meetings and action items")

    def ready(self) -> None:
        from . import services  # noqa: F401 - registers the event verbs
