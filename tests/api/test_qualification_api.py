"""The qualification gate through the API: its result, its refusals, fixing the data, overrides,
the commitment ladder and the opportunity's qualification fields."""

import pytest
from django.utils import translation

from pocdesk.core.errors import TransitionRefused
from pocdesk.core.models import Event
from pocdesk.opportunities.models import Opportunity
from pocdesk.pocs.models import POC
from pocdesk.pocs.services import poc_transition
from pocdesk.qualification.models import QualificationOverride
from pocdesk.qualification.selectors import qualification_evaluate
from pocdesk.stakeholders.models import Engagement, Stakeholder
from tests.factories import POCFactory

DEFAULT_UNMET = ["purchase_process", "budget_confirmed", "executive_sponsor", "commitment_level",
                 "success_criteria"]


def state(poc):
    """What a refused call must leave untouched."""
    poc = POC.objects.get(pk=poc.pk)
    opportunity = Opportunity.objects.get(pk=poc.opportunity_id)
    return (poc.status, poc.commitment_level, poc.commitment_reference, poc.funded_amount,
            opportunity.budget_confirmed, opportunity.amount, opportunity.customer_evasive,
            QualificationOverride.objects.count(), Stakeholder.objects.count(),
            Engagement.objects.count(), Event.objects.exclude(verb__startswith="token.").count())


# --- GET /pocs/{id}/qualification ----------------------------------------------------------------

def test_the_gate_result_has_the_documented_shape(poc, engineer, api_as):
    response = api_as(engineer).get(f"/pocs/{poc.pk}/qualification")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"score", "verdict", "checks", "red_flags", "reasons", "score_items",
                         "override"}
    assert isinstance(body["score"], int) and 0 <= body["score"] <= 100
    assert body["verdict"] in ("go", "go_with_conditions", "walk_away")
    assert body["override"] is None
    for check in body["checks"]:
        assert set(check) == {"code", "status", "passed", "mandatory", "message", "points", "fix"}
        assert (type(check["passed"]), type(check["mandatory"]), type(check["points"])) == (
            bool, bool, int)
        assert check["passed"] == (check["status"] == "passed")
    for flag in body["red_flags"]:
        assert set(flag) == {"code", "message", "penalty"}
    for item in body["score_items"]:
        assert set(item) == {"code", "points", "of", "message"}
    assert all(isinstance(reason, str) for reason in body["reasons"])


def test_the_gate_result_is_the_selector_s(poc, engineer, api_as):
    body = api_as(engineer).get(f"/pocs/{poc.pk}/qualification").json()
    result = qualification_evaluate(poc=poc)

    assert (body["score"], body["verdict"], body["reasons"]) == (
        result.score, result.verdict, result.reasons)
    assert body["checks"] == [
        {"code": check.code, "status": check.status, "passed": check.passed,
         "mandatory": check.mandatory, "message": check.message, "points": check.points,
         "fix": check.fix} for check in result.checks]
    assert body["red_flags"] == [{"code": flag.code, "message": flag.message,
                                  "penalty": flag.penalty} for flag in result.red_flags]
    assert body["score_items"] == result.score_items
    assert [check["code"] for check in body["checks"] if check["mandatory"]
            and not check["passed"]] == DEFAULT_UNMET
    assert {flag["code"] for flag in body["red_flags"]} >= {
        "no_budget", "no_process", "no_executive_sponsor"}


def test_a_qualifiable_poc_passes_every_mandatory_check(qualifiable_poc, engineer, api_as):
    body = api_as(engineer).get(f"/pocs/{qualifiable_poc.pk}/qualification").json()

    assert [check["code"] for check in body["checks"]
            if check["mandatory"] and not check["passed"]] == []
    assert body["verdict"] in ("go", "go_with_conditions")


def test_the_gate_speaks_the_reader_s_language(poc, engineer, api_as):
    body = api_as(engineer).get(f"/pocs/{poc.pk}/qualification",
                                **{"Accept-Language": "fr"}).json()
    with translation.override("fr"):
        result = qualification_evaluate(poc=poc)

    assert [check["message"] for check in body["checks"]] == [
        check.message for check in result.checks]
    assert body["reasons"] == result.reasons


def test_another_team_poc_gate_is_not_found(other_team, engineer, api_as):
    foreign_poc = POCFactory(opportunity__account__team=other_team)

    response = api_as(engineer).get(f"/pocs/{foreign_poc.pk}/qualification")

    assert (response.status_code, response.json()["code"]) == (404, "not_found")


# --- the gate on the transition ----------------------------------------------------------------

def test_the_gate_refuses_with_the_unmet_mandatory_checks_of_the_service(poc, engineer, api_as):
    api = api_as(engineer)
    before = state(poc)
    result = qualification_evaluate(poc=poc)
    with pytest.raises(TransitionRefused) as refusal:
        poc_transition(actor=engineer, poc=poc, to="qualified")

    response = api.post(f"/pocs/{poc.pk}/transition", {"to": "qualified"})

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "transition_refused"
    assert body["details"]["unmet"] == [check.code for check in result.unmet_mandatory]
    assert body["details"]["unmet"] == DEFAULT_UNMET
    assert body["details"]["checks"] == [{"code": check.code, "message": check.message}
                                         for check in result.unmet_mandatory]
    assert body["message"] == refusal.value.message
    assert (body["details"]["from"], body["details"]["to"]) == ("draft", "qualified")
    assert state(poc) == before


def test_fixing_the_data_through_the_api_lets_the_poc_qualify(
        poc, account, opportunity, engineer, sales, api_as):
    as_engineer, as_sales = api_as(engineer), api_as(sales)
    path = f"/pocs/{poc.pk}/transition"
    assert as_engineer.post(path, {"to": "qualified"}).status_code == 409

    changed = as_sales.patch(f"/opportunities/{opportunity.pk}", {
        "purchase_process": "tender", "purchase_reference": "AO-2026-17",
        "budget_confirmed": True, "budget_amount": "450000", "budget_confirmed_by": "CFO"})
    assert changed.status_code == 200, changed.content
    sponsor = as_engineer.post("/stakeholders", {
        "account": account.pk, "opportunity": opportunity.pk, "name": "Claire Martin",
        "title": "COO", "role": "executive_sponsor", "influence": "high"})
    assert sponsor.status_code == 201
    unmet = as_engineer.post(path, {"to": "qualified"}).json()["details"]["unmet"]
    # the sponsor is named but not yet engaged
    assert unmet == ["executive_sponsor", "commitment_level", "success_criteria"]
    criterion = as_engineer.post(f"/pocs/{poc.pk}/criteria", {
        "title": "Colour temperature", "metric": "colour temperature", "unit": "K",
        "comparator": "eq", "target_value": "2700", "tolerance": "100",
        "measurement_method": "Spectrometer at 1 m", "must_have": True})
    assert criterion.status_code == 201, criterion.content
    engaged = as_engineer.post(f"/pocs/{poc.pk}/engagements",
                               {"stakeholder": sponsor.json()["id"], "kind": "meeting"})
    assert engaged.status_code == 201
    committed = as_sales.put(f"/pocs/{poc.pk}/commitment", {
        "level": 1, "commitment_reference": "Letter of intent LOI-7"})
    assert committed.status_code == 200, committed.content

    response = as_engineer.post(path, {"to": "qualified"})

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "qualified"
    assert POC.objects.get(pk=poc.pk).status == "qualified"
    assert not QualificationOverride.objects.exists()


def test_the_opportunity_patch_names_a_budget_confirmed_by_nobody(opportunity, sales, api_as):
    response = api_as(sales).patch(f"/opportunities/{opportunity.pk}", {"budget_confirmed": True})

    assert response.status_code == 422
    assert response.json()["details"]["fields"] == {
        "budget_confirmed_by": ["Say who at the customer confirmed the budget."]}
    assert Opportunity.objects.get(pk=opportunity.pk).budget_confirmed is False


# --- override ----------------------------------------------------------------------------------

JUSTIFICATION = "Strategic logo; the CEO sponsors it personally."


def test_a_manager_overrides_the_gate(poc, manager, api_as):
    api = api_as(manager)

    response = api.post(f"/pocs/{poc.pk}/transition",
                        {"to": "qualified", "reason": JUSTIFICATION, "override": True})

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "qualified"
    event = Event.objects.get(verb="poc.qualification_overridden")
    assert (event.poc_id, event.actor, event.data) == (
        poc.pk, manager, {"unmet": DEFAULT_UNMET, "justification": JUSTIFICATION})
    override = api.get(f"/pocs/{poc.pk}/qualification").json()["override"]
    stored = QualificationOverride.objects.get(poc=poc)
    assert override["by"] == {"id": manager.pk, "username": "manager", "name": "Manager"}
    assert (override["justification"], override["unmet"]) == (JUSTIFICATION, DEFAULT_UNMET)
    assert override["at"].startswith(stored.created_at.isoformat()[:19])


@pytest.mark.parametrize("actor_name", ["engineer", "sales"])
def test_only_a_manager_overrides_and_a_refusal_changes_nothing(poc, actors, api_as, actor_name):
    api = api_as(actors[actor_name])
    before = state(poc)

    response = api.post(f"/pocs/{poc.pk}/transition",
                        {"to": "qualified", "reason": JUSTIFICATION, "override": True})

    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    assert state(poc) == before


def test_an_outsider_does_not_even_see_the_poc(poc, outsider, api_as):
    api = api_as(outsider)
    before = state(poc)

    response = api.post(f"/pocs/{poc.pk}/transition",
                        {"to": "qualified", "reason": JUSTIFICATION, "override": True})

    assert response.status_code == 404
    assert state(poc) == before


@pytest.mark.parametrize("reason", ["", "   ", "Because"])
def test_an_override_needs_a_written_justification(poc, manager, api_as, reason):
    api = api_as(manager)
    before = state(poc)

    response = api.post(f"/pocs/{poc.pk}/transition",
                        {"to": "qualified", "reason": reason, "override": True})

    assert response.status_code == 422
    assert response.json()["details"]["fields"] == {"reason": [
        "Write why the POC goes ahead anyway (at least 10 characters)."]}
    assert state(poc) == before


def test_only_draft_to_qualified_can_be_overridden(poc, manager, api_as):
    api = api_as(manager)
    before = state(poc)

    response = api.post(f"/pocs/{poc.pk}/transition",
                        {"to": "running", "reason": JUSTIFICATION, "override": True})

    assert response.status_code == 422
    assert list(response.json()["details"]["fields"]) == ["override"]
    assert state(poc) == before


# --- commitment ladder ----------------------------------------------------------------------------

def test_the_commitment_is_set_with_its_evidence_and_shown_on_the_poc(poc, sales, api_as):
    api = api_as(sales)

    response = api.put(f"/pocs/{poc.pk}/commitment", {
        "level": 3, "conditional_po_reference": "PO-88", "conditional_po_value": "120000.50",
        "conditional_po_criteria": "C1 and C2 met", "funded_share": 25})

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["commitment_level"], body["conditional_po_reference"],
            body["conditional_po_value"], body["conditional_po_criteria"], body["funded_share"],
            body["funded_amount"], body["commitment_reference"], body["commitment_document"]) == (
        3, "PO-88", "120000.50", "C1 and C2 met", "25.00", None, "", None)
    assert api.get(f"/pocs/{poc.pk}").json()["commitment_level"] == 3
    event = Event.objects.get(verb="poc.commitment_changed")
    assert (event.data["from_level"], event.data["to_level"]) == (0, 3)


@pytest.mark.parametrize(("body", "bad_fields"), [
    ({"level": 1}, ["commitment_reference"]),
    ({"level": 2}, ["funded_amount"]),
    ({"level": 3, "conditional_po_reference": "PO-1"},
     ["conditional_po_criteria", "conditional_po_value"]),
    ({"level": 4}, ["level"]),
    ({}, ["level"]),
    ({"level": 2, "funded_share": 150}, ["funded_share"]),
    ({"level": 0, "colour": "red"}, ["colour"]),
])
def test_a_level_without_its_evidence_is_refused(poc, sales, api_as, body, bad_fields):
    api = api_as(sales)
    before = state(poc)

    response = api.put(f"/pocs/{poc.pk}/commitment", body)

    assert response.status_code == 422, response.content
    assert sorted(response.json()["details"]["fields"]) == bad_fields
    assert state(poc) == before


def test_an_engineer_may_not_set_the_commitment(poc, engineer, api_as):
    api = api_as(engineer)
    before = state(poc)

    response = api.put(f"/pocs/{poc.pk}/commitment",
                       {"level": 1, "commitment_reference": "LOI"})

    assert response.status_code == 403
    assert state(poc) == before


# --- opportunity qualification fields and red flags ---------------------------------------------

def test_an_opportunity_is_created_with_its_qualification_fields(account, sales, api_as):
    response = api_as(sales).post("/opportunities", {
        "account": account.pk, "name": "Museum wing", "amount": "300000", "currency": "EUR",
        "expected_close_date": "2027-03-31", "purchase_process": "rfp",
        "purchase_reference": "RFP-9", "budget_confirmed": True, "budget_amount": "280000",
        "budget_confirmed_by": "CFO", "budget_confirmed_on": "2026-01-15",
        "decision_date": "2027-02-28", "nda_signed": True, "nda_reference": "NDA-3",
        "free_production_use": True, "red_flag_notes": "Wants it on all floors for free"})

    assert response.status_code == 201, response.content
    body = response.json()
    assert {name: body[name] for name in (
        "purchase_process", "purchase_reference", "purchase_document", "budget_confirmed",
        "budget_amount", "budget_confirmed_by", "budget_confirmed_on", "decision_date",
        "nda_signed", "nda_reference", "customer_evasive", "free_production_use",
        "red_flag_notes")} == {
        "purchase_process": "rfp", "purchase_reference": "RFP-9", "purchase_document": None,
        "budget_confirmed": True, "budget_amount": "280000.00", "budget_confirmed_by": "CFO",
        "budget_confirmed_on": "2026-01-15", "decision_date": "2027-02-28", "nda_signed": True,
        "nda_reference": "NDA-3", "customer_evasive": False, "free_production_use": True,
        "red_flag_notes": "Wants it on all floors for free"}
    listed = api_as(sales).get("/opportunities").json()["items"][0]
    assert (listed["purchase_process"], listed["budget_amount"]) == ("rfp", "280000.00")


def test_an_opportunity_without_qualification_fields_has_their_defaults(opportunity, sales,
                                                                         api_as):
    body = api_as(sales).get(f"/opportunities/{opportunity.pk}").json()

    assert (body["purchase_process"], body["budget_confirmed"], body["budget_amount"],
            body["decision_date"], body["nda_signed"], body["customer_evasive"]) == (
        "none", False, None, None, False, False)


def test_an_engineer_records_red_flags_and_the_gate_shows_them(poc, opportunity, engineer,
                                                               api_as):
    api = api_as(engineer)

    response = api.patch(f"/opportunities/{opportunity.pk}", {
        "customer_evasive": True, "red_flag_notes": "Would not name the budget holder"})

    assert response.status_code == 200, response.content
    assert (response.json()["customer_evasive"], response.json()["red_flag_notes"]) == (
        True, "Would not name the budget holder")
    flags = api.get(f"/pocs/{poc.pk}/qualification").json()["red_flags"]
    assert "customer_evasive" in [flag["code"] for flag in flags]
    event = Event.objects.filter(verb="opportunity.changed").get()
    assert (event.actor, sorted(event.data["changes"])) == (
        engineer, ["customer_evasive", "red_flag_notes"])


def test_an_engineer_may_not_change_commercial_fields_with_red_flags(poc, opportunity, engineer,
                                                                     api_as):
    api = api_as(engineer)
    before = state(poc)

    response = api.patch(f"/opportunities/{opportunity.pk}",
                         {"customer_evasive": True, "amount": "1"})

    assert response.status_code == 403
    assert state(poc) == before


def test_commercial_fields_and_red_flags_change_together(poc, opportunity, sales, api_as):
    response = api_as(sales).patch(f"/opportunities/{opportunity.pk}",
                                   {"nda_signed": True, "free_production_use": True})

    assert response.status_code == 200
    assert (response.json()["nda_signed"], response.json()["free_production_use"]) == (True, True)
    changes = [event.data["changes"] for event in
               Event.objects.filter(verb="opportunity.changed").order_by("id")]
    assert changes == [{"nda_signed": [False, True]}, {"free_production_use": [False, True]}]


@pytest.mark.parametrize(("body", "bad_fields"), [
    ({"purchase_process": "handshake"}, ["purchase_process"]),
    ({"budget_amount": "-5"}, ["budget_amount"]),
    ({"decision_date": "2027-02-30"}, ["decision_date"]),
    ({"customer_evasive": "maybe"}, ["customer_evasive"]),
])
def test_bad_qualification_fields_are_named(poc, opportunity, sales, api_as, body, bad_fields):
    api = api_as(sales)
    before = state(poc)

    response = api.patch(f"/opportunities/{opportunity.pk}", body)

    assert response.status_code == 422, response.content
    assert sorted(response.json()["details"]["fields"]) == bad_fields
    assert state(poc) == before
