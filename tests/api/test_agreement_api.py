"""The POC agreement through the API: started from the team's template, clauses, replaced lists
that keep their items' identity, resource status, and where the POC stands on its exit clause."""

import datetime

import pytest
from django.utils import timezone

from pocdesk.agreements.defaults import BUILT_IN_TEXTS
from pocdesk.agreements.models import Agreement, AgreementTemplate, CostLine, CustomerResource
from pocdesk.core.models import Event

TODAY = timezone.localdate()
END = TODAY - datetime.timedelta(days=40)
FIRST = {
    "scope_included": "Line 2 crusher, adaptive control module.",
    "start_date": (END - datetime.timedelta(days=30)).isoformat(), "end_date": END.isoformat(),
    "nda_reference": "NDA-2026-04",
    "resources": [{"kind": "environment", "description": "Access to line 2",
                   "due_date": "2026-01-02"}],
    "cost_lines": [{"category": "travel", "description": "Two site visits", "amount": "4200",
                    "currency": "EUR", "paid_by": "vendor"}],
}


def agreement_state():
    """What a refused call must leave untouched."""
    return (list(Agreement.objects.order_by("pk").values_list()),
            list(CustomerResource.objects.order_by("pk").values_list()),
            list(CostLine.objects.order_by("pk").values_list()),
            Event.objects.exclude(verb__startswith="token.").count())


def test_no_agreement_yet_is_not_found(poc, engineer, api_as):
    response = api_as(engineer).get(f"/pocs/{poc.pk}/agreement")

    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "No agreement yet.",
                               "details": {}}


def test_the_first_put_starts_the_agreement_from_the_template(poc, engineer, api_as):
    api = api_as(engineer)

    response = api.put(f"/pocs/{poc.pk}/agreement", FIRST)

    assert response.status_code == 201, response.content
    body = response.json()
    stored = Agreement.objects.get(poc=poc)
    resource, cost = stored.resources.get(), stored.cost_lines.get()
    assert body == {
        "id": stored.pk, "scope_included": FIRST["scope_included"],
        "scope_excluded": str(BUILT_IN_TEXTS["scope_excluded"]),
        "start_date": FIRST["start_date"], "end_date": FIRST["end_date"],
        "checkpoint_cadence_days": 14, "ip_ownership": str(BUILT_IN_TEXTS["ip_ownership"]),
        "confidentiality": str(BUILT_IN_TEXTS["confidentiality"]),
        "nda_reference": "NDA-2026-04", "follow_on_kind": "priority",
        "follow_on": str(BUILT_IN_TEXTS["follow_on"]), "exit_slip_days": 30,
        "exit_clause": str(BUILT_IN_TEXTS["exit_clause"]),
        "data_handling": str(BUILT_IN_TEXTS["data_handling"]),
        "resources": [{"key": str(resource.key), "kind": "environment",
                       "description": "Access to line 2", "due_date": "2026-01-02",
                       "status": "pending"}],
        "cost_lines": [{"key": str(cost.key), "category": "travel",
                        "description": "Two site visits", "amount": "4200.00",
                        "currency": "EUR", "paid_by": "vendor"}],
        "exit_status": {"deadline": END.isoformat(),
                        "trigger_date": (END + datetime.timedelta(days=30)).isoformat(),
                        "days_late": max(0, (timezone.localdate() - END).days),
                        # A draft POC's timebox has not started: its exit clause is not watched.
                        "reached": False},
        "created_at": body["created_at"], "updated_at": body["updated_at"],
    }
    assert Event.objects.filter(verb="agreement.started", poc=poc).count() == 1
    assert api.get(f"/pocs/{poc.pk}/agreement").json() == body


def test_the_team_template_in_the_poc_language_is_used(poc, team, manager, engineer, api_as):
    AgreementTemplate.objects.create(team=team, language=poc.language, exit_slip_days=10,
                                     follow_on_kind="conditional_po",
                                     exit_clause="Ten days, then we stop.")

    body = api_as(engineer).put(f"/pocs/{poc.pk}/agreement", {}).json()

    assert (body["exit_slip_days"], body["follow_on_kind"], body["exit_clause"],
            body["exit_status"], body["resources"]) == (
        10, "conditional_po", "Ten days, then we stop.", None, [])


def test_later_puts_change_clauses_and_replace_lists_keeping_identity(poc, engineer, api_as):
    api = api_as(engineer)
    first = api.put(f"/pocs/{poc.pk}/agreement", FIRST).json()
    resource_key = first["resources"][0]["key"]

    response = api.put(f"/pocs/{poc.pk}/agreement", {
        "exit_slip_days": 60, "end_date": None,
        "resources": [{"key": resource_key, "description": "Access to lines 2 and 3"},
                      {"kind": "data", "description": "Ore samples",
                       "due_date": "2026-01-09"}],
        "cost_lines": []})

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["exit_slip_days"], body["end_date"], body["exit_status"], body["cost_lines"],
            body["scope_included"]) == (60, None, None, [], FIRST["scope_included"])
    assert [(item["key"] == resource_key, item["kind"], item["description"], item["due_date"])
            for item in body["resources"]] == [
        (True, "environment", "Access to lines 2 and 3", "2026-01-02"),
        (False, "data", "Ore samples", "2026-01-09")]
    event = Event.objects.get(verb="agreement.changed")
    assert sorted(event.data["changes"]) == ["cost_lines", "end_date", "exit_slip_days",
                                             "resources"]


@pytest.mark.parametrize(("body", "bad_fields"), [
    ({"resources": [{"kind": "data"}]}, ["resources.0.description", "resources.0.due_date"]),
    ({"cost_lines": [{"description": "Visit", "amount": "-1", "currency": "EUR"}]},
     ["cost_lines.0.amount"]),
    ({"cost_lines": [{"description": "Visit", "amount": "1", "currency": "EU"}]},
     ["cost_lines.0.currency"]),
    ({"start_date": "2026-03-01", "end_date": "2026-02-01"}, ["non_field_errors"]),
    ({"exit_slip_days": 0}, ["exit_slip_days"]),
    ({"follow_on_kind": "maybe"}, ["follow_on_kind"]),
    ({"resources": [{"kind": "data", "colour": "red"}]}, ["resources"]),
    ({"scope": "everything"}, ["scope"]),
])
def test_bad_agreement_fields_are_named_and_change_nothing(poc, engineer, api_as, body,
                                                           bad_fields):
    api = api_as(engineer)
    api.put(f"/pocs/{poc.pk}/agreement", FIRST)
    before = agreement_state()

    response = api.put(f"/pocs/{poc.pk}/agreement", body)

    assert response.status_code == 422, response.content
    assert sorted(response.json()["details"]["fields"]) == bad_fields
    assert agreement_state() == before


def test_a_customer_resource_is_marked_ready(poc, engineer, api_as):
    api = api_as(engineer)
    key = api.put(f"/pocs/{poc.pk}/agreement", FIRST).json()["resources"][0]["key"]
    path = f"/pocs/{poc.pk}/agreement/resources/{key}"

    response = api.patch(path, {"status": "ready"})

    assert response.status_code == 200, response.content
    assert response.json() == {"key": key, "kind": "environment",
                               "description": "Access to line 2", "due_date": "2026-01-02",
                               "status": "ready"}
    assert CustomerResource.objects.get().status == "ready"
    assert Event.objects.filter(verb="agreement.resource_status").count() == 1
    before = agreement_state()
    assert api.patch(path, {"status": "done"}).status_code == 422
    assert api.patch(f"/pocs/{poc.pk}/agreement/resources/{FIRST['end_date']}",
                     {"status": "ready"}).status_code == 422
    missing = api.patch(f"/pocs/{poc.pk}/agreement/resources/00000000-0000-4000-8000-000000000000",
                        {"status": "ready"})
    assert missing.status_code == 404
    assert agreement_state() == before
