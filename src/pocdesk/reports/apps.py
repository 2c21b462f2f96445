from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "pocdesk.reports"
    label = "reports"
    verbose_name = _("Reports and documents")

    def ready(self) -> None:
        # The weekly and the final report register their document kinds (and the weekly its
        # event verb).
        from . import final_document, weekly_document, weekly_send  # noqa: F401
