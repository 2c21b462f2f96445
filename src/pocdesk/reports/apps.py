from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "pocdesk.reports"
    label = "reports"
    verbose_name = _("Reports and documents")

    def ready(self) -> None:
        # The weekly report registers its document kind and its event verb.
        from . import weekly_document, weekly_send  # noqa: F401
