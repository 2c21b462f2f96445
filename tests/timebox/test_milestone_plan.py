"""Saving the milestone plan (§6): the proposal becomes the plan, kept milestones keep their key
and baseline, done ones stay, row errors are named `milestones.N.field` and nothing is saved."""

import datetime

import pytest

from pocdesk.core.errors import ApplicationError, PermissionDenied, ValidationFailed
from pocdesk.core.models import Event
from pocdesk.pocs.models import POC
from pocdesk.timebox.models import Milestone
from pocdesk.timebox.selectors import milestone_plan_proposal
from pocdesk.timebox.services import milestone_plan_save

from ..factories import AccountFactory, make_customer
from .conftest import END, START, with_dates

ROW_FIELDS = ("kind", "title", "sequence", "due_date", "owner", "customer_owner",
              "customer_witness")


def proposal_rows(poc, **kwargs):
    return [{name: row[name] for name in ROW_FIELDS}
            for row in milestone_plan_proposal(poc=poc, **kwargs)]


@pytest.fixture
def sponsor(poc):
    return make_customer(poc, name="Dana Sponsor", role="executive_sponsor")


def test_the_proposal_names_owners_and_is_not_saved(running_poc, sponsor, engineer):
    rows = milestone_plan_proposal(poc=running_poc)

    assert len(rows) == 11  # 59 days at the policy's 14-day cadence: 7 + 4 checkpoints
    assert {row["owner"] for row in rows if row["kind"] in ("kickoff", "installation")} == {
        engineer}
    assert [row["customer_owner"] for row in rows if row["customer_owner"]] == [sponsor,
                                                                                 sponsor]
    assert [row["label"] for row in rows][:2] == ["Kickoff", "Customer resources ready"]
    assert rows[-1]["due_date"] == END
    assert not Milestone.objects.exists()


def test_the_agreement_cadence_wins_over_the_policy(poc, engineer):
    from ..factories import make_agreement

    qualified = with_dates(poc, status="qualified")
    agreement = make_agreement(qualified, actor=engineer)
    agreement.checkpoint_cadence_days = 7
    agreement.save()

    rows = milestone_plan_proposal(poc=qualified)

    assert sum(row["kind"] == "checkpoint" for row in rows) == 8


def test_the_proposal_rows_save_as_they_come(running_poc, engineer):
    rows = milestone_plan_proposal(poc=running_poc)

    saved = milestone_plan_save(actor=engineer, poc=running_poc, rows=rows)

    assert [m.label for m in saved] == [row["label"] for row in rows]
    assert not any(m.title for m in saved)


def test_saving_the_proposal_plans_every_milestone_with_its_baseline(running_poc, sponsor,
                                                                     engineer):
    saved = milestone_plan_save(actor=engineer, poc=running_poc, rows=proposal_rows(running_poc))

    assert len(saved) == Milestone.objects.filter(poc=running_poc).count() == 11
    assert all(m.planned_date == m.due_date and m.status == "planned" for m in saved)
    assert [m.kind for m in saved if m.customer_owner_id == sponsor.pk] == [
        "resources_ready", "midpoint_review"]
    assert {m.label for m in saved if m.kind == "checkpoint"} == {
        "Checkpoint 1", "Checkpoint 2", "Checkpoint 3", "Checkpoint 4"}
    event = Event.objects.get(verb="milestones.planned")
    assert (event.poc, event.actor, event.data) == (running_poc, engineer,
                                                    {"count": 11, "added": 11, "removed": 0})


def test_a_kept_milestone_keeps_its_key_and_planned_date_when_its_due_date_moves(
        running_poc, engineer):
    first = milestone_plan_save(actor=engineer, poc=running_poc, rows=[
        {"kind": "kickoff", "due_date": START},
        {"kind": "installation", "due_date": datetime.date(2026, 3, 12)},
        {"kind": "final_review", "due_date": END}])
    kickoff, installation, final = first

    second = milestone_plan_save(actor=engineer, poc=running_poc, rows=[
        {"key": str(installation.key), "kind": "installation",
         "due_date": datetime.date(2026, 3, 19)},
        {"key": final.key, "kind": "final_review", "due_date": END},
        {"kind": "first_run", "due_date": datetime.date(2026, 3, 23)}])

    assert [(m.pk, m.kind, m.due_date, m.planned_date) for m in second] == [
        (installation.pk, "installation", datetime.date(2026, 3, 19), datetime.date(2026, 3, 12)),
        (second[1].pk, "first_run", datetime.date(2026, 3, 23), datetime.date(2026, 3, 23)),
        (final.pk, "final_review", END, END)]
    assert second[1].pk not in {kickoff.pk, installation.pk, final.pk}
    assert not Milestone.objects.filter(pk=kickoff.pk).exists()
    assert Event.objects.filter(verb="milestones.planned").latest("id").data == {
        "count": 3, "added": 1, "removed": 1}


def test_a_done_milestone_cannot_be_left_out_and_nothing_changes(running_poc, engineer):
    kickoff, final = milestone_plan_save(actor=engineer, poc=running_poc, rows=[
        {"kind": "kickoff", "due_date": START, "status": "done", "completed_on": START},
        {"kind": "final_review", "due_date": END}])
    events = Event.objects.count()

    with pytest.raises(ValidationFailed) as refusal:
        milestone_plan_save(actor=engineer, poc=running_poc, rows=[
            {"key": final.key, "kind": "final_review", "due_date": datetime.date(2026, 5, 5)}])

    assert list(refusal.value.fields) == ["milestones"]
    assert "Kickoff" in refusal.value.fields["milestones"][0]
    assert list(Milestone.objects.values_list("pk", "due_date")) == [
        (kickoff.pk, START), (final.pk, END)]
    assert Event.objects.count() == events


def test_row_errors_are_named_by_index_and_field_and_nothing_is_saved(running_poc, engineer,
                                                                       outsider, customer):
    foreign = make_customer(running_poc, name="Someone Else",
                            account=AccountFactory(team=running_poc.team, name="Other Co"),
                            opportunity=None)
    vendor_side = make_customer(running_poc, name="Our Engineer", side="vendor")
    rows = [
        {"kind": "kickoff", "due_date": START, "owner": outsider.pk},
        {"kind": "installation", "due_date": None},
        {"kind": "first_run", "due_date": START, "witnessed_by": customer},
        {"kind": "target_reached", "due_date": START, "status": "done",
         "completed_on": datetime.date(2099, 1, 1)},
        {"kind": "checkpoint", "sequence": 1, "due_date": START, "customer_owner": foreign},
        {"kind": "midpoint_review", "due_date": START, "customer_owner": vendor_side.pk,
         "colour": "red"},
        {"kind": "nonsense", "due_date": START},
    ]

    with pytest.raises(ValidationFailed) as refusal:
        milestone_plan_save(actor=engineer, poc=running_poc, rows=rows)

    assert sorted(refusal.value.fields) == [
        "milestones.0.owner", "milestones.1.due_date", "milestones.2.witnessed_by",
        "milestones.3.completed_on", "milestones.4.customer_owner",
        "milestones.5.colour", "milestones.5.customer_owner", "milestones.6.kind"]
    assert not Milestone.objects.exists()
    assert not Event.objects.exists()


def test_a_done_row_without_a_date_is_completed_today_and_a_witness_may_sign(running_poc,
                                                                              engineer, customer):
    from django.utils import timezone

    (milestone,) = milestone_plan_save(actor=engineer, poc=running_poc, rows=[
        {"kind": "installation", "due_date": START, "status": "done", "witnessed_by": customer,
         "evidence_note": "  Signed sheet.  "}])

    assert (milestone.completed_on, milestone.witnessed_by, milestone.evidence_note) == (
        timezone.localdate(), customer, "Signed sheet.")


def test_an_empty_plan_removes_the_open_milestones(running_poc, engineer):
    milestone_plan_save(actor=engineer, poc=running_poc, rows=[{"kind": "kickoff",
                                                                 "due_date": START}])

    assert milestone_plan_save(actor=engineer, poc=running_poc, rows=[]) == []
    assert Event.objects.filter(verb="milestones.planned").latest("id").data == {
        "count": 0, "added": 0, "removed": 1}


@pytest.mark.parametrize("status", ["closed", "walked_away"])
def test_a_finished_poc_keeps_its_plan(poc, engineer, status):
    finished = with_dates(poc, status=status)

    with pytest.raises(ApplicationError) as refusal:
        milestone_plan_save(actor=engineer, poc=finished, rows=[{"kind": "kickoff",
                                                                 "due_date": START}])

    assert (refusal.value.code, refusal.value.status) == ("poc_closed", 409)
    assert not Milestone.objects.exists()


@pytest.mark.parametrize(("actor_name", "allowed"), [
    ("anonymous", False), ("outsider", False), ("sales", True), ("engineer", True),
    ("manager", True), ("admin", True)])
def test_who_may_save_the_plan(running_poc, actors, actor_name, allowed):
    rows = [{"kind": "kickoff", "due_date": START}]

    if allowed:
        milestone_plan_save(actor=actors[actor_name], poc=running_poc, rows=rows)
        assert Milestone.objects.count() == 1
    else:
        with pytest.raises(PermissionDenied):
            milestone_plan_save(actor=actors[actor_name], poc=running_poc, rows=rows)
        assert not Milestone.objects.exists()
        assert not Event.objects.exists()
    assert POC.objects.get(pk=running_poc.pk).end_date == END
