"""Win probability (§10): the engineers' assessments and the CRM history the model learns from."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pocdesk.core.reference import validate_currency_code


class ActivityKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    DEMO = "demo", _("Demo")
    WORKSHOP = "workshop", _("Workshop")
    POC_CHECKPOINT = "poc_checkpoint", _("POC checkpoint")
    OTHER = "other", _("Other activity")


class Confidence(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class Assessment(models.Model):
    """After a presales activity, the engineer's own win probability for the deal (seed 002)."""

    opportunity = models.ForeignKey("opportunities.Opportunity", verbose_name=_("opportunity"),
                                    on_delete=models.CASCADE, related_name="assessments")
    poc = models.ForeignKey("pocs.POC", verbose_name=_("POC"), on_delete=models.SET_NULL,
                            null=True, blank=True, related_name="assessments")
    activity = models.CharField(_("activity"), max_length=20, choices=ActivityKind.choices)
    activity_date = models.DateField(_("activity date"), default=timezone.localdate)
    probability = models.PositiveSmallIntegerField(
        _("win probability (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)])
    confidence = models.CharField(_("confidence"), max_length=10, choices=Confidence.choices,
                                  default=Confidence.MEDIUM)
    rationale = models.TextField(_("rationale"))
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("assessed by"),
                                    on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("win assessment")
        verbose_name_plural = _("win assessments")
        ordering = ["-activity_date", "-created_at", "-pk"]
        indexes = [models.Index(fields=["opportunity", "activity_date"])]
        constraints = [models.CheckConstraint(
            condition=models.Q(probability__gte=0, probability__lte=100),
            name="insights_assessment_probability_0_100")]

    def __str__(self) -> str:
        return f"{self.opportunity} · {self.probability} %"


class HistorySource(models.Model):
    """A CRM export the team imports again and again, with its saved column mapping (§13.2)."""

    team = models.ForeignKey("people.Team", verbose_name=_("team"), on_delete=models.CASCADE,
                             related_name="history_sources")
    name = models.SlugField(_("name"), max_length=60)
    mapping = models.JSONField(_("column mapping"), default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("history source")
        verbose_name_plural = _("history sources")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["team", "name"],
                                               name="insights_source_unique_name")]

    def __str__(self) -> str:
        return self.name


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Imported")
    CHECKED = "checked", _("Checked (dry run)")
    REJECTED = "rejected", _("Rejected")


class HistoryImport(models.Model):
    """One run of a source's file: its progress, and every bad row when it is rejected."""

    source = models.ForeignKey(HistorySource, verbose_name=_("source"), on_delete=models.CASCADE,
                               related_name="imports")
    file_name = models.CharField(_("file name"), max_length=255)
    dry_run = models.BooleanField(_("dry run"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices,
                              default=ImportStatus.QUEUED)
    rows_total = models.PositiveIntegerField(_("rows in the file"), default=0)
    rows_done = models.PositiveIntegerField(_("rows read"), default=0)
    rows_imported = models.PositiveIntegerField(_("deals imported"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("imported by"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("history import")
        verbose_name_plural = _("history imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.file_name


class DealOutcome(models.TextChoices):
    WON = "won", _("Won")
    LOST = "lost", _("Lost")
    OPEN = "open", _("Open")


class HistoricalDeal(models.Model):
    """An opportunity from a CRM export: closed ones teach the model, open ones get scored."""

    source = models.ForeignKey(HistorySource, verbose_name=_("source"), on_delete=models.CASCADE,
                               related_name="deals")
    history_import = models.ForeignKey(HistoryImport, verbose_name=_("import"),
                                       on_delete=models.CASCADE, related_name="deals")
    row_number = models.PositiveIntegerField(_("row"))
    external_id = models.CharField(_("identifier in the CRM"), max_length=120, blank=True)
    name = models.CharField(_("name"), max_length=255, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=DealOutcome.choices)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2, null=True,
                                 blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True,
                                validators=[validate_currency_code])
    opened_on = models.DateField(_("opened"), null=True, blank=True)
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    expected_close_on = models.DateField(_("expected close date"), null=True, blank=True)
    owner_name = models.CharField(_("owner"), max_length=120, blank=True)
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    # An open deal's score from the source's model, recomputed with the team's scores.
    probability = models.FloatField(_("win probability"), null=True, blank=True)
    factors = models.JSONField(_("factors"), default=list, blank=True)

    class Meta:
        verbose_name = _("historical deal")
        verbose_name_plural = _("historical deals")
        ordering = ["source", "row_number"]
        indexes = [models.Index(fields=["source", "outcome"])]

    def __str__(self) -> str:
        return self.name or self.external_id or f"#{self.row_number}"


class ModelEvaluation(models.Model):
    """A held-out evaluation of the win model on a source's closed deals, run in the background."""

    source = models.ForeignKey(HistorySource, verbose_name=_("source"), on_delete=models.CASCADE,
                               related_name="evaluations")
    folds = models.PositiveSmallIntegerField(_("folds"), default=5)
    repeats = models.PositiveSmallIntegerField(_("repeats"), default=3)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices,
                              default=ImportStatus.QUEUED)
    steps_done = models.PositiveIntegerField(_("steps done"), default=0)
    steps_total = models.PositiveIntegerField(_("steps"), default=0)
    result = models.JSONField(_("result"), default=dict, blank=True)
    message = models.TextField(_("message"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("run by"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("model evaluation")
        verbose_name_plural = _("model evaluations")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.source} · {self.created_at:%Y-%m-%d %H:%M}"


class DataSufficiency(models.TextChoices):
    NONE = "none", _("None: the base rate only")
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class WinScore(models.Model):
    """The model's win probability for an open opportunity, its factors, and any override."""

    opportunity = models.OneToOneField("opportunities.Opportunity",
                                       verbose_name=_("opportunity"), on_delete=models.CASCADE,
                                       related_name="win_score")
    probability = models.FloatField(_("model probability"))
    estimator = models.CharField(_("estimator"), max_length=20)
    data_sufficiency = models.CharField(_("data sufficiency"), max_length=10,
                                        choices=DataSufficiency.choices)
    trained_on = models.PositiveIntegerField(_("closed deals learnt from"), default=0)
    team_deals = models.PositiveIntegerField(_("closed deals of the team"), default=0)
    factors = models.JSONField(_("factors"), default=list, blank=True)
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)
    override_probability = models.PositiveSmallIntegerField(
        _("probability set by hand (%)"), null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)])
    override_reason = models.TextField(_("reason for the override"), blank=True)
    overridden_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("overridden by"),
                                      on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+")
    overridden_at = models.DateTimeField(_("overridden"), null=True, blank=True)

    class Meta:
        verbose_name = _("win score")
        verbose_name_plural = _("win scores")

    def __str__(self) -> str:
        return f"{self.opportunity} · {self.effective_probability:.0%}"

    @property
    def overridden(self) -> bool:
        return self.override_probability is not None

    @property
    def effective_probability(self) -> float:
        """What planning uses: the override when there is one, else the model's."""
        if self.override_probability is not None:
            return self.override_probability / 100
        return self.probability


class InsightsPolicy(models.Model):
    """A team's prioritisation settings (§10)."""

    team = models.OneToOneField("people.Team", verbose_name=_("team"), on_delete=models.CASCADE,
                                related_name="insights_policy")
    max_running_pocs = models.PositiveSmallIntegerField(
        _("running POCs per engineer at most"), default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)])
    default_remaining_hours = models.PositiveIntegerField(
        _("presales hours left on a deal without a plan"), default=40,
        validators=[MinValueValidator(1), MaxValueValidator(10_000)])

    class Meta:
        verbose_name = _("prioritisation policy")
        verbose_name_plural = _("prioritisation policies")

    def __str__(self) -> str:
        return str(self.team)
