"""factory-boy factories for the tests (never used by the product)."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from pocdesk.accounts.models import Account
from pocdesk.opportunities.models import Opportunity
from pocdesk.people.models import Membership, Profile, Role, Team
from pocdesk.pocs.models import POC


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Team {n}")
    slug = factory.Sequence(lambda n: f"team-{n}")
    reporting_currency = "EUR"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password("pw-for-tests")
    profile = factory.RelatedFactory("tests.factories.ProfileFactory", factory_related_name="user")


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile
        django_get_or_create = ("user",)

    display_name = factory.LazyAttribute(lambda profile: profile.user.username.title())
    language = "en"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.PRESALES_ENGINEER


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account

    team = factory.SubFactory(TeamFactory)
    name = factory.Sequence(lambda n: f"Customer {n}")
    country = "FR"
    industry = "Manufacturing"
    currency = "EUR"


class OpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opportunity

    account = factory.SubFactory(AccountFactory)
    team = factory.SelfAttribute("account.team")
    name = factory.Sequence(lambda n: f"Deal {n}")
    amount = Decimal("250000.00")
    currency = "EUR"
    exchange_rate = Decimal("1")
    expected_close_date = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=90))
    owner = factory.SubFactory(UserFactory)


class POCFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = POC

    opportunity = factory.SubFactory(OpportunityFactory)
    team = factory.SelfAttribute("opportunity.team")
    title = factory.Sequence(lambda n: f"POC {n}")
    objective = "Prove the product meets the customer's targets."
    owner = factory.SelfAttribute("opportunity.owner")


def make_qualifiable(poc, *, actor=None):
    """Fill in what the qualification gate's default mandatory checks need, through the models:
    documented process, confirmed budget, an engaged executive sponsor, commitment level 1."""
    from pocdesk.stakeholders.models import Engagement, Stakeholder

    opportunity = poc.opportunity
    opportunity.purchase_process = "rfp"
    opportunity.purchase_reference = "RFP-2026-001"
    opportunity.budget_confirmed = True
    opportunity.budget_confirmed_by = "CFO"
    opportunity.save()
    sponsor = Stakeholder.objects.create(
        team=poc.team, account=opportunity.account, opportunity=opportunity, name="Dana Sponsor",
        title="COO", role="executive_sponsor", influence="high", attitude="supporter")
    Engagement.objects.create(stakeholder=sponsor, poc=poc, kind="meeting", recorded_by=actor)
    poc.commitment_level = 1
    poc.commitment_reference = "Letter of intent LOI-7"
    poc.save()
    make_criterion(poc)
    return poc


def make_criterion(poc, **overrides):
    """A measurable must-have criterion in the POC's draft, through the model."""
    from pocdesk.criteria.models import Criterion

    values = {"title": "Throughput", "question": "Does the line keep up with peak load?",
              "metric": "throughput", "unit": "t/h", "comparator": "gte",
              "target_value": Decimal("120"), "measurement_method": "Weighbridge totals per hour",
              "aggregation": "mean", "must_have": True, "importance": 5}
    values.update(overrides)
    position = poc.criteria.count() + 1
    return Criterion.objects.create(poc=poc, position=position, **values)


def make_agreement(poc, *, actor):
    """Start the POC's agreement from the built-in template, with one resource and one cost."""
    from pocdesk.agreements.services import agreement_save

    return agreement_save(actor=actor, poc=poc, clauses={
        "scope_included": "Line 2 crusher, adaptive control module.",
        "start_date": datetime.date(2026, 1, 5), "end_date": datetime.date(2026, 2, 4)},
        resources=[{"kind": "environment", "description": "Access to line 2",
                    "due_date": datetime.date(2026, 1, 2)}],
        cost_lines=[{"category": "travel", "description": "Two site visits",
                     "amount": Decimal("4200.00"), "currency": "EUR", "paid_by": "vendor"}])


def sign_both(version, *, actor):
    """Sign a submitted version for the vendor (in the app) and the customer (signed scan)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from pocdesk.signoffs.services import signoff_record

    signoff_record(actor=actor, version=version, side="vendor", method="in_app",
                   signer_title="Presales lead")
    scan = SimpleUploadedFile("signed.pdf", b"%PDF-1.4\n% signed scan\n%%EOF\n",
                              content_type="application/pdf")
    signoff_record(actor=actor, version=version, side="customer", method="scan",
                   signer_name="Dana Sponsor", signer_title="COO", scan=scan)
    version.refresh_from_db()
    return version


def make_plan_signed(poc, *, actor):
    """Criteria and agreement of a POC submitted and signed by both sides."""
    from pocdesk.signoffs.services import plan_version_submit

    if not poc.criteria.exists():
        make_criterion(poc)
    if not hasattr(poc, "agreement"):
        make_agreement(poc, actor=actor)
    return {kind: sign_both(plan_version_submit(actor=actor, poc=poc, kind=kind), actor=actor)
            for kind in ("criteria", "agreement")}


def make_customer(poc, *, name="Chris Customer", role="champion", **overrides):
    """A customer stakeholder of the POC's deal, through the model."""
    from pocdesk.stakeholders.models import Stakeholder

    values = {"team": poc.team, "account": poc.opportunity.account,
              "opportunity": poc.opportunity, "name": name, "title": "Plant manager",
              "side": "customer", "role": role}
    values.update(overrides)
    return Stakeholder.objects.create(**values)


def make_milestone(poc, **overrides):
    """A planned checkpoint of the POC, through the model (`planned_date` defaults to the due
    date, as when first planned)."""
    from pocdesk.timebox.models import Milestone

    values = {"kind": "checkpoint", "sequence": 1, "due_date": datetime.date(2026, 3, 10)}
    values.update(overrides)
    values.setdefault("planned_date", values["due_date"])
    return Milestone.objects.create(poc=poc, **values)


def make_extension(poc, *, requested_by, days=14, **overrides):
    """A pending extension request moving the POC's current end by `days`, through the model."""
    from pocdesk.timebox.models import Extension

    previous_end = overrides.pop("previous_end", poc.end_date)
    values = {"reason": "The customer's data arrived late.", "previous_end": previous_end,
              "requested_end": previous_end + datetime.timedelta(days=days), "days": days,
              "requested_by": requested_by}
    values.update(overrides)
    return Extension.objects.create(poc=poc, **values)


def make_scope_change(poc, *, recorded_by, requested_by=None, **overrides):
    """A pending minor adjustment asked by a customer stakeholder, through the model."""
    from pocdesk.scope.models import ScopeChange

    values = {"text": "Add a column to the daily report.", "effort_hours": Decimal("8"),
              "change_class": "minor_adjustment",
              "requested_by": requested_by or make_customer(poc, name="Requester")}
    values.update(overrides)
    return ScopeChange.objects.create(poc=poc, recorded_by=recorded_by, **values)


def make_commitment(poc, *, made_by, made_to=None, **overrides):
    """An open uncertain commitment due 24 hours after it was made, through the model."""
    from django.utils import timezone

    from pocdesk.scope.models import Commitment

    made_at = overrides.pop("made_at", timezone.now())
    values = {"text": "Confirm the data can stay on site.", "category": "uncertain",
              "made_at": made_at, "due_at": made_at + datetime.timedelta(hours=24),
              "made_to": made_to or make_customer(poc, name="Promisee")}
    values.update(overrides)
    return Commitment.objects.create(poc=poc, made_by=made_by, recorded_by=made_by, **values)


def make_measurement(criterion, *, value=None, passed=None, measured_at=None, **overrides):
    """One reading of a criterion, through the model (a number unless `passed` is given)."""
    from django.utils import timezone

    from pocdesk.execution.models import Measurement

    if value is None and passed is None:
        value = Decimal("1")
    values = {"measured_at": measured_at or timezone.now(),
              "value": None if value is None else Decimal(str(value)), "passed": passed}
    values.update(overrides)
    return Measurement.objects.create(poc=criterion.poc, criterion=criterion, **values)


def make_log_entry(poc, *, recorded_by=None, **overrides):
    """An observation in the POC's execution log, through the model."""
    from pocdesk.execution.models import LogEntry

    values = {"kind": "observation", "title": "Dust level high near the feeder."}
    values.update(overrides)
    return LogEntry.objects.create(poc=poc, recorded_by=recorded_by, **values)


def make_meeting(poc, *, attendees=(), absent=(), **overrides):
    """A held weekly sync, through the model; `attendees` came, `absent` were invited only."""
    from pocdesk.governance.models import Attendance, Meeting

    values = {"meeting_type": "weekly_sync", "status": "held",
              "date": datetime.date(2026, 3, 10)}
    values.update(overrides)
    meeting = Meeting.objects.create(poc=poc, **values)
    for stakeholder in attendees:
        Attendance.objects.create(meeting=meeting, stakeholder=stakeholder, attended=True)
    for stakeholder in absent:
        Attendance.objects.create(meeting=meeting, stakeholder=stakeholder, attended=False)
    return meeting


def make_action_item(poc, **overrides):
    """An open action item, through the model."""
    from pocdesk.governance.models import ActionItem

    values = {"text": "Send the dust-sensor calibration sheet."}
    values.update(overrides)
    return ActionItem.objects.create(poc=poc, **values)


def make_closable(poc, *, commercial_result="won", reason_code=None, technical_result=None,
                  override_reason="", order_value=Decimal("100000"), submitted=True):
    """Record complete results and a submitted retrospective, through the models, so that the
    evaluating → closed guard passes (the technical result is the derived one by default)."""
    from pocdesk.results.derive import derive_technical_result
    from pocdesk.results.models import LossReason, PocResult, Retrospective

    derived = derive_technical_result(poc).result
    reason = LossReason.objects.get(code=reason_code or "price") \
        if commercial_result != "won" else None
    PocResult.objects.update_or_create(poc=poc, defaults={
        "derived_technical_result": derived,
        "technical_result": technical_result or derived or "success",
        "technical_override_reason": override_reason or ("" if derived else "No criteria."),
        "commercial_result": commercial_result, "reason": reason,
        "order_value": order_value if commercial_result == "won" else None,
        "order_currency": poc.opportunity.currency if commercial_result == "won" else "",
    })
    Retrospective.objects.update_or_create(poc=poc, defaults={
        "went_well": "The sponsor came to every steering meeting.",
        "to_improve": "Agree on the data format before the start.",
        "submitted_at": timezone.now() if submitted else None,
    })
    return poc


def make_cost_entry(poc, **overrides):
    """An actual vendor-paid travel cost of the POC in the deal's currency, through the model."""
    from pocdesk.results.models import CostEntry

    values = {"kind": "actual", "category": "travel", "description": "Site visit",
              "amount": Decimal("1000.00"), "currency": poc.opportunity.currency,
              "paid_by": "vendor"}
    values.update(overrides)
    return CostEntry.objects.create(poc=poc, **values)


def make_agreement_cost_line(poc, **overrides):
    """A planned cost line of the POC's agreement (the agreement made bare if missing)."""
    from pocdesk.agreements.models import Agreement, CostLine

    agreement = Agreement.objects.get_or_create(poc=poc)[0]
    values = {"category": "materials", "description": "Sample luminaires",
              "amount": Decimal("2000.00"), "currency": poc.opportunity.currency,
              "paid_by": "vendor"}
    values.update(overrides)
    return CostLine.objects.create(agreement=agreement, **values)
