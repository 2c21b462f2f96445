from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Side(models.TextChoices):
    CUSTOMER = "customer", _("Customer")
    VENDOR = "vendor", _("Vendor")


class StakeholderRole(models.TextChoices):
    EXECUTIVE_SPONSOR = "executive_sponsor", _("Economic buyer / executive sponsor")
    CHAMPION = "champion", _("Champion")
    TECHNICAL_EVALUATOR = "technical_evaluator", _("Technical evaluator")
    BUSINESS_USER = "business_user", _("Business user")
    PROCUREMENT = "procurement", _("Procurement")
    LEGAL = "legal", _("Legal")
    INFLUENCER = "influencer", _("Influencer")
    BLOCKER = "blocker", _("Blocker")


class Influence(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class Attitude(models.TextChoices):
    SUPPORTER = "supporter", _("Supporter")
    NEUTRAL = "neutral", _("Neutral")
    SKEPTIC = "skeptic", _("Skeptic")


class Stakeholder(models.Model):
    """A person in the decision chain (决策链), on the customer's or the vendor's side."""

    team = models.ForeignKey("people.Team", verbose_name=_("team"), on_delete=models.PROTECT,
                             related_name="stakeholders")
    account = models.ForeignKey("accounts.Account", verbose_name=_("account"),
                                on_delete=models.CASCADE, related_name="stakeholders")
    opportunity = models.ForeignKey(
        "opportunities.Opportunity", verbose_name=_("opportunity"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="stakeholders",
        help_text=_("Leave empty for a person involved in every deal of the account."))
    name = models.CharField(_("name"), max_length=120)
    title = models.CharField(_("job title"), max_length=120, blank=True)
    side = models.CharField(_("side"), max_length=10, choices=Side.choices, default=Side.CUSTOMER)
    role = models.CharField(_("role in the decision"), max_length=24,
                            choices=StakeholderRole.choices, default=StakeholderRole.INFLUENCER)
    influence = models.CharField(_("influence"), max_length=8, choices=Influence.choices,
                                 default=Influence.MEDIUM)
    attitude = models.CharField(_("attitude"), max_length=10, choices=Attitude.choices,
                                default=Attitude.NEUTRAL)
    reports_to = models.ForeignKey("self", verbose_name=_("reports to"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="reports")
    needs_surface = models.TextField(_("surface needs"), blank=True,
                                     help_text=_("What they ask for."))
    needs_middle = models.TextField(_("middle needs"), blank=True,
                                    help_text=_("The problem behind the request."))
    needs_deep = models.TextField(_("deep needs"), blank=True,
                                  help_text=_("What is at stake for them personally."))
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.title})" if self.title else self.name


class EngagementKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    CALL = "call", _("Call")
    EMAIL = "email", _("E-mail")
    WORKSHOP = "workshop", _("Workshop")
    SITE_VISIT = "site_visit", _("Site visit")
    SIGNED_DOCUMENT = "signed_document", _("Signed document")


class Engagement(models.Model):
    """A stakeholder met or acknowledged a POC: from then on they are *engaged* in it."""

    stakeholder = models.ForeignKey(Stakeholder, verbose_name=_("stakeholder"),
                                    on_delete=models.CASCADE, related_name="engagements")
    poc = models.ForeignKey("pocs.POC", verbose_name=_("POC"), on_delete=models.CASCADE,
                            related_name="engagements")
    date = models.DateField(_("date"), default=timezone.localdate)
    kind = models.CharField(_("how"), max_length=20, choices=EngagementKind.choices,
                            default=EngagementKind.MEETING)
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.stakeholder} · {self.date}"
