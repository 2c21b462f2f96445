from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CriteriaConfig(AppConfig):
    name = "pocdesk.criteria"
    label = "criteria"
    verbose_name = _("Success criteria")

    def ready(self) -> None:
        from . import (
            documents,  # noqa: F401 - registers the criteria as a signed plan document
            gate,  # noqa: F401 - registers the success_criteria gate check
        )
