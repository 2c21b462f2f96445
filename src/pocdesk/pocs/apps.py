from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PocsConfig(AppConfig):
    name = "pocdesk.pocs"
    label = "pocs"
    verbose_name = _("Proofs of concept")
