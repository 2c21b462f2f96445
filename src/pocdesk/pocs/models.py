from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    QUALIFIED = "qualified", _("Qualified")
    AGREED = "agreed", _("Agreed")
    RUNNING = "running", _("Running")
    PAUSED = "paused", _("Paused")
    EVALUATING = "evaluating", _("Evaluating")
    CLOSED = "closed", _("Closed")
    WALKED_AWAY = "walked_away", _("Walked away")


class PocType(models.TextChoices):
    ON_SITE_PILOT = "on_site_pilot", _("On-site pilot")
    LAB_TEST = "lab_test", _("Lab test")
    SANDBOX_TRIAL = "sandbox_trial", _("Sandbox trial")
    PROTOTYPE = "prototype", _("Prototype / sample batch")


class CommitmentLevel(models.IntegerChoices):
    NONE = 0, _("0 · No commitment")
    COLLABORATIVE = 1, _("1 · Collaborative agreement in writing")
    FUNDED = 2, _("2 · Funded POC")
    CONDITIONAL_PO = 3, _("3 · Conditional purchase order")


class POC(models.Model):
    """A proof of concept, always tied to one opportunity."""

    opportunity = models.ForeignKey("opportunities.Opportunity", verbose_name=_("opportunity"),
                                    on_delete=models.PROTECT, related_name="pocs")
    team = models.ForeignKey("people.Team", verbose_name=_("team"), on_delete=models.PROTECT,
                             related_name="pocs")
    title = models.CharField(_("title"), max_length=200)
    objective = models.TextField(_("objective"), help_text=_("What this POC must prove."))
    poc_type = models.CharField(_("type"), max_length=20, choices=PocType.choices,
                                default=PocType.ON_SITE_PILOT)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"),
                              on_delete=models.PROTECT, related_name="owned_pocs")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.DRAFT, db_index=True)
    language = models.CharField(_("document language"), max_length=10,
                                choices=settings.LANGUAGES, default="en")
    commitment_level = models.PositiveSmallIntegerField(
        _("commitment level"), choices=CommitmentLevel.choices, default=CommitmentLevel.NONE,
        validators=[MinValueValidator(0), MaxValueValidator(3)],
    )
    # Evidence of the commitment level (§4.3), each level with its own.
    commitment_reference = models.CharField(
        _("agreement reference"), max_length=200, blank=True,
        help_text=_("Level 1: the written collaborative agreement (reference or title)."))
    commitment_document = models.ForeignKey(
        "core.StoredFile", verbose_name=_("commitment document"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+")
    funded_amount = models.DecimalField(
        _("amount funded by the customer"), max_digits=16, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)])
    funded_share = models.DecimalField(
        _("share of the POC cost funded (%)"), max_digits=5, decimal_places=2, null=True,
        blank=True, validators=[MinValueValidator(0), MaxValueValidator(100)])
    conditional_po_reference = models.CharField(_("conditional PO reference"), max_length=200,
                                                blank=True)
    conditional_po_value = models.DecimalField(
        _("conditional PO value"), max_digits=16, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)])
    conditional_po_criteria = models.TextField(
        _("criteria that trigger the order"), blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    planned_effort_hours = models.DecimalField(
        _("planned effort (hours)"), max_digits=8, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("The vendor's effort the plan foresees; scope creep is measured against it."))
    # A manager approved a timebox longer than the team's maximum duration (§6).
    approved_duration_days = models.PositiveIntegerField(
        _("longer duration approved (days)"), null=True, blank=True)
    duration_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("longer duration approved by"), null=True,
        blank=True, on_delete=models.PROTECT, related_name="+")
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("POC")
        verbose_name_plural = _("POCs")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["team", "status"]), models.Index(fields=["-updated_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="poc_end_after_start",
                violation_error_message=_("The end date must not be before the start date."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def duration_days(self) -> int | None:
        if self.start_date and self.end_date:
            return (self.end_date - self.start_date).days
        return None
