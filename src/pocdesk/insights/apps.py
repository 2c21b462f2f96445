from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "pocdesk.insights"
    label = "insights"
    verbose_name = _("Insights: win probability and prioritisation")

    def ready(self) -> None:
        # Jobs and event verbs register on import.
        from . import assessments, evaluation, history, scoring  # noqa: F401
