"""Governance (§8.3): the meeting cadence, meetings with their attendees and decisions, and
action items."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MeetingType(models.TextChoices):
    WEEKLY_SYNC = "weekly_sync", _("Weekly sync")
    STEERING = "steering", _("Steering (with the executive sponsor)")
    REVIEW = "review", pgettext_lazy("meeting", "Review")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("meeting", "Planned")
    HELD = "held", pgettext_lazy("meeting", "Held")
    CANCELLED = "cancelled", pgettext_lazy("meeting", "Cancelled")


class Cadence(models.Model):
    """How often each kind of meeting is due on one POC (part of the plan, seeds 003, 004)."""

    poc = models.OneToOneField("pocs.POC", verbose_name=_("POC"), on_delete=models.CASCADE,
                               related_name="cadence")
    weekly_sync_days = models.PositiveSmallIntegerField(
        _("weekly sync every (days)"), null=True, blank=True, default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("Leave empty for no regular sync."))
    steering_days = models.PositiveSmallIntegerField(
        _("steering meeting every (days)"), null=True, blank=True, default=28,
        validators=[MinValueValidator(1), MaxValueValidator(180)],
        help_text=_("Leave empty for no regular steering meeting."))
    grace_days = models.PositiveSmallIntegerField(
        _("grace days"), default=2, validators=[MaxValueValidator(30)],
        help_text=_("Days after a meeting falls due before it is shown as overdue."))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("updated by"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("meeting cadence")
        verbose_name_plural = _("meeting cadences")

    def __str__(self) -> str:
        return str(self.poc)


class Meeting(models.Model):
    poc = models.ForeignKey("pocs.POC", verbose_name=_("POC"), on_delete=models.CASCADE,
                            related_name="meetings")
    meeting_type = models.CharField(_("type"), max_length=12, choices=MeetingType.choices,
                                    default=MeetingType.WEEKLY_SYNC)
    status = models.CharField(_("status"), max_length=10, choices=MeetingStatus.choices,
                              default=MeetingStatus.HELD)
    date = models.DateField(_("date"), default=timezone.localdate)
    title = models.CharField(_("title"), max_length=200, blank=True,
                             help_text=_("Leave empty to use the type's name."))
    agenda = models.TextField(_("agenda"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True,
                                 help_text=_("One decision per line."))
    vendor_attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("our attendees"), blank=True,
        related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["poc", "-date", "-id"]
        indexes = [models.Index(fields=["poc", "meeting_type", "status", "-date"])]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.title:
            return self.title
        return str(MeetingType(self.meeting_type).label) \
            if self.meeting_type in MeetingType.values else self.meeting_type


class Attendance(models.Model):
    """A customer stakeholder invited to a meeting, and whether they came."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE,
                                related_name="attendances")
    stakeholder = models.ForeignKey("stakeholders.Stakeholder", verbose_name=_("stakeholder"),
                                    on_delete=models.CASCADE, related_name="attendances")
    attended = models.BooleanField(_("attended"), default=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["meeting", "stakeholder__name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "stakeholder"],
                                               name="attendance_unique_stakeholder")]

    def __str__(self) -> str:
        return f"{self.stakeholder} · {self.meeting}"


class ActionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("action item", "Open")
    DONE = "done", pgettext_lazy("action item", "Done")
    CANCELLED = "cancelled", pgettext_lazy("action item", "Cancelled")


class ActionItem(models.Model):
    """A to-do agreed in a meeting (or on its own), owned by one person on either side."""

    poc = models.ForeignKey("pocs.POC", verbose_name=_("POC"), on_delete=models.CASCADE,
                            related_name="action_items")
    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="action_items")
    text = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), null=True,
                              blank=True, on_delete=models.SET_NULL, related_name="+")
    customer_owner = models.ForeignKey(
        "stakeholders.Stakeholder", verbose_name=_("customer owner"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+")
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ActionStatus.choices,
                              default=ActionStatus.OPEN)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["poc", "status", "due_on", "id"]
        indexes = [models.Index(fields=["poc", "status", "due_on"])]

    def __str__(self) -> str:
        return self.text
