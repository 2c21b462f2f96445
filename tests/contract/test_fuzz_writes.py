"""Hypothesis fuzzing of the writes: valid bodies with some fields replaced by any JSON value.

Schemathesis mostly produces bodies refused early; these start from a body that would be
accepted, so the fuzzed values reach the services. Whatever the value: no 5xx, and a refusal
changes nothing in the database.
"""

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pocdesk.accounts.models import Account, CompanySize
from pocdesk.agreements.models import Agreement, CostLine, CustomerResource
from pocdesk.core.models import Event
from pocdesk.criteria.models import Aggregation, Comparator, Criterion
from pocdesk.execution.models import (
    Evidence,
    KeyEvent,
    LogEntry,
    LogKind,
    LogStatus,
    Measurement,
    Severity,
)
from pocdesk.opportunities.models import (
    CloseDatePush,
    Competitor,
    CompetitorPosition,
    Opportunity,
    Source,
    Stage,
)
from pocdesk.people.services import api_token_create
from pocdesk.pocs.models import POC, PocType, Status
from pocdesk.qualification.models import QualificationOverride
from pocdesk.scope.models import (
    ChangeClass,
    ChangeDecision,
    Commitment,
    CommitmentCategory,
    CommitmentStatus,
    ScopeChange,
)
from pocdesk.signoffs.models import PlanVersion, Signature
from pocdesk.signoffs.services import plan_version_submit
from pocdesk.stakeholders.models import (
    Attitude,
    Engagement,
    EngagementKind,
    Influence,
    Side,
    Stakeholder,
    StakeholderRole,
)
from pocdesk.timebox.models import (
    ExitDecision,
    ExitDecisionKind,
    Extension,
    Milestone,
    MilestoneKind,
    MilestoneStatus,
)
from tests.factories import (
    POCFactory,
    make_criterion,
    make_customer,
    make_log_entry,
    make_measurement,
)

ODD_VALUES = [
    "", " ", "\x00", "\ud800", "é" * 300, "9999-12-31", "0001-01-01", "10000-01-01",
    "2027-02-30", "1e400", "-1e400", "NaN", "Infinity", "-0", "0.001",
    "12345678901234567890.12", 2**63, -(2**63), 10**40, 1e308, float("inf"), -1, 0, True,
    [], {}, [{"name": "Signify", "position": "ahead"}], [{"name": "x" * 200}],
]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
    | st.sampled_from(ODD_VALUES),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=6,
)


dates = st.dates().map(lambda date: date.isoformat())
texts = st.text(min_size=1, max_size=260)
numbers = (st.decimals(allow_nan=False, allow_infinity=False).map(str)
           | st.integers(-1, 10**18))
datetimes = (st.datetimes(timezones=st.none() | st.timezones()).map(
    lambda moment: moment.isoformat()))
# Values of the right shape, often valid, so that many fuzzed bodies reach the database.
PLAUSIBLE = {
    **dict.fromkeys(["title", "objective", "name", "notes", "industry", "reason",
                     "close_date_reason", "description", "website", "purchase_reference",
                     "budget_confirmed_by", "nda_reference", "red_flag_notes", "needs_deep",
                     "email", "note", "commitment_reference", "conditional_po_reference",
                     "conditional_po_criteria", "question", "metric", "unit",
                     "pass_condition", "test_conditions", "measurement_method", "frequency",
                     "scope_included", "scope_excluded", "ip_ownership", "confidentiality",
                     "follow_on", "exit_clause", "data_handling", "signer_name",
                     "signer_title", "text", "evidence_note", "preconditions", "feasibility",
                     "conditions", "body", "mitigation"],
                    texts),
    **dict.fromkeys(["start_date", "end_date", "expected_close_date", "decision_date",
                     "budget_confirmed_on", "date", "due_date", "completed_on", "requested_end",
                     "requested_on", "start", "end"], dates),
    **dict.fromkeys(["budget_amount", "funded_amount", "funded_share", "conditional_po_value",
                     "target_value", "tolerance", "target_min", "target_max",
                     "required_share", "effort_hours", "quote_amount", "planned_effort_hours"],
                    numbers),
    **dict.fromkeys(["budget_confirmed", "customer_evasive", "override", "must_have",
                     "customer_witness", "approve", "beyond_policy", "approve_duration"],
                    st.booleans()),
    **dict.fromkeys(["customer_owner", "witnessed_by", "requested_by", "made_to", "made_by",
                     "scope_change"], st.integers(1, 6)),
    **dict.fromkeys(["made_at", "due_at", "measured_at", "occurred_at", "witnessed_at"],
                    datetimes),
    "value": numbers,
    "passed": st.booleans() | st.sampled_from(["pass", "no", "maybe"]),
    **dict.fromkeys(["criterion", "evidence_ids"], st.integers(1, 6)
                    | st.lists(st.integers(1, 6), max_size=3)),
    "key_event": st.sampled_from([*KeyEvent.values, "party"]),
    "severity": st.sampled_from([*Severity.values, "dire"]),
    "milestone": st.uuids().map(str),
    "items": st.lists(st.fixed_dictionaries(
        {"criterion": st.integers(1, 6), "measured_at": datetimes}, optional={
            "value": numbers, "passed": st.booleans(), "note": texts,
            "conditions": st.text(max_size=400)}), max_size=4),
    **dict.fromkeys(["sequence", "cadence_days"], st.integers(-1, 100)),
    "decision": st.sampled_from([*ChangeDecision.values, *ExitDecisionKind.values, "maybe"]),
    "change_class": st.sampled_from([*ChangeClass.values, "feature"]),
    "category": st.sampled_from([*CommitmentCategory.values, "promise"]),
    "status": st.sampled_from([*MilestoneStatus.values, *CommitmentStatus.values,
                               *LogStatus.values, "late"]),
    "quote_currency": st.sampled_from(["EUR", "usd", "XXX", "", "EURO"]),
    "milestones": st.lists(st.fixed_dictionaries(
        {"due_date": dates}, optional={
            "kind": st.sampled_from([*MilestoneKind.values, "party"]),
            "key": st.uuids().map(str), "owner": st.integers(1, 6),
            "status": st.sampled_from([*MilestoneStatus.values, "late"]),
            "completed_on": dates, "witnessed_by": st.integers(1, 6)}), max_size=4),
    **dict.fromkeys(["stakeholder", "reports_to", "stakeholder_id"], st.integers(1, 6)),
    **dict.fromkeys(["importance", "version"], st.integers(-1, 7)),
    **dict.fromkeys(["exit_slip_days", "checkpoint_cadence_days"], st.integers(-1, 400)),
    "comparator": st.sampled_from([*Comparator.values, "approx"]),
    "aggregation": st.sampled_from(Aggregation.values),
    "owner_side": st.sampled_from(["vendor", "customer", "both"]),
    "follow_on_kind": st.sampled_from(["none", "priority", "conditional_po",
                                       "right_of_first_refusal", "later"]),
    "method": st.sampled_from(["in_app", "scan", "fax"]),
    "signed_at": datetimes,
    "resources": st.lists(st.fixed_dictionaries(
        {"kind": st.sampled_from(["data", "people", "money"]), "description": texts,
         "due_date": dates}, optional={"status": st.sampled_from(["pending", "ready", "x"]),
                                       "key": st.uuids().map(str)}), max_size=3),
    "cost_lines": st.lists(st.fixed_dictionaries(
        {"description": texts, "amount": numbers,
         "currency": st.sampled_from(["EUR", "usd", "XXX", ""])},
        optional={"category": st.sampled_from(["travel", "bribes"]),
                  "paid_by": st.sampled_from(["vendor", "shared", "nobody"])}), max_size=3),
    "level": st.integers(-1, 4),
    "purchase_process": st.sampled_from(["none", "rfp", "tender", "handshake"]),
    "role": st.sampled_from(StakeholderRole.values),
    "side": st.sampled_from(Side.values),
    "influence": st.sampled_from(Influence.values),
    "attitude": st.sampled_from(Attitude.values),
    "kind": st.sampled_from([*EngagementKind.values, "criteria", "agreement",
                             *MilestoneKind.values, *LogKind.values]),
    **dict.fromkeys(["amount", "exchange_rate"], st.decimals(allow_nan=False, allow_infinity=False)
                    .map(str) | st.integers(-1, 10**18)),
    **dict.fromkeys(["owner", "opportunity", "account"], st.integers(1, 6)),
    "currency": st.sampled_from(["EUR", "USD", "CNY", "eur", "XXX", "EURO"]),
    "country": st.sampled_from(["FR", "cn", "ZZ", "", "FRA"]),
    "to": st.sampled_from(Status.values),
    "type": st.sampled_from(PocType.values),
    "stage": st.sampled_from(Stage.values),
    "source": st.sampled_from(["", *Source.values]),
    "size": st.sampled_from(["", *CompanySize.values]),
    "language": st.sampled_from(["en", "fr", "zh-hans", "de"]),
    "competitors": st.lists(st.fixed_dictionaries({
        "name": st.text(max_size=130), "position": st.sampled_from(CompetitorPosition.values)}),
        max_size=3),
}


def database_state():
    """Everything a write may touch."""
    return (
        list(Account.objects.order_by("pk").values_list()),
        list(Opportunity.objects.order_by("pk").values_list()),
        list(Competitor.objects.order_by("pk").values_list()),
        list(CloseDatePush.objects.order_by("pk").values_list()),
        list(POC.objects.order_by("pk").values_list()),
        list(Stakeholder.objects.order_by("pk").values_list()),
        list(Engagement.objects.order_by("pk").values_list()),
        list(QualificationOverride.objects.order_by("pk").values_list()),
        list(Criterion.objects.order_by("pk").values_list()),
        list(Agreement.objects.order_by("pk").values_list()),
        list(CustomerResource.objects.order_by("pk").values_list()),
        list(CostLine.objects.order_by("pk").values_list()),
        list(PlanVersion.objects.order_by("pk").values_list()),
        list(Signature.objects.order_by("pk").values_list()),
        list(Milestone.objects.order_by("pk").values_list()),
        list(Extension.objects.order_by("pk").values_list()),
        list(ExitDecision.objects.order_by("pk").values_list()),
        list(ScopeChange.objects.order_by("pk").values_list()),
        list(Commitment.objects.order_by("pk").values_list()),
        list(Measurement.objects.order_by("pk").values_list()),
        list(LogEntry.objects.order_by("pk").values_list()),
        list(Evidence.objects.order_by("pk").values_list()),
        Event.objects.count(),
    )


@pytest.fixture
def writes(poc, manager):
    """(method, path, valid body) for every write, sent as a manager of the POC's team."""
    opportunity = poc.opportunity
    sponsor = Stakeholder.objects.create(team=poc.team, account=opportunity.account,
                                         name="Sponsor", role="executive_sponsor")
    criterion = make_criterion(poc)
    version = plan_version_submit(actor=manager, poc=poc, kind="criteria")
    today = timezone.localdate()
    # Ended two months ago: with the team's 30 days of grace, its exit clause is reached.
    late = POCFactory(opportunity=opportunity, owner=manager, status="running",
                      start_date=today - datetime.timedelta(days=90),
                      end_date=today - datetime.timedelta(days=60))
    extensible = POCFactory(opportunity=opportunity, owner=manager, status="running",
                            start_date=today - datetime.timedelta(days=10),
                            end_date=today + datetime.timedelta(days=20))
    milestone = Milestone.objects.create(poc=late, kind="first_run", due_date=today,
                                         planned_date=today, customer_witness=True)
    extension = Extension.objects.create(
        poc=late, reason="Late", previous_end=late.end_date,
        requested_end=late.end_date + datetime.timedelta(days=14), days=14,
        requested_by=manager)
    change = ScopeChange.objects.create(poc=late, text="CSV export", requested_by=sponsor,
                                        effort_hours=4, change_class="specific_development",
                                        recorded_by=manager)
    commitment = Commitment.objects.create(
        poc=late, text="Answer on SSO", made_by=manager, made_to=sponsor, category="uncertain",
        due_at=timezone.now() + datetime.timedelta(hours=24), recorded_by=manager)
    soon = (today + datetime.timedelta(days=7)).isoformat()
    yesterday = (today - datetime.timedelta(days=1)).isoformat()
    return {
        "account_create": ("post", "/accounts", {
            "name": "Fuzzed customer", "country": "FR", "currency": "EUR", "size": "large",
            "industry": "Retail", "website": "https://example.com", "notes": "n"}),
        "account_update": ("patch", f"/accounts/{opportunity.account_id}", {
            "name": "Renamed", "country": "CN", "currency": "CNY", "notes": "n"}),
        "opportunity_create": ("post", "/opportunities", {
            "account": opportunity.account_id, "name": "Fuzzed deal", "amount": "1000.50",
            "currency": "EUR", "expected_close_date": "2027-06-30", "stage": "proposal",
            "source": "partner", "exchange_rate": "1",
            "competitors": [{"name": "Signify", "position": "ahead"}]}),
        "opportunity_update": ("patch", f"/opportunities/{opportunity.pk}", {
            "amount": "2000", "expected_close_date": "2027-09-30",
            "close_date_reason": "Budget", "owner": manager.pk, "stage": "negotiation",
            "competitors": [{"name": "Opple", "position": "behind"}]}),
        "poc_create": ("post", "/pocs", {
            "opportunity": opportunity.pk, "title": "Fuzzed POC", "objective": "Prove it",
            "type": "lab_test", "owner": manager.pk, "language": "fr",
            "start_date": "2027-01-04", "end_date": "2027-02-26",
            "planned_effort_hours": "120.5", "approve_duration": False}),
        "poc_update": ("patch", f"/pocs/{poc.pk}", {
            "title": "Retitled", "objective": "Prove more", "type": "prototype",
            "start_date": "2027-01-04", "end_date": "2027-06-26", "planned_effort_hours": "80",
            "approve_duration": True}),
        "poc_transition": ("post", f"/pocs/{poc.pk}/transition", {
            "to": "walked_away", "reason": "No budget"}),
        "poc_override": ("post", f"/pocs/{poc.pk}/transition", {
            "to": "qualified", "reason": "Strategic account, CEO sponsor", "override": True}),
        "opportunity_qualify": ("patch", f"/opportunities/{opportunity.pk}", {
            "purchase_process": "rfp", "purchase_reference": "RFP-1", "budget_confirmed": True,
            "budget_amount": "1000", "budget_confirmed_by": "CFO",
            "budget_confirmed_on": "2026-01-05", "decision_date": "2027-01-05",
            "nda_reference": "NDA", "customer_evasive": True, "red_flag_notes": "n"}),
        "stakeholder_create": ("post", "/stakeholders", {
            "account": opportunity.account_id, "opportunity": opportunity.pk, "name": "Hugo",
            "role": "champion", "side": "customer", "influence": "high", "attitude": "supporter",
            "reports_to": sponsor.pk, "needs_deep": "n", "email": "hugo@example.com"}),
        "stakeholder_update": ("patch", f"/stakeholders/{sponsor.pk}", {
            "name": "Claire", "role": "blocker", "attitude": "skeptic", "notes": "n"}),
        "engagement_record": ("post", f"/pocs/{poc.pk}/engagements", {
            "stakeholder": sponsor.pk, "date": "2026-02-02", "kind": "call", "note": "n"}),
        "poc_commitment_set": ("put", f"/pocs/{poc.pk}/commitment", {
            "level": 3, "conditional_po_reference": "PO", "conditional_po_value": "10",
            "conditional_po_criteria": "C1", "funded_amount": "5", "funded_share": "50",
            "commitment_reference": "LOI"}),
        "criterion_create": ("post", f"/pocs/{poc.pk}/criteria", {
            "title": "Uptime", "question": "Does it stay up?", "metric": "uptime", "unit": "%",
            "comparator": "gte", "target_value": "99.5", "test_conditions": "24/7",
            "measurement_method": "Monitoring export", "frequency": "daily",
            "aggregation": "mean", "owner_side": "customer", "importance": 4,
            "must_have": True}),
        "criterion_update": ("patch", f"/pocs/{poc.pk}/criteria/{criterion.pk}", {
            "comparator": "between", "target_value": None, "target_min": "100",
            "target_max": "140", "tolerance": None, "aggregation": "share_passing",
            "required_share": "95", "importance": 2}),
        "agreement_save": ("put", f"/pocs/{poc.pk}/agreement", {
            "scope_included": "Line 2", "start_date": "2027-01-04", "end_date": "2027-02-26",
            "exit_slip_days": 20, "checkpoint_cadence_days": 7, "follow_on_kind": "priority",
            "nda_reference": "NDA-1",
            "resources": [{"kind": "data", "description": "Samples", "due_date": "2027-01-02"}],
            "cost_lines": [{"category": "travel", "description": "Visit", "amount": "1200",
                            "currency": "EUR", "paid_by": "shared"}]}),
        "signoff_record": ("post", f"/pocs/{poc.pk}/signoffs", {
            "kind": "criteria", "version": version.number, "side": "vendor",
            "method": "in_app", "signer_name": "Lee", "signer_title": "Lead",
            "stakeholder_id": None, "signed_at": None}),
        "milestone_create": ("post", f"/pocs/{late.pk}/milestones", {
            "kind": "installation", "title": "Install on line 2", "sequence": 0,
            "due_date": soon, "owner": manager.pk, "customer_owner": sponsor.pk,
            "status": "planned", "customer_witness": True, "evidence_note": "n"}),
        "milestone_update": ("patch", f"/pocs/{late.pk}/milestones/{milestone.key}", {
            "due_date": soon, "status": "done", "witnessed_by": sponsor.pk,
            "completed_on": yesterday, "evidence_note": "Ran 4 h", "owner": manager.pk}),
        "milestone_plan_save": ("put", f"/pocs/{late.pk}/milestones", {"milestones": [
            {"key": str(milestone.key), "due_date": soon, "title": "First run on site"},
            {"kind": "checkpoint", "sequence": 1, "due_date": soon, "owner": manager.pk}]}),
        "milestone_plan_propose": ("post", f"/pocs/{late.pk}/milestones/propose", {
            "start": "2027-01-04", "end": "2027-03-29", "cadence_days": 7}),
        "extension_request": ("post", f"/pocs/{extensible.pk}/extensions", {
            "requested_end": (extensible.end_date + datetime.timedelta(days=14)).isoformat(),
            "reason": "Customer hardware late"}),
        "extension_decide": ("post", f"/pocs/{late.pk}/extensions/{extension.pk}/decision", {
            "approve": True, "note": "Fine", "beyond_policy": False}),
        "exit_decision_record": ("post", f"/pocs/{late.pk}/exit-decision", {
            "decision": "renegotiate", "note": "Agreed with the sponsor",
            "requested_end": None}),
        "scope_change_create": ("post", f"/pocs/{late.pk}/scope-changes", {
            "text": "Drive the emergency lights", "requested_by": sponsor.pk,
            "effort_hours": "12.5", "change_class": "minor_adjustment",
            "requested_on": yesterday}),
        "scope_change_update": ("patch", f"/pocs/{late.pk}/scope-changes/{change.pk}", {
            "text": "CSV and XLSX export", "effort_hours": "6", "change_class": "evolution",
            "requested_by": sponsor.pk, "requested_on": yesterday}),
        "scope_change_decide": ("post", f"/pocs/{late.pk}/scope-changes/{change.pk}/decision", {
            "decision": "quoted", "note": "Quote sent", "quote_amount": "5000",
            "quote_currency": "EUR", "override": False}),
        "commitment_create": ("post", f"/pocs/{late.pk}/commitments", {
            "text": "We will support SSO", "made_to": sponsor.pk, "category": "risky",
            "made_by": manager.pk, "made_at": None, "due_at": f"{soon}T17:00:00+01:00",
            "preconditions": "Their IdP speaks SAML", "scope_change": change.pk,
            "feasibility": "Checked with R&D"}),
        "commitment_update": ("patch", f"/pocs/{late.pk}/commitments/{commitment.pk}", {
            "text": "Answer on SSO and SCIM", "due_at": f"{soon}T12:00:00Z",
            "category": "uncertain", "made_to": sponsor.pk, "preconditions": "p"}),
        "commitment_resolve": ("post", f"/pocs/{late.pk}/commitments/{commitment.pk}/resolve", {
            "status": "kept", "note": "Answered"}),
        **execution_writes(extensible),
    }


def execution_writes(poc) -> dict[str, tuple]:
    """The writes on a running POC's records: readings and the execution log."""
    criterion = make_criterion(poc, title="Uptime")
    measurement = make_measurement(criterion, value="118",
                                   measured_at=timezone.now() - datetime.timedelta(hours=3))
    entry = make_log_entry(poc, kind="key_event", key_event="first_run",
                           occurred_at=timezone.now() - datetime.timedelta(hours=2))
    witness = make_customer(poc, name="Witness")
    hour_ago = (timezone.now() - datetime.timedelta(hours=1)).isoformat()
    reading = {"criterion": criterion.pk, "measured_at": hour_ago, "value": "125.5",
               "passed": None, "conditions": "Full load", "note": "n"}
    base = f"/pocs/{poc.pk}"
    return {
        "measurement_create": ("post", f"{base}/measurements", {**reading, "evidence_ids": []}),
        "measurement_update": ("patch", f"{base}/measurements/{measurement.pk}", {
            "value": "99.25", "measured_at": hour_ago, "note": "Recalibrated",
            "conditions": "Half load"}),
        "measurement_bulk_create": ("post", f"{base}/measurements/bulk", {
            "items": [reading, {**reading, "value": "130"}]}),
        "log_entry_create": ("post", f"{base}/log", {
            "kind": "risk", "title": "Three people need training", "body": "b",
            "severity": "high", "status": "open", "mitigation": "Train them",
            "occurred_at": hour_ago, "key_event": None, "witnessed_by": None}),
        "log_entry_update": ("patch", f"{base}/log/{entry.pk}", {
            "title": "First run on line 2", "body": "Ran 4 h", "occurred_at": hour_ago,
            "key_event": "first_run", "witnessed_by": witness.pk}),
        "log_entry_witness": ("post", f"{base}/log/{entry.pk}/witness", {
            "witnessed_by": witness.pk, "witnessed_at": hour_ago}),
    }


@pytest.fixture
def manager_client(manager):
    _token, key = api_token_create(actor=manager, user=manager, name="fuzzing")
    return Client(headers={"Authorization": f"Bearer {key}"})


TIMEBOX_AND_SCOPE_WRITES = [
    "milestone_create", "milestone_update", "milestone_plan_save", "milestone_plan_propose",
    "extension_request", "extension_decide", "exit_decision_record", "scope_change_create",
    "scope_change_update", "scope_change_decide", "commitment_create", "commitment_update",
    "commitment_resolve",
]
EXECUTION_WRITES = [
    "measurement_create", "measurement_update", "measurement_bulk_create", "log_entry_create",
    "log_entry_update", "log_entry_witness",
]


@pytest.mark.parametrize("write", [
    "account_create", "account_update", "opportunity_create", "opportunity_update",
    "poc_create", "poc_update", "poc_transition", "poc_override", "opportunity_qualify",
    "stakeholder_create", "stakeholder_update", "engagement_record", "poc_commitment_set",
    "criterion_create", "criterion_update", "agreement_save", "signoff_record",
    *TIMEBOX_AND_SCOPE_WRITES, *EXECUTION_WRITES,
])
@settings(max_examples=40, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_no_value_makes_a_write_fail(writes, manager_client, write, data):
    method, path, valid_body = writes[write]
    replaced = data.draw(st.just([]) | st.lists(st.sampled_from(sorted(valid_body)),
                                                min_size=1, max_size=3, unique=True))
    body = {**valid_body, **{name: data.draw(PLAUSIBLE[name] | json_values, label=name)
                             for name in replaced}}
    before = database_state()

    response = getattr(manager_client, method)(
        "/api/v1" + path, json.dumps(body), content_type="application/json")

    assert response.status_code in (200, 201, 400, 404, 409, 422), response.content
    answer = response.json()
    if response.status_code >= 400:
        assert set(answer) == {"code", "message", "details"}
        assert database_state() == before


@pytest.mark.parametrize("write", [
    "poc_create", "poc_update", "poc_override", "opportunity_qualify", "stakeholder_create",
    "stakeholder_update", "engagement_record", "poc_commitment_set", "criterion_create",
    "criterion_update", "agreement_save", "signoff_record", *TIMEBOX_AND_SCOPE_WRITES,
    *EXECUTION_WRITES,
])
def test_the_valid_bodies_are_accepted(writes, manager_client, write):
    """The fuzzing starts from bodies that would succeed, so its values reach the services."""
    method, path, valid_body = writes[write]

    response = getattr(manager_client, method)(
        "/api/v1" + path, json.dumps(valid_body), content_type="application/json")

    assert response.status_code in (200, 201), response.content
