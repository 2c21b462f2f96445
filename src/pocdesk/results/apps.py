from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "pocdesk.results"
    label = "results"
    verbose_name = _("Results: closing, retrospective, cost and ROI")

    def ready(self) -> None:
        from . import guards, services  # noqa: F401 - registers the close guard and event verbs
