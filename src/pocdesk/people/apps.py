from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "pocdesk.people"
    label = "people"
    verbose_name = _("People and teams")

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the deploy check
