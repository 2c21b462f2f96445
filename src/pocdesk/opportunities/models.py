from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pocdesk.core.reference import validate_currency_code


class Stage(models.TextChoices):
    PROSPECTING = "prospecting", _("Prospecting")
    QUALIFICATION = "qualification", _("Qualification")
    EVALUATION = "evaluation", _("Technical evaluation")
    PROPOSAL = "proposal", _("Proposal")
    NEGOTIATION = "negotiation", _("Negotiation")
    CLOSED_WON = "closed_won", _("Closed won")
    CLOSED_LOST = "closed_lost", _("Closed lost")


CLOSED_STAGES = {Stage.CLOSED_WON, Stage.CLOSED_LOST}


class Source(models.TextChoices):
    INBOUND = "inbound", _("Inbound")
    OUTBOUND = "outbound", _("Outbound")
    PARTNER = "partner", _("Partner")
    REFERRAL = "referral", _("Referral")
    TENDER = "tender", _("Public tender")
    EXISTING_CUSTOMER = "existing_customer", _("Existing customer")
    TRADE_SHOW = "trade_show", _("Trade show")
    OTHER = "other", _("Other")


class CompetitorPosition(models.TextChoices):
    AHEAD = "ahead", _("We are ahead")
    LEVEL = "level", _("Level")
    BEHIND = "behind", _("We are behind")
    UNKNOWN = "unknown", _("Unknown")


class PurchaseProcess(models.TextChoices):
    NONE = "none", _("No documented process")
    RFP = "rfp", _("Request for proposal (RFP)")
    RFQ = "rfq", _("Request for quotation (RFQ)")
    TENDER = "tender", _("Tender")
    WRITTEN_PLAN = "written_plan", _("Written purchase plan")


class ExchangeRate(models.Model):
    """Admin-maintained rates; an opportunity copies the rate in force when it is entered."""

    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency_code])
    reporting_currency = models.CharField(_("reporting currency"), max_length=3,
                                          validators=[validate_currency_code])
    rate = models.DecimalField(_("rate"), max_digits=18, decimal_places=8,
                               validators=[MinValueValidator(Decimal("0.00000001"))],
                               help_text=_("Units of the reporting currency for one unit of the currency."))
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["currency", "reporting_currency", "-valid_from"]
        constraints = [models.UniqueConstraint(fields=["currency", "reporting_currency", "valid_from"],
                                               name="unique_rate_per_day")]

    def __str__(self) -> str:
        return f"1 {self.currency} = {self.rate} {self.reporting_currency} ({self.valid_from})"


class Opportunity(models.Model):
    """The deal a POC serves."""

    team = models.ForeignKey("people.Team", verbose_name=_("team"), on_delete=models.PROTECT,
                             related_name="opportunities")
    account = models.ForeignKey("accounts.Account", verbose_name=_("account"),
                                on_delete=models.PROTECT, related_name="opportunities")
    name = models.CharField(_("name"), max_length=200)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2,
                                 validators=[MinValueValidator(Decimal("0"))])
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency_code])
    exchange_rate = models.DecimalField(
        _("exchange rate"), max_digits=18, decimal_places=8,
        validators=[MinValueValidator(Decimal("0.00000001"))],
        help_text=_("Units of the team's reporting currency for one unit of the deal's currency, "
                    "fixed when the amount is entered."),
    )
    expected_close_date = models.DateField(_("expected close date"))
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices,
                             default=Stage.QUALIFICATION)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"),
                              on_delete=models.PROTECT, related_name="owned_opportunities")
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, blank=True)
    description = models.TextField(_("description"), blank=True)
    # Qualification (§4): is there a real deal behind the POC?
    purchase_process = models.CharField(_("purchasing process"), max_length=20,
                                        choices=PurchaseProcess.choices,
                                        default=PurchaseProcess.NONE)
    purchase_reference = models.CharField(_("purchasing process reference"), max_length=200,
                                          blank=True, help_text=_("e.g. the RFP or tender number."))
    purchase_document = models.ForeignKey(
        "core.StoredFile", verbose_name=_("purchasing process document"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+")
    budget_confirmed = models.BooleanField(_("budget confirmed"), default=False)
    budget_amount = models.DecimalField(_("budget amount"), max_digits=16, decimal_places=2,
                                        null=True, blank=True,
                                        validators=[MinValueValidator(Decimal("0"))])
    budget_confirmed_by = models.CharField(_("budget confirmed by"), max_length=120, blank=True,
                                           help_text=_("Who at the customer confirmed it."))
    budget_confirmed_on = models.DateField(_("budget confirmed on"), null=True, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    nda_signed = models.BooleanField(_("NDA signed"), default=False)
    nda_reference = models.CharField(_("NDA reference"), max_length=200, blank=True)
    # The engineer's red-flag observations.
    customer_evasive = models.BooleanField(
        _("customer evasive on budget or process"), default=False)
    free_production_use = models.BooleanField(
        _("requested scope amounts to free production use"), default=False)
    red_flag_notes = models.TextField(_("red-flag notes"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        ordering = ["expected_close_date", "name"]
        indexes = [models.Index(fields=["team", "stage"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.stage not in CLOSED_STAGES

    @property
    def amount_in_reporting_currency(self) -> Decimal:
        return (self.amount * self.exchange_rate).quantize(Decimal("0.01"))


class Competitor(models.Model):
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE,
                                    related_name="competitors", verbose_name=_("opportunity"))
    name = models.CharField(_("name"), max_length=120)
    position = models.CharField(_("our position"), max_length=10,
                                choices=CompetitorPosition.choices,
                                default=CompetitorPosition.UNKNOWN)

    class Meta:
        verbose_name = _("competitor")
        verbose_name_plural = _("competitors")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["opportunity", "name"],
                                               name="unique_competitor_per_opportunity")]

    def __str__(self) -> str:
        return self.name


class CloseDatePush(models.Model):
    """Each change of the expected close date: "time kills all deals"."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE,
                                    related_name="close_date_pushes", verbose_name=_("opportunity"))
    from_date = models.DateField(_("from"))
    to_date = models.DateField(_("to"))
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    pushed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("changed by"),
                                  null=True, on_delete=models.SET_NULL, related_name="+")
    pushed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("close-date change")
        verbose_name_plural = _("close-date changes")
        ordering = ["-pushed_at"]

    def __str__(self) -> str:
        return f"{self.from_date} → {self.to_date}"

    @property
    def days(self) -> int:
        return (self.to_date - self.from_date).days
