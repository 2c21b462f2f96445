"""Success criteria (§5.1) and the team's library of reusable criteria."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Comparator(models.TextChoices):
    GTE = "gte", _("at least (≥)")
    LTE = "lte", _("at most (≤)")
    EQ = "eq", _("equal to (=, with tolerance)")
    BETWEEN = "between", _("between")
    PASS_FAIL = "pass_fail", _("pass / fail test")


class Aggregation(models.TextChoices):
    LATEST = "latest", _("latest reading")
    MIN = "min", _("minimum")
    MAX = "max", _("maximum")
    MEAN = "mean", _("mean")
    P95 = "p95", _("95th percentile")
    SHARE_PASSING = "share_passing", _("share of readings passing")


class OwnerSide(models.TextChoices):
    VENDOR = "vendor", _("Vendor")
    CUSTOMER = "customer", _("Customer")


class CriterionSpec(models.Model):
    """What a criterion measures and what passes; shared by POC criteria and templates."""

    title = models.CharField(_("title"), max_length=200)
    question = models.TextField(_("question it answers"), blank=True,
                                help_text=_("What does this criterion prove?"))
    metric = models.CharField(_("metric"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    comparator = models.CharField(_("comparator"), max_length=10, choices=Comparator.choices,
                                  default=Comparator.GTE)
    target_value = models.DecimalField(pgettext_lazy("criterion", "target"), max_digits=20, decimal_places=6, null=True,
                                       blank=True)
    tolerance = models.DecimalField(_("tolerance (±)"), max_digits=20, decimal_places=6,
                                    null=True, blank=True, validators=[MinValueValidator(0)])
    target_min = models.DecimalField(_("lower bound"), max_digits=20, decimal_places=6,
                                     null=True, blank=True)
    target_max = models.DecimalField(_("upper bound"), max_digits=20, decimal_places=6,
                                     null=True, blank=True)
    pass_condition = models.TextField(_("what passes"), blank=True,
                                      help_text=_("For a pass/fail test: the observable result "
                                                  "that counts as a pass."))
    required_share = models.DecimalField(
        _("share of readings that must pass (%)"), max_digits=5, decimal_places=2, null=True,
        blank=True, validators=[MinValueValidator(0), MaxValueValidator(100)])
    test_conditions = models.TextField(
        _("test conditions"), blank=True,
        # xgettext:no-python-format
        help_text=_("e.g. at 40 °C and 95 % humidity"))
    measurement_method = models.TextField(_("measurement method"), blank=True)
    frequency = models.CharField(_("frequency"), max_length=120, blank=True)
    aggregation = models.CharField(_("aggregation of readings"), max_length=20,
                                   choices=Aggregation.choices, default=Aggregation.LATEST)
    owner_side = models.CharField(_("owner"), max_length=10, choices=OwnerSide.choices,
                                  default=OwnerSide.VENDOR)
    importance = models.PositiveSmallIntegerField(
        _("importance (1–5)"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)])
    must_have = models.BooleanField(_("must-have"), default=False,
                                    help_text=_("Failing it makes the POC fail: it triggers the "
                                                "purchase decision."))

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        from .measure import spec_errors

        errors = spec_errors(self)
        if errors:
            from django.core.exceptions import ValidationError

            raise ValidationError(errors)


class Criterion(CriterionSpec):
    """A criterion in the POC's live draft; signed versions keep frozen copies."""

    poc = models.ForeignKey("pocs.POC", verbose_name=_("POC"), on_delete=models.CASCADE,
                            related_name="criteria")
    key = models.UUIDField(_("key"), default=uuid.uuid4, editable=False,
                           help_text=_("Stable identity across versions."))
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("success criterion")
        verbose_name_plural = _("success criteria")
        ordering = ["poc", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["poc", "key"], name="criterion_unique_key")]


class CriterionTemplate(CriterionSpec):
    """A criterion saved to the team's library, to start the next POC's criteria from."""

    team = models.ForeignKey("people.Team", verbose_name=_("team"), on_delete=models.CASCADE,
                             related_name="criterion_templates")
    industry = models.CharField(_("industry"), max_length=120, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("criterion template")
        verbose_name_plural = _("criteria library")
        ordering = ["team", "title"]


SPEC_FIELDS = [
    "title", "question", "metric", "unit", "comparator", "target_value", "tolerance",
    "target_min", "target_max", "pass_condition", "required_share", "test_conditions",
    "measurement_method", "frequency", "aggregation", "owner_side", "importance", "must_have",
]
