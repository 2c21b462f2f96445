from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "pocdesk.insights"
    label = "insights"
    verbose_name = _("Insights: win probability and prioritisation")

    def ready(self) -> None:
        from . import evaluation  # noqa: F401 - registers the evaluation job and its event verb
