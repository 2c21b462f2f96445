from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TimeboxConfig(AppConfig):
    name = "pocdesk.timebox"
    label = "timebox"
    verbose_name = _("Timebox and milestones")

    def ready(self) -> None:
        from . import services  # noqa: F401 - registers the event verbs
