from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExecutionConfig(AppConfig):
    name = "pocdesk.execution"
    label = "execution"
    verbose_name = _("Execution: measurements, evidence and log")

    def ready(self) -> None:
        from . import series, services  # noqa: F401 - registers the event verbs
