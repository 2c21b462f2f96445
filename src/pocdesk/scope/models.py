"""Scope-change control (§7) and the commitments register (§8.4)."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pocdesk.core.reference import validate_currency_code


class ChangeClass(models.TextChoices):
    MINOR_ADJUSTMENT = "minor_adjustment", _("Minor adjustment")
    EVOLUTION = "evolution", _("Evolution (post-signature roadmap)")
    SPECIFIC_DEVELOPMENT = "specific_development", _("Specific development (needs a budget)")


class ChangeDecision(models.TextChoices):
    PENDING = "pending", pgettext_lazy("scope decision", "Pending")
    ACCEPTED = "accepted", _("Accepted")
    DEFERRED = "deferred", _("Deferred")
    QUOTED = "quoted", _("Quoted")
    REJECTED = "rejected", _("Rejected")


class ScopeChange(models.Model):
    """A customer's request during the POC, classed and decided (seed 004)."""

    poc = models.ForeignKey("pocs.POC", verbose_name=_("POC"), on_delete=models.CASCADE,
                            related_name="scope_changes")
    text = models.TextField(_("request"))
    requested_by = models.ForeignKey(
        "stakeholders.Stakeholder", verbose_name=_("requested by"), on_delete=models.PROTECT,
        related_name="scope_requests")
    requested_on = models.DateField(_("requested on"), default=timezone.localdate)
    effort_hours = models.DecimalField(_("effort estimate (hours)"), max_digits=8,
                                       decimal_places=1, validators=[MinValueValidator(0)])
    change_class = models.CharField(_("class"), max_length=24, choices=ChangeClass.choices)
    decision = models.CharField(_("decision"), max_length=10, choices=ChangeDecision.choices,
                                default=ChangeDecision.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    quote_amount = models.DecimalField(_("quoted budget"), max_digits=16, decimal_places=2,
                                       null=True, blank=True, validators=[MinValueValidator(0)])
    quote_currency = models.CharField(_("currency"), max_length=3, blank=True,
                                      validators=[validate_currency_code])
    override = models.BooleanField(
        _("accepted without a budget (manager's override)"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("scope change")
        verbose_name_plural = _("scope changes")
        ordering = ["poc", "requested_on", "id"]
        indexes = [models.Index(fields=["poc", "decision"])]

    def __str__(self) -> str:
        text = " ".join(self.text.split())
        return text if len(text) <= 80 else text[:79] + "…"


class CommitmentCategory(models.TextChoices):
    UNCERTAIN = "uncertain", _("Uncertain: answer due within 24 h")
    RISKY = "risky", _("Risky: stated preconditions")
    OUT_OF_SCOPE = "out_of_scope", _("Out of scope: feasibility to assess")


class CommitmentStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("commitment", "Open")
    KEPT = "kept", pgettext_lazy("commitment", "Kept")
    BROKEN = "broken", pgettext_lazy("commitment", "Broken")
    WITHDRAWN = "withdrawn", pgettext_lazy("commitment", "Withdrawn")


class Commitment(models.Model):
    """A promise made to the customer (seed 002: 不要轻易承诺), followed until kept."""

    poc = models.ForeignKey("pocs.POC", verbose_name=_("POC"), on_delete=models.CASCADE,
                            related_name="commitments")
    text = models.TextField(_("commitment"))
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("made by"),
                                on_delete=models.PROTECT, related_name="+")
    made_to = models.ForeignKey("stakeholders.Stakeholder", verbose_name=_("made to"),
                                on_delete=models.PROTECT, related_name="commitments_received")
    category = models.CharField(_("category"), max_length=14, choices=CommitmentCategory.choices)
    made_at = models.DateTimeField(_("made"), default=timezone.now)
    due_at = models.DateTimeField(_("due"))
    preconditions = models.TextField(_("preconditions"), blank=True)
    scope_change = models.ForeignKey(ScopeChange, verbose_name=_("scope-change request"),
                                     null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="commitments")
    feasibility = models.TextField(_("feasibility assessment"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=CommitmentStatus.choices,
                              default=CommitmentStatus.OPEN)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolution_note = models.TextField(_("resolution"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["poc", "due_at", "id"]
        indexes = [models.Index(fields=["poc", "status", "due_at"])]

    def __str__(self) -> str:
        text = " ".join(self.text.split())
        return text if len(text) <= 80 else text[:79] + "…"

    def is_overdue(self, now=None) -> bool:
        return self.status == CommitmentStatus.OPEN and self.due_at < (now or timezone.now())
