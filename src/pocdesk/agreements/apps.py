from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "pocdesk.agreements"
    label = "agreements"
    verbose_name = _("Agreements")

    def ready(self) -> None:
        from . import documents  # noqa: F401 - registers the agreement as a signed plan document
