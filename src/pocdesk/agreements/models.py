"""The POC agreement (§5.4): structured clauses, customer resources and cost sharing."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pocdesk.core.reference import validate_currency_code


class FollowOnKind(models.TextChoices):
    NONE = "none", _("No follow-on commitment")
    PRIORITY = "priority", _("Priority in the purchase")
    CONDITIONAL_PO = "conditional_po", _("Conditional purchase order")
    RIGHT_OF_FIRST_REFUSAL = "right_of_first_refusal", _("Right of first refusal")


class ResourceKind(models.TextChoices):
    ENVIRONMENT = "environment", _("Environment / site")
    DATA = "data", _("Data or samples")
    INTERFACES = "interfaces", _("Interfaces / access")
    PEOPLE = "people", _("People")
    EQUIPMENT = "equipment", _("Equipment")
    OTHER = "other", _("Other")


class ResourceStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    READY = "ready", _("Ready")
    WAIVED = "waived", _("Waived")


class CostCategory(models.TextChoices):
    MATERIALS = "materials", _("Materials")
    LABOUR = "labour", _("Labour")
    LOGISTICS = "logistics", _("Logistics")
    TRAVEL = "travel", _("Travel")
    LICENCES = "licences", _("Licences")
    OTHER = "other", _("Other")


class Payer(models.TextChoices):
    VENDOR = "vendor", _("Vendor")
    CUSTOMER = "customer", _("Customer")
    SHARED = "shared", _("Shared")


class ClauseTexts(models.Model):
    """The clause texts, shared by an agreement and a team's template."""

    scope_included = models.TextField(_("scope included"), blank=True)
    scope_excluded = models.TextField(_("scope excluded"), blank=True)
    ip_ownership = models.TextField(_("intellectual property"), blank=True)
    confidentiality = models.TextField(_("confidentiality"), blank=True)
    follow_on_kind = models.CharField(_("follow-on order"), max_length=30,
                                      choices=FollowOnKind.choices, default=FollowOnKind.PRIORITY)
    follow_on = models.TextField(_("follow-on order clause"), blank=True)
    exit_slip_days = models.PositiveIntegerField(
        _("exit after a deadline slip of (days)"), default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)])
    exit_clause = models.TextField(_("exit clause"), blank=True)
    data_handling = models.TextField(_("data handling"), blank=True)
    checkpoint_cadence_days = models.PositiveIntegerField(
        _("checkpoint every (days)"), default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)])

    class Meta:
        abstract = True


CLAUSE_TEXT_FIELDS = ["scope_included", "scope_excluded", "ip_ownership", "confidentiality",
                      "follow_on", "exit_clause", "data_handling"]
CLAUSE_FIELDS = CLAUSE_TEXT_FIELDS + ["follow_on_kind", "exit_slip_days",
                                      "checkpoint_cadence_days"]


class Agreement(ClauseTexts):
    poc = models.OneToOneField("pocs.POC", verbose_name=_("POC"), on_delete=models.CASCADE,
                               related_name="agreement")
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    nda_reference = models.CharField(_("NDA reference"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="agreement_end_after_start",
                violation_error_message=_("The end date must not be before the start date."),
            )
        ]

    def __str__(self) -> str:
        return str(self.poc)


AGREEMENT_FIELDS = CLAUSE_FIELDS + ["start_date", "end_date", "nda_reference"]


class CustomerResource(models.Model):
    """Something the customer provides for the POC, by a due date (environment, data, people)."""

    agreement = models.ForeignKey(Agreement, verbose_name=_("agreement"),
                                  on_delete=models.CASCADE, related_name="resources")
    key = models.UUIDField(_("key"), default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=ResourceKind.choices,
                            default=ResourceKind.ENVIRONMENT)
    description = models.CharField(_("description"), max_length=300)
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=10, choices=ResourceStatus.choices,
                              default=ResourceStatus.PENDING)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("customer resource")
        verbose_name_plural = _("customer resources")
        ordering = ["agreement", "position", "id"]

    def __str__(self) -> str:
        return self.description


class CostLine(models.Model):
    agreement = models.ForeignKey(Agreement, verbose_name=_("agreement"),
                                  on_delete=models.CASCADE, related_name="cost_lines")
    key = models.UUIDField(_("key"), default=uuid.uuid4, editable=False)
    category = models.CharField(_("category"), max_length=20, choices=CostCategory.choices,
                                default=CostCategory.MATERIALS)
    description = models.CharField(_("description"), max_length=300)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2,
                                 validators=[MinValueValidator(0)])
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency_code])
    paid_by = models.CharField(_("paid by"), max_length=10, choices=Payer.choices,
                               default=Payer.VENDOR)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("cost line")
        verbose_name_plural = _("cost lines")
        ordering = ["agreement", "position", "id"]

    def __str__(self) -> str:
        return self.description


RESOURCE_FIELDS = ["kind", "description", "due_date", "status"]
COST_FIELDS = ["category", "description", "amount", "currency", "paid_by"]


class AgreementTemplate(ClauseTexts):
    """A team's default clause texts in one language; built-in texts apply where none exists."""

    team = models.ForeignKey("people.Team", verbose_name=_("team"), on_delete=models.CASCADE,
                             related_name="agreement_templates")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("updated by"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("agreement template")
        verbose_name_plural = _("agreement templates")
        constraints = [models.UniqueConstraint(fields=["team", "language"],
                                               name="agreement_template_one_per_language")]

    def __str__(self) -> str:
        return f"{self.team} · {self.get_language_display()}"
