"""The POC agreement: started from the built-in texts or the team's template in the POC's
language, lists replaced with their identity kept, row errors named, and the exit clause."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy

from pocdesk.agreements import defaults
from pocdesk.agreements.defaults import BUILT_IN_TEXTS
from pocdesk.agreements.models import Agreement, AgreementTemplate, CostLine, CustomerResource
from pocdesk.agreements.selectors import agreement_exit_status, agreement_for_poc
from pocdesk.agreements.services import (
    agreement_save,
    agreement_template_save,
    customer_resource_status_set,
)
from pocdesk.core.errors import ApplicationError, PermissionDenied, ValidationFailed
from pocdesk.core.models import Event
from pocdesk.pocs.models import POC
from pocdesk.signoffs.selectors import draft_content

START, END = datetime.date(2026, 3, 2), datetime.date(2026, 4, 30)
RESOURCES = [
    {"kind": "environment", "description": "Access to line 2", "due_date": START},
    {"kind": "data", "description": " Four weeks of meter readings ",
     "due_date": datetime.date(2026, 2, 20)},
]
COSTS = [
    {"category": "materials", "description": "Three sample luminaires",
     "amount": Decimal("37000.00"), "currency": "EUR", "paid_by": "shared"},
    {"category": "travel", "description": "Two site visits", "amount": Decimal("4200.00"),
     "currency": "USD", "paid_by": "vendor"},
]


def set_language(poc, language):
    POC.objects.filter(pk=poc.pk).update(language=language, start_date=START, end_date=END)
    poc.refresh_from_db()
    return poc


# --- starting the agreement -------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "zh-hans", "fr"])
def test_it_starts_from_the_built_in_texts_in_the_poc_language(poc, engineer, language):
    poc = set_language(poc, language)

    with translation.override("fr" if language != "fr" else "en"):  # the reader's language
        agreement = agreement_save(actor=engineer, poc=poc)

    with translation.override(language):
        expected = {name: str(text) for name, text in BUILT_IN_TEXTS.items()}
    assert {name: getattr(agreement, name) for name in BUILT_IN_TEXTS} == expected
    assert (agreement.follow_on_kind, agreement.exit_slip_days,
            agreement.checkpoint_cadence_days) == ("priority", 30, 14)
    assert (agreement.start_date, agreement.end_date, agreement.nda_reference) == (START, END, "")
    assert Event.objects.get(verb="agreement.started").poc == poc


def test_the_built_in_texts_come_through_the_catalogue_of_the_poc_language(poc, engineer,
                                                                           monkeypatch):
    monkeypatch.setattr(defaults, "BUILT_IN_TEXTS",
                        {"scope_included": gettext_lazy("Not found.")})
    chinese = set_language(poc, "zh-hans")

    with translation.override("fr"):
        agreement = agreement_save(actor=engineer, poc=chinese)

    with translation.override("zh-hans"):
        assert agreement.scope_included == str(gettext_lazy("Not found."))
    assert agreement.scope_included not in ("Not found.", "Introuvable.")


def test_a_team_template_overrides_the_built_in_texts_for_its_language(poc, engineer, manager,
                                                                       team):
    template = agreement_template_save(
        actor=manager, team=team, language="fr", scope_included="Le pilote couvre la ligne 2.",
        exit_slip_days=10, follow_on_kind="conditional_po")
    assert Event.objects.get(verb="agreement_template.saved").team == team

    french = agreement_save(actor=engineer, poc=set_language(poc, "fr"))

    assert (french.scope_included, french.exit_slip_days, french.follow_on_kind) == (
        "Le pilote couvre la ligne 2.", 10, "conditional_po")
    with translation.override("fr"):
        assert french.ip_ownership == str(BUILT_IN_TEXTS["ip_ownership"])
    assert template.ip_ownership == french.ip_ownership

    other = POC.objects.create(opportunity=poc.opportunity, team=team, owner=engineer,
                               title="Second pilot", objective="Prove it.", language="en")
    english = agreement_save(actor=engineer, poc=other)
    assert english.scope_included == str(BUILT_IN_TEXTS["scope_included"])


@pytest.mark.parametrize("actor_name", ["engineer", "sales", "outsider", "anonymous"])
def test_only_managers_write_team_templates(team, actors, actor_name):
    with pytest.raises(PermissionDenied):
        agreement_template_save(actor=actors[actor_name], team=team, language="en",
                                scope_included="Everything.")

    assert not AgreementTemplate.objects.exists()


def test_the_clauses_given_on_the_first_call_are_applied(poc, engineer):
    agreement = agreement_save(actor=engineer, poc=poc, clauses={
        "scope_included": "  Line 2 crusher. ", "exit_slip_days": 14,
        "nda_reference": " NDA-7 "}, resources=RESOURCES, cost_lines=COSTS)

    assert (agreement.scope_included, agreement.exit_slip_days, agreement.nda_reference) == (
        "Line 2 crusher.", 14, "NDA-7")
    loaded = agreement_for_poc(poc=poc)
    assert [r.description for r in loaded.resources.all()] == ["Access to line 2",
                                                               "Four weeks of meter readings"]
    assert [(c.amount, c.currency, c.paid_by) for c in loaded.cost_lines.all()] == [
        (Decimal("37000.00"), "EUR", "shared"), (Decimal("4200.00"), "USD", "vendor")]
    assert [r.status for r in loaded.resources.all()] == ["pending", "pending"]
    assert list(Event.objects.values_list("verb", flat=True)) == ["agreement.started"]


@pytest.mark.parametrize(("actor_name", "error"), [("outsider", PermissionDenied),
                                                   ("anonymous", PermissionDenied)])
def test_a_refused_writer_changes_nothing(poc, actors, actor_name, error):
    with pytest.raises(error):
        agreement_save(actor=actors[actor_name], poc=poc, clauses={"scope_included": "All."})

    assert not Agreement.objects.exists()
    assert not Event.objects.exists()


def test_a_finished_poc_keeps_its_agreement(poc, engineer):
    agreement_save(actor=engineer, poc=poc, resources=RESOURCES)
    POC.objects.filter(pk=poc.pk).update(status="closed")

    with pytest.raises(ApplicationError) as refusal:
        agreement_save(actor=engineer, poc=poc, clauses={"scope_included": "More."})

    assert (refusal.value.code, refusal.value.status) == ("poc_closed", 409)
    assert Agreement.objects.get().scope_included == str(BUILT_IN_TEXTS["scope_included"])


# --- lists ------------------------------------------------------------------------------------


def test_replacing_a_list_keeps_the_identity_of_the_items_that_carry_their_key(poc, engineer):
    agreement_save(actor=engineer, poc=poc, resources=RESOURCES, cost_lines=COSTS)
    first, second = CustomerResource.objects.order_by("position")
    customer_resource_status_set(actor=engineer, resource=second, status="ready")
    costs_before = list(CostLine.objects.values_list("key", flat=True))

    agreement_save(actor=engineer, poc=poc, resources=[
        {"key": str(second.key), "description": "Six weeks of meter readings"},
        {"kind": "people", "description": "Facility manager at each reading",
         "due_date": START}])

    after = list(CustomerResource.objects.order_by("position"))
    assert [(r.key, r.position) for r in after[:1]] == [(second.key, 1)]
    kept = after[0]
    assert (kept.description, kept.kind, kept.due_date, kept.status) == (
        "Six weeks of meter readings", "data", datetime.date(2026, 2, 20), "ready")
    assert after[1].key not in (first.key, second.key) and after[1].position == 2
    assert not CustomerResource.objects.filter(key=first.key).exists()
    assert list(CostLine.objects.values_list("key", flat=True)) == costs_before
    event = Event.objects.get(verb="agreement.changed")
    assert event.data["changes"] == {"resources": [2, 2]}


def test_an_unknown_key_makes_a_new_item(poc, engineer):
    agreement_save(actor=engineer, poc=poc, resources=RESOURCES[:1])
    old = CustomerResource.objects.get()

    agreement_save(actor=engineer, poc=poc, resources=[{**RESOURCES[0], "key": "not-a-uuid"}])

    assert CustomerResource.objects.get().key != old.key


def test_saving_the_same_lists_again_records_no_change(poc, engineer):
    agreement_save(actor=engineer, poc=poc, resources=RESOURCES, cost_lines=COSTS)
    keyed = [{"key": str(r.key)} for r in CustomerResource.objects.order_by("position")]

    agreement_save(actor=engineer, poc=poc, resources=keyed)

    assert not Event.objects.filter(verb="agreement.changed").exists()


@pytest.mark.parametrize(("resources", "costs", "fields"), [
    ([{"kind": "environment", "description": "Access"}], None, ["resources.0.due_date"]),
    ([RESOURCES[0], {**RESOURCES[1], "kind": "spaceship"}], None, ["resources.1.kind"]),
    ([{**RESOURCES[0], "description": "  "}], None, ["resources.0.description"]),
    ([{**RESOURCES[0], "owner": "me"}], None, ["resources.0.owner"]),
    (None, [{**COSTS[0], "currency": "XYZ"}], ["cost_lines.0.currency"]),
    (None, [COSTS[0], {**COSTS[1], "currency": "EURO"}], ["cost_lines.1.currency"]),
    (None, [{**COSTS[0], "amount": Decimal("-1")}], ["cost_lines.0.amount"]),
    (None, [{**COSTS[0], "paid_by": "nobody"}], ["cost_lines.0.paid_by"]),
    ([{"kind": "data", "description": "Data"}], [{**COSTS[0], "currency": ""}],
     ["cost_lines.0.currency", "resources.0.due_date"]),
])
def test_row_errors_are_named_by_list_index_and_field_and_nothing_is_saved(
        poc, engineer, resources, costs, fields):
    with pytest.raises(ValidationFailed) as refusal:
        agreement_save(actor=engineer, poc=poc, resources=resources, cost_lines=costs)

    assert sorted(refusal.value.fields) == fields
    assert not Agreement.objects.exists()
    assert not CustomerResource.objects.exists() and not CostLine.objects.exists()
    assert not Event.objects.exists()


def test_a_bad_row_leaves_the_saved_agreement_as_it_was(poc, engineer):
    agreement_save(actor=engineer, poc=poc, resources=RESOURCES, cost_lines=COSTS)

    with pytest.raises(ValidationFailed) as refusal:
        agreement_save(actor=engineer, poc=poc, clauses={"exit_slip_days": 0},
                       cost_lines=[{**COSTS[0], "currency": "XYZ"}])

    assert sorted(refusal.value.fields) == ["cost_lines.0.currency", "exit_slip_days"]
    assert Agreement.objects.get().exit_slip_days == 30
    assert CostLine.objects.count() == 2


def test_the_end_must_not_be_before_the_start(poc, engineer):
    with pytest.raises(ValidationFailed) as refusal:
        agreement_save(actor=engineer, poc=poc, clauses={"start_date": END, "end_date": START})

    assert any("end date must not be before the start date" in message
               for messages in refusal.value.fields.values() for message in messages)
    assert not Agreement.objects.exists()


# --- customer resources -------------------------------------------------------------------------


def test_a_resource_status_is_operational_and_leaves_the_signed_content_alone(poc, engineer):
    agreement_save(actor=engineer, poc=poc, resources=RESOURCES)
    resource = CustomerResource.objects.first()
    before = draft_content(poc=poc, kind="agreement")

    customer_resource_status_set(actor=engineer, resource=resource, status="waived")

    assert CustomerResource.objects.get(pk=resource.pk).status == "waived"
    assert draft_content(poc=poc, kind="agreement") == before
    event = Event.objects.get(verb="agreement.resource_status")
    assert event.data == {"resource": "Access to line 2", "status": "waived"}


def test_a_resource_status_must_be_one_of_three(poc, engineer, outsider):
    agreement_save(actor=engineer, poc=poc, resources=RESOURCES)
    resource = CustomerResource.objects.first()

    with pytest.raises(ValidationFailed) as refusal:
        customer_resource_status_set(actor=engineer, resource=resource, status="done")
    with pytest.raises(PermissionDenied):
        customer_resource_status_set(actor=outsider, resource=resource, status="ready")

    assert list(refusal.value.fields) == ["status"]
    assert CustomerResource.objects.get(pk=resource.pk).status == "pending"
    assert not Event.objects.filter(verb="agreement.resource_status").exists()


# --- the exit clause ----------------------------------------------------------------------------


@pytest.mark.parametrize(("days_after_end", "days_late", "reached"), [
    (-5, 0, False),
    (29, 29, False),  # the day before the trigger date
    (30, 30, False),  # the trigger date itself: the allowance is used up, not exceeded
    (31, 31, True),   # the day after
    (400, 400, True),
])
def test_the_exit_clause_is_reached_the_day_after_the_trigger_date(poc, engineer, days_after_end,
                                                                   days_late, reached):
    POC.objects.filter(pk=poc.pk).update(status="running")
    poc.refresh_from_db()
    agreement = agreement_save(actor=engineer, poc=poc, clauses={"end_date": END,
                                                                 "exit_slip_days": 30})

    status = agreement_exit_status(poc=poc, agreement=agreement,
                                   today=END + datetime.timedelta(days=days_after_end))

    assert status.deadline == END
    assert status.trigger_date == datetime.date(2026, 5, 30)
    assert (status.days_late, status.reached) == (days_late, reached)


@pytest.mark.parametrize("status", ["paused", "agreed", "running"])
def test_an_unfinished_poc_reaches_its_exit_clause(poc, engineer, status):
    agreement = agreement_save(actor=engineer, poc=poc, clauses={"end_date": END,
                                                                 "exit_slip_days": 7})
    POC.objects.filter(pk=poc.pk).update(status=status)
    poc.refresh_from_db()

    assert agreement_exit_status(poc=poc, agreement=agreement,
                                 today=datetime.date(2026, 5, 8)).reached


@pytest.mark.parametrize("status", ["draft", "qualified", "evaluating", "closed", "walked_away"])
def test_a_poc_not_yet_agreed_or_finished_never_reaches_its_exit_clause(poc, engineer, status):
    agreement = agreement_save(actor=engineer, poc=poc, clauses={"end_date": END,
                                                                 "exit_slip_days": 1})
    POC.objects.filter(pk=poc.pk).update(status=status)
    poc.refresh_from_db()

    exit_status = agreement_exit_status(poc=poc, agreement=agreement,
                                        today=END + datetime.timedelta(days=500))
    assert exit_status.days_late == 500
    assert not exit_status.reached


def test_no_agreed_end_date_no_exit_status(poc, engineer):
    assert agreement_exit_status(poc=poc, agreement=None) is None
    agreement = agreement_save(actor=engineer, poc=poc)
    assert agreement.end_date is None
    assert agreement_exit_status(poc=poc, agreement=agreement) is None
