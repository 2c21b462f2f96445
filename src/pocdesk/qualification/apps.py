from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualificationConfig(AppConfig):
    name = "pocdesk.qualification"
    label = "qualification"
    verbose_name = _("Qualification")

    def ready(self) -> None:
        from . import (
            checks,  # noqa: F401 - registers the gate's own checks first, in order
            guards,  # noqa: F401 - registers the draft → qualified guard
        )
