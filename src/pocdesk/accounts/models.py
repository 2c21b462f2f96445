from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pocdesk.core.reference import country_name, validate_country_code, validate_currency_code


class CompanySize(models.TextChoices):
    SMALL = "small", _("Small (under 50)")
    MEDIUM = "medium", _("Medium (50–999)")
    LARGE = "large", _("Large (1,000–9,999)")
    ENTERPRISE = "enterprise", _("Enterprise (10,000+)")


class Account(models.Model):
    """A customer company."""

    team = models.ForeignKey("people.Team", verbose_name=_("team"), on_delete=models.PROTECT,
                             related_name="accounts")
    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=2, blank=True,
                               validators=[validate_country_code],
                               help_text=_("ISO 3166 code, e.g. FR, CN, US."))
    industry = models.CharField(_("industry"), max_length=120, blank=True)
    size = models.CharField(_("size"), max_length=16, choices=CompanySize.choices, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="EUR",
                                validators=[validate_currency_code])
    website = models.URLField(_("website"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["team", "name"], name="unique_account_per_team")]

    def __str__(self) -> str:
        return self.name

    @property
    def country_name(self) -> str:
        return country_name(self.country)
