"""The end of a POC (§3 evaluating → closed, §9, §11.1): its results, the customer's
confirmation, the retrospective with its reusable lessons, the actual cost and the ROI sheet."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pocdesk.agreements.models import CostCategory, Payer
from pocdesk.core.reference import validate_currency_code


class TechnicalResult(models.TextChoices):
    SUCCESS = "success", pgettext_lazy("technical result", "Success")
    PARTIAL = "partial", pgettext_lazy("technical result", "Partial")
    FAILED = "failed", pgettext_lazy("technical result", "Failed")


class CommercialResult(models.TextChoices):
    WON = "won", pgettext_lazy("commercial result", "Won")
    LOST = "lost", pgettext_lazy("commercial result", "Lost")
    NO_DECISION = "no_decision", pgettext_lazy("commercial result", "No decision")
    QUALIFIED_OUT = "qualified_out", pgettext_lazy("commercial result", "Qualified out")
    ABANDONED = "abandoned", pgettext_lazy("commercial result", "Abandoned")


class ResultsPolicy(models.Model):
    """A team's closing rules; the defaults apply until an admin edits them."""

    team = models.OneToOneField("people.Team", verbose_name=_("team"), on_delete=models.CASCADE,
                                related_name="results_policy")
    success_threshold = models.DecimalField(
        _("success threshold (weighted percent of criteria passing)"), max_digits=5,
        decimal_places=2, default=80, validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("With every must-have passing, a POC succeeds when the criteria passing "
                    "weigh at least this share of all criteria (weight: importance)."))
    cost_ratio_threshold = models.DecimalField(
        _("cost warning above (percent of the deal amount)"), max_digits=5, decimal_places=2,
        default=5, validators=[MinValueValidator(0), MaxValueValidator(100)])

    class Meta:
        verbose_name = _("results policy")
        verbose_name_plural = _("results policies")

    def __str__(self) -> str:
        return str(self.team)


class LossReason(models.Model):
    """One entry of the reason taxonomy (admin-editable), in the three languages."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label_en = models.CharField(_("label (English)"), max_length=120)
    label_zh_hans = models.CharField(_("label (Chinese)"), max_length=120, blank=True)
    label_fr = models.CharField(_("label (French)"), max_length=120, blank=True)
    active = models.BooleanField(_("active"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("result reason")
        verbose_name_plural = _("result reasons")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.label()

    def label(self, language: str | None = None) -> str:
        from django.utils import translation

        language = (language or translation.get_language() or "en").lower()
        if language.startswith("zh"):
            return self.label_zh_hans or self.label_en
        if language.startswith("fr"):
            return self.label_fr or self.label_en
        return self.label_en


class PocResult(models.Model):
    """The results of one POC, recorded while it is evaluated and frozen when it closes."""

    poc = models.OneToOneField("pocs.POC", verbose_name=_("POC"), on_delete=models.CASCADE,
                               related_name="result")
    derived_technical_result = models.CharField(
        _("technical result from the criteria"), max_length=10,
        choices=TechnicalResult.choices, blank=True)
    technical_result = models.CharField(_("technical result"), max_length=10,
                                        choices=TechnicalResult.choices, blank=True)
    technical_override_reason = models.TextField(
        _("why the technical result differs from the criteria"), blank=True)
    commercial_result = models.CharField(_("commercial result"), max_length=16,
                                         choices=CommercialResult.choices, blank=True)
    reason = models.ForeignKey(LossReason, verbose_name=_("reason"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    reason_detail = models.TextField(_("reason in detail"), blank=True)
    order_value = models.DecimalField(_("order value"), max_digits=16, decimal_places=2,
                                      null=True, blank=True, validators=[MinValueValidator(0)])
    order_currency = models.CharField(_("order currency"), max_length=3, blank=True,
                                      validators=[validate_currency_code])
    order_date = models.DateField(_("order date"), null=True, blank=True)
    # The customer's confirmation of the results (§9.2): recorded now, from the portal later.
    customer_confirmed_by = models.ForeignKey(
        "stakeholders.Stakeholder", verbose_name=_("results confirmed by"), null=True,
        blank=True, on_delete=models.SET_NULL, related_name="+")
    customer_confirmed_on = models.DateField(_("results confirmed on"), null=True, blank=True)
    customer_confirmation_note = models.TextField(_("confirmation note"), blank=True)
    # The final report's own text (§9.1).
    strengths = models.TextField(_("strengths"), blank=True)
    limitations = models.TextField(_("limitations"), blank=True)
    improvements = models.TextField(_("improvement suggestions"), blank=True)
    next_step = models.TextField(_("next step"), blank=True)
    review_meeting_on = models.DateField(_("results review meeting"), null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("updated by"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("POC result")
        verbose_name_plural = _("POC results")
        indexes = [models.Index(fields=["commercial_result"])]

    def __str__(self) -> str:
        return str(self.poc)


class Retrospective(models.Model):
    """The retrospective (复盘, §11.1), required to close a POC, won or lost."""

    poc = models.OneToOneField("pocs.POC", verbose_name=_("POC"), on_delete=models.CASCADE,
                               related_name="retrospective")
    went_well = models.TextField(_("what went well"), blank=True)
    to_improve = models.TextField(_("what to improve"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"),
                                     null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("retrospective")
        verbose_name_plural = _("retrospectives")

    def __str__(self) -> str:
        return str(self.poc)


class LessonKind(models.TextChoices):
    LESSON = "lesson", _("Reusable lesson")
    RISK = "risk", _("Technical-risk memo item")


class Lesson(models.Model):
    """A reusable lesson or a technical-risk memo item, tagged so that it can be found again."""

    retrospective = models.ForeignKey(Retrospective, verbose_name=_("retrospective"),
                                      on_delete=models.CASCADE, related_name="lessons")
    key = models.UUIDField(_("key"), default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=8, choices=LessonKind.choices,
                            default=LessonKind.LESSON)
    text = models.TextField(_("lesson"))
    industry = models.CharField(_("industry"), max_length=120, blank=True)
    product = models.CharField(_("product"), max_length=120, blank=True)
    criterion_type = models.CharField(_("criterion type"), max_length=120, blank=True,
                                      help_text=_("e.g. throughput, durability, integration"))
    # A risk carried over from the execution log keeps its link and a copy of its text.
    log_entry = models.ForeignKey("execution.LogEntry", verbose_name=_("from the log"),
                                  null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    severity = models.CharField(_("severity"), max_length=8, blank=True)
    mitigation = models.TextField(_("mitigation"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["retrospective", "position", "id"]
        indexes = [models.Index(fields=["industry"]), models.Index(fields=["product"]),
                   models.Index(fields=["criterion_type"])]

    def __str__(self) -> str:
        return self.text[:80]


class RoleRate(models.Model):
    """A team's internal hourly rate per role, used to cost the hours spent on a POC."""

    team = models.ForeignKey("people.Team", verbose_name=_("team"), on_delete=models.CASCADE,
                             related_name="role_rates")
    role = models.CharField(_("role"), max_length=80)
    hourly_rate = models.DecimalField(_("hourly rate"), max_digits=10, decimal_places=2,
                                      validators=[MinValueValidator(0)])
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency_code])

    class Meta:
        verbose_name = _("internal rate")
        verbose_name_plural = _("internal rates")
        ordering = ["team", "role"]
        constraints = [models.UniqueConstraint(fields=["team", "role"],
                                               name="role_rate_one_per_role")]

    def __str__(self) -> str:
        return f"{self.role} · {self.hourly_rate} {self.currency}"


class CostKind(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("cost", "Planned")
    ACTUAL = "actual", pgettext_lazy("cost", "Actual")


class CostEntry(models.Model):
    """A planned or actual cost of the POC: internal hours × rate per role, or an amount
    (materials, logistics, travel, licences), with who pays it."""

    poc = models.ForeignKey("pocs.POC", verbose_name=_("POC"), on_delete=models.CASCADE,
                            related_name="cost_entries")
    kind = models.CharField(_("planned or actual"), max_length=8, choices=CostKind.choices,
                            default=CostKind.ACTUAL)
    category = models.CharField(_("category"), max_length=20,
                                choices=CostCategory.choices)
    description = models.CharField(_("description"), max_length=300)
    role = models.CharField(_("role"), max_length=80, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=8, decimal_places=1, null=True,
                                blank=True, validators=[MinValueValidator(0)])
    hourly_rate = models.DecimalField(_("hourly rate"), max_digits=10, decimal_places=2,
                                      null=True, blank=True, validators=[MinValueValidator(0)])
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2,
                                 validators=[MinValueValidator(0)])
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency_code])
    paid_by = models.CharField(_("paid by"), max_length=10, choices=Payer.choices,
                               default=Payer.VENDOR)
    incurred_on = models.DateField(_("date"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("cost entry")
        verbose_name_plural = _("cost entries")
        ordering = ["poc", "kind", "incurred_on", "id"]
        indexes = [models.Index(fields=["poc", "kind"])]

    def __str__(self) -> str:
        return self.description


class RiskCost(models.Model):
    """A risk the POC removes, with the customer's estimated cost of it (the ROI sheet, §9.4)."""

    poc = models.ForeignKey("pocs.POC", verbose_name=_("POC"), on_delete=models.CASCADE,
                            related_name="risk_costs")
    description = models.CharField(_("risk the POC removes"), max_length=300)
    probability = models.DecimalField(
        _("likelihood without the POC (%)"), max_digits=5, decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)])
    impact = models.DecimalField(_("cost if it happens"), max_digits=16, decimal_places=2,
                                 validators=[MinValueValidator(0)])
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency_code])
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("risk cost")
        verbose_name_plural = _("risk costs")
        ordering = ["poc", "position", "id"]

    def __str__(self) -> str:
        return self.description
