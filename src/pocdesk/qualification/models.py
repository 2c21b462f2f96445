from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_MANDATORY_CHECKS = [
    "active_opportunity", "purchase_process", "budget_confirmed", "executive_sponsor",
    "success_criteria", "commitment_level",
]


def default_mandatory_checks() -> list[str]:
    return list(DEFAULT_MANDATORY_CHECKS)


class QualificationPolicy(models.Model):
    """A team's qualification rules (§4): which checks block, and the red-flag limits."""

    team = models.OneToOneField("people.Team", verbose_name=_("team"), on_delete=models.CASCADE,
                                related_name="qualification_policy")
    mandatory_checks = models.JSONField(
        _("mandatory checks"), default=default_mandatory_checks, blank=True,
        help_text=_("Codes of the checks that block draft → qualified; the others only lower "
                    "the score."))
    ignored_checks = models.JSONField(
        _("checks that do not apply"), default=list, blank=True,
        help_text=_("Codes of the checks this team does not use: shown as not applicable and "
                    "left out of the score."))
    max_open_days = models.PositiveIntegerField(
        _("evaluation open for at most (days)"), default=180,
        validators=[MinValueValidator(1), MaxValueValidator(3650)])
    earlier_failed_pocs_limit = models.PositiveIntegerField(
        _("earlier POCs without purchase before a red flag"), default=1,
        validators=[MinValueValidator(1), MaxValueValidator(100)])
    walk_away_below = models.PositiveIntegerField(
        _("walk away below this score"), default=40, validators=[MaxValueValidator(100)])
    walk_away_red_flags = models.PositiveIntegerField(
        _("walk away from this many red flags"), default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)])

    class Meta:
        verbose_name = _("qualification policy")
        verbose_name_plural = _("qualification policies")

    def __str__(self) -> str:
        return str(self.team)


class QualificationOverride(models.Model):
    """A manager qualified a POC although mandatory checks failed, and wrote why."""

    poc = models.OneToOneField("pocs.POC", verbose_name=_("POC"), on_delete=models.CASCADE,
                               related_name="qualification_override")
    overridden_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"),
                                      on_delete=models.PROTECT, related_name="+")
    justification = models.TextField(_("justification"))
    unmet = models.JSONField(_("unmet checks"), default=list)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("qualification override")
        verbose_name_plural = _("qualification overrides")

    def __str__(self) -> str:
        return f"{self.poc} · {self.overridden_by}"
