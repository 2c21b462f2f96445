"""The timebox of a POC (§6): the team's policy, the milestone plan, extensions and the exit
decisions taken when the agreed deadline slipped past the exit clause."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TimeboxPolicy(models.Model):
    """A team's timebox rules; the defaults apply until an admin edits them."""

    team = models.OneToOneField("people.Team", verbose_name=_("team"), on_delete=models.CASCADE,
                                related_name="timebox_policy")
    max_duration_days = models.PositiveIntegerField(
        _("maximum duration (days)"), default=90,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text=_("Longer POCs need a manager's approval."))
    checkpoint_cadence_days = models.PositiveIntegerField(
        _("checkpoint every (days)"), default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("Used by the proposed milestone plan when the agreement sets no cadence."))
    max_extensions = models.PositiveIntegerField(
        _("maximum number of extensions"), default=2, validators=[MaxValueValidator(20)],
        help_text=_("Approving more needs a manager's explicit override."))
    exit_grace_days = models.PositiveIntegerField(
        _("exit-clause grace (days)"), default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Days past the deadline before the exit clause is reached, for POCs whose "
                    "agreement does not set its own; also the default of new agreements."))
    scope_creep_threshold = models.PositiveIntegerField(
        _("scope-creep warning above (percent of the planned effort)"), default=20,
        validators=[MinValueValidator(1), MaxValueValidator(1000)])

    class Meta:
        verbose_name = _("timebox policy")
        verbose_name_plural = _("timebox policies")

    def __str__(self) -> str:
        return str(self.team)


class MilestoneKind(models.TextChoices):
    KICKOFF = "kickoff", _("Kickoff")
    RESOURCES_READY = "resources_ready", _("Customer resources ready")
    INSTALLATION = "installation", _("Installation complete")
    FIRST_RUN = "first_run", _("First run")
    CHECKPOINT = "checkpoint", _("Checkpoint")
    MIDPOINT_REVIEW = "midpoint_review", _("Mid-point review with the sponsor")
    TARGET_REACHED = "target_reached", _("Target reached")
    FINAL_REVIEW = "final_review", _("Final review")
    OTHER = "other", pgettext_lazy("milestone", "Other")


class MilestoneStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("milestone", "Planned")
    DONE = "done", pgettext_lazy("milestone", "Done")
    SKIPPED = "skipped", pgettext_lazy("milestone", "Skipped")


class Milestone(models.Model):
    poc = models.ForeignKey("pocs.POC", verbose_name=_("POC"), on_delete=models.CASCADE,
                            related_name="milestones")
    key = models.UUIDField(_("key"), default=uuid.uuid4, editable=False, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=MilestoneKind.choices,
                            default=MilestoneKind.OTHER)
    title = models.CharField(_("title"), max_length=200, blank=True,
                             help_text=_("Leave empty to use the kind's name."))
    sequence = models.PositiveIntegerField(_("number"), default=0,
                                           help_text=_("The checkpoint's number."))
    due_date = models.DateField(_("due date"))
    planned_date = models.DateField(
        _("planned date"), help_text=_("The due date when the milestone was first planned."))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), null=True,
                              blank=True, on_delete=models.SET_NULL, related_name="+")
    customer_owner = models.ForeignKey(
        "stakeholders.Stakeholder", verbose_name=_("customer owner"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=MilestoneStatus.choices,
                              default=MilestoneStatus.PLANNED)
    customer_witness = models.BooleanField(
        _("customer witness"), default=False,
        help_text=_("Invite the customer to witness it (installation, first run, target)."))
    witnessed_by = models.ForeignKey(
        "stakeholders.Stakeholder", verbose_name=_("witnessed by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+")
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    evidence_note = models.TextField(_("evidence"), blank=True)
    evidence_file = models.ForeignKey(
        "core.StoredFile", verbose_name=_("evidence file"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["poc", "due_date", "id"]
        indexes = [models.Index(fields=["poc", "status", "due_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="done", completed_on__isnull=False)
                | (~models.Q(status="done") & models.Q(completed_on__isnull=True)),
                name="milestone_completed_when_done",
                violation_error_message=_("A done milestone has a completion date, and only a "
                                          "done one."),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.title:
            return self.title
        if self.kind == MilestoneKind.CHECKPOINT and self.sequence:
            return _("Checkpoint %(number)s") % {"number": self.sequence}
        return str(MilestoneKind(self.kind).label) if self.kind in MilestoneKind.values \
            else self.kind


class ExtensionStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class Extension(models.Model):
    """A request to move the POC's end date, and the manager's decision on it."""

    poc = models.ForeignKey("pocs.POC", verbose_name=_("POC"), on_delete=models.CASCADE,
                            related_name="extensions")
    reason = models.TextField(_("reason"))
    previous_end = models.DateField(_("end date before"))
    requested_end = models.DateField(_("new end date"))
    days = models.PositiveIntegerField(_("days added"))
    status = models.CharField(_("status"), max_length=10, choices=ExtensionStatus.choices,
                              default=ExtensionStatus.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"),
                                     on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    beyond_policy = models.BooleanField(
        _("approved beyond the team's limits"), default=False,
        help_text=_("The manager approved more extensions or a longer POC than the policy "
                    "allows."))

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        ordering = ["poc", "requested_at", "id"]
        indexes = [models.Index(fields=["poc", "status"])]

    def __str__(self) -> str:
        return f"{self.poc} → {self.requested_end.isoformat()}"


class ExitDecisionKind(models.TextChoices):
    STOP = "stop", _("Stop the POC")
    RENEGOTIATE = "renegotiate", _("Renegotiate the agreement")
    EXTEND = "extend", _("Extend, with a manager's approval")


class ExitDecision(models.Model):
    """What was decided when the POC passed its agreement's exit clause."""

    poc = models.ForeignKey("pocs.POC", verbose_name=_("POC"), on_delete=models.CASCADE,
                            related_name="exit_decisions")
    deadline = models.DateField(_("deadline"))
    trigger_date = models.DateField(_("exit clause reached after"))
    decision = models.CharField(_("decision"), max_length=12, choices=ExitDecisionKind.choices)
    note = models.TextField(_("note"))
    extension = models.ForeignKey(Extension, verbose_name=_("extension"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"),
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)

    class Meta:
        verbose_name = _("exit decision")
        verbose_name_plural = _("exit decisions")
        ordering = ["poc", "decided_at", "id"]

    def __str__(self) -> str:
        return f"{self.poc} · {self.get_decision_display()}"
