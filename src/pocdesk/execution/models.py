"""Execution (§8.1, §8.2): measurements against the criteria, evidence files, series imports
from instrument exports, and the execution log."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Evidence(models.Model):
    """A photo, video, log or instrument export proving a moment of the POC (seed 000)."""

    poc = models.ForeignKey("pocs.POC", verbose_name=_("POC"), on_delete=models.CASCADE,
                            related_name="evidence")
    file = models.OneToOneField("core.StoredFile", verbose_name=_("file"),
                                on_delete=models.PROTECT, related_name="evidence")
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    criterion = models.ForeignKey(
        "criteria.Criterion", verbose_name=_("criterion"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="evidence")
    thumbnail_key = models.CharField(
        _("thumbnail"), max_length=255, blank=True,
        help_text=_("Storage key of the generated thumbnail, for images."))
    taken_at = models.DateTimeField(_("taken"), null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                    null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["poc", "-created_at", "-id"]

    def __str__(self) -> str:
        return self.caption or self.file.original_name


class ImportStatus(models.TextChoices):
    MAPPING = "mapping", _("Waiting for the column mapping")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    REJECTED = "rejected", pgettext_lazy("series import", "Rejected")


class SeriesImport(models.Model):
    """An instrument export (CSV/XLSX) imported as readings of one criterion, all or nothing."""

    poc = models.ForeignKey("pocs.POC", verbose_name=_("POC"), on_delete=models.CASCADE,
                            related_name="series_imports")
    criterion = models.ForeignKey("criteria.Criterion", verbose_name=_("criterion"),
                                  on_delete=models.CASCADE, related_name="series_imports")
    file = models.ForeignKey("core.StoredFile", verbose_name=_("file"),
                             on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices,
                              default=ImportStatus.MAPPING)
    columns = models.JSONField(_("columns"), default=list, blank=True,
                               help_text=_("The header row found in the file."))
    preview = models.JSONField(_("preview"), default=list, blank=True,
                               help_text=_("The first rows, to choose the columns."))
    time_column = models.CharField(_("time column"), max_length=200, blank=True)
    value_column = models.CharField(_("value column"), max_length=200, blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC",
        help_text=_("For times written without an offset."))
    conditions = models.CharField(_("conditions"), max_length=300, blank=True,
                                  help_text=_("Recorded on every reading of the series."))
    rows_total = models.PositiveIntegerField(_("rows in the file"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(_("rows read"), default=0)
    rows_imported = models.PositiveIntegerField(_("readings imported"), default=0)
    error_count = models.PositiveIntegerField(_("bad rows"), default=0)
    errors = models.JSONField(
        _("errors"), default=list, blank=True,
        help_text=_("The first bad rows: row number, column and message."))
    message = models.TextField(_("message"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("series import")
        verbose_name_plural = _("series imports")
        ordering = ["poc", "-created_at", "-id"]

    def __str__(self) -> str:
        return self.file.original_name


class Measurement(models.Model):
    """One reading of a criterion: a number, or a pass/fail result for a pass/fail test."""

    poc = models.ForeignKey("pocs.POC", verbose_name=_("POC"), on_delete=models.CASCADE,
                            related_name="measurements")
    criterion = models.ForeignKey("criteria.Criterion", verbose_name=_("criterion"),
                                  on_delete=models.CASCADE, related_name="measurements")
    measured_at = models.DateTimeField(_("measured at"))
    value = models.DecimalField(pgettext_lazy("measurement", "value"), max_digits=20,
                                decimal_places=6, null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True,
                                 help_text=_("The result of a pass/fail test."))
    conditions = models.CharField(_("conditions"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)
    series = models.ForeignKey(SeriesImport, verbose_name=_("series import"), null=True,
                               blank=True, on_delete=models.CASCADE, related_name="measurements")
    evidence = models.ManyToManyField(Evidence, verbose_name=_("evidence"), blank=True,
                                      related_name="measurements")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["criterion", "measured_at", "id"]
        indexes = [
            models.Index(fields=["criterion", "measured_at"]),
            models.Index(fields=["criterion", "value"]),
            models.Index(fields=["poc", "measured_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value__isnull=False, passed__isnull=True)
                | models.Q(value__isnull=True, passed__isnull=False),
                name="measurement_value_or_result",
                violation_error_message=_("A reading is either a number or a pass/fail "
                                          "result."),
            ),
        ]

    def __str__(self) -> str:
        shown = self.value if self.passed is None else self.passed
        return f"{self.criterion_id} · {self.measured_at:%Y-%m-%d %H:%M} · {shown}"


class LogKind(models.TextChoices):
    OBSERVATION = "observation", _("Observation")
    ISSUE = "issue", _("Issue")
    RISK = "risk", _("Technical risk")
    KEY_EVENT = "key_event", _("Key event")


class KeyEvent(models.TextChoices):
    INSTALLATION_COMPLETE = "installation_complete", _("Installation complete")
    FIRST_RUN = "first_run", _("First run")
    TARGET_REACHED = "target_reached", _("Target reached")
    OTHER = "other", pgettext_lazy("key event", "Other")


class Severity(models.TextChoices):
    LOW = "low", pgettext_lazy("severity", "Low")
    MEDIUM = "medium", pgettext_lazy("severity", "Medium")
    HIGH = "high", pgettext_lazy("severity", "High")


class LogStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("log entry", "Open")
    RESOLVED = "resolved", pgettext_lazy("log entry", "Resolved")


class LogEntry(models.Model):
    """A dated entry of the execution log (§8.2); risks form the technical-risk memo."""

    poc = models.ForeignKey("pocs.POC", verbose_name=_("POC"), on_delete=models.CASCADE,
                            related_name="log_entries")
    kind = models.CharField(_("kind"), max_length=12, choices=LogKind.choices,
                            default=LogKind.OBSERVATION)
    key_event = models.CharField(_("key event"), max_length=24, choices=KeyEvent.choices,
                                 blank=True)
    milestone = models.ForeignKey("timebox.Milestone", verbose_name=_("milestone"), null=True,
                                  blank=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("details"), blank=True)
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices,
                                blank=True)
    status = models.CharField(_("status"), max_length=10, choices=LogStatus.choices,
                              blank=True)
    mitigation = models.TextField(_("mitigation"), blank=True)
    witnessed_by = models.ForeignKey(
        "stakeholders.Stakeholder", verbose_name=_("witnessed by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+")
    witnessed_at = models.DateTimeField(_("witnessed at"), null=True, blank=True)
    evidence = models.ManyToManyField(Evidence, verbose_name=_("attachments"), blank=True,
                                      related_name="log_entries")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("log entry")
        verbose_name_plural = _("execution log")
        ordering = ["poc", "-occurred_at", "-id"]
        indexes = [models.Index(fields=["poc", "kind", "-occurred_at"])]

    def __str__(self) -> str:
        return self.title
