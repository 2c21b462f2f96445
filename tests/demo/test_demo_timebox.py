"""The demo's timeboxes and scope (§6, §7, §8.4): the French pilot drifting from 3 to 12 months
with its scope creeping, the crusher keeping a clean witnessed 30-day plan, the other running
POCs with their plans, and varied drift and creep at scale."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from pocdesk.core.models import Event, StoredFile
from pocdesk.demo.extras import FACTORY_ACCOUNT
from pocdesk.demo.stories import CRUSHER_ACCOUNT, PILOT_ACCOUNT, RETAIL_ACCOUNT
from pocdesk.pocs.models import POC, Status
from pocdesk.scope.models import ChangeClass, Commitment, ScopeChange
from pocdesk.scope.selectors import (
    annotate_scope,
    commitments_for_poc,
    creep_share,
    roadmap_items,
    scope_changes_for_poc,
    scope_creep,
)
from pocdesk.stakeholders.models import Side
from pocdesk.timebox.models import ExitDecision, Extension, Milestone
from pocdesk.timebox.selectors import annotate_timebox, milestones_for_poc, timebox_summary
from tests.demo.seeding import demo

pytestmark = pytest.mark.django_db


def day(offset):
    return timezone.localdate() + datetime.timedelta(days=offset)


def story_poc(account):
    return POC.objects.get(opportunity__account__name=account,
                           status__in=[Status.RUNNING, Status.PAUSED, Status.EVALUATING,
                                       Status.AGREED])


def by_label(milestones):
    return {m.label: m for m in milestones}


@pytest.mark.usefixtures("seeded")
class TestTheFrenchPilot:
    def test_its_timebox_drifted_240_days_through_three_extensions(self):
        poc = story_poc(PILOT_ACCOUNT)

        summary = timebox_summary(poc=poc)

        assert (summary.start, summary.baseline_end, summary.end) == (day(-365), day(-275),
                                                                       day(-35))
        assert (summary.drift_days, summary.duration_days) == (240, 330)
        assert (summary.extensions_approved, summary.max_extensions, summary.extensions_left) == (
            3, 2, 0)
        # 330 days against the team's 90: approved along with the extensions, so not "over"
        assert (summary.approved_duration_days, summary.max_duration_days) == (330, 330)
        assert not summary.over_max_duration
        assert summary.pending_extension.requested_end == day(60)
        assert summary.drifting

    def test_the_third_extension_is_on_record_as_the_managers_override(self):
        poc = story_poc(PILOT_ACCOUNT)
        third = poc.extensions.get(requested_end=day(-35))

        assert (third.status, third.beyond_policy, third.decided_by.username) == (
            "approved", True, "manager")
        assert third.decision_note
        event = Event.objects.get(verb="extension.approved_beyond_policy", target_id=str(third.pk))
        assert timezone.localdate(event.created_at) == day(-110)

    def test_the_exit_clause_is_reached_and_waits_for_a_decision(self):
        poc = story_poc(PILOT_ACCOUNT)

        summary = timebox_summary(poc=poc)

        assert summary.exit.reached
        assert (summary.exit.deadline, summary.exit.trigger_date) == (day(-35), day(-5))
        assert summary.exit_decision is None and summary.exit_needs_decision
        assert not ExitDecision.objects.filter(poc=poc).exists()

    def test_the_plan_was_kept_two_months_then_stalled(self):
        poc = story_poc(PILOT_ACCOUNT)
        milestones = milestones_for_poc(poc=poc)
        named = by_label(milestones)

        assert len(milestones) == 13
        assert [m.label for m in milestones if m.status == "planned"] == [
            "Checkpoint 6", "Target reached", "Final review"]
        assert {m.health for m in milestones if m.status == "planned"} == {"stalled"}
        # planned against actual: the target moved once, the final review with each extension
        assert (named["Target reached"].planned_date, named["Target reached"].due_date) == (
            day(-288), day(-230))
        assert named["Target reached"].slip_days == 58
        assert (named["Final review"].planned_date, named["Final review"].due_date) == (
            day(-275), day(-35))
        assert named["Kickoff"].completed_on == day(-365) == poc.start_date
        assert named["Installation complete"].witnessed_by.name == "Karim Benali"
        assert named["First run"].witnessed_by.name == "Sandrine Faure"
        assert named["Mid-point review with the sponsor"].slip_days == 4
        assert timebox_summary(poc=poc, milestones=milestones).health_counts == {
            "on_track": 0, "at_risk": 0, "stalled": 3}
        saved = Event.objects.get(poc=poc, verb="milestones.planned")
        assert timezone.localdate(saved.created_at) == day(-369)
        assert saved.data == {"count": 13, "added": 13, "removed": 0}

    def test_its_scope_crept_to_more_than_three_times_the_plan(self):
        poc = story_poc(PILOT_ACCOUNT)
        changes = scope_changes_for_poc(poc=poc)

        creep = scope_creep(poc=poc, changes=changes)

        minors = [c for c in changes if c.change_class == ChangeClass.MINOR_ADJUSTMENT
                  and c.decision == "accepted"]
        assert len(minors) == 8
        assert all(Decimal(4) <= c.effort_hours <= Decimal(40) for c in minors)
        assert sum(c.effort_hours for c in minors) == 204
        assert (creep.planned_hours, creep.accepted_hours) == (Decimal(160), Decimal(524))
        assert (creep.share, creep.threshold, creep.over) == (328, 20, True)
        assert (creep.pending, creep.overrides) == (1, 1)
        assert [c.text.split(" ")[0] for c in roadmap_items(changes)] == [
            "Tableau", "Authentification"]
        assert {c.decision for c in roadmap_items(changes)} == {"deferred"}

    def test_the_docks_module_was_accepted_without_budget_on_the_managers_override(self):
        poc = story_poc(PILOT_ACCOUNT)
        docks = ScopeChange.objects.get(poc=poc, text__contains="gestion des quais")

        assert (docks.change_class, docks.decision, docks.override) == (
            "specific_development", "accepted", True)
        assert docks.quote_amount is None and docks.effort_hours == 320
        assert docks.decided_by.username == "manager" and "sans budget" in docks.decision_note
        assert docks.requested_by.name == "Philippe Lemaire"
        event = Event.objects.get(verb="scope_change.overridden", target_id=str(docks.pk))
        assert timezone.localdate(event.created_at) == day(-200)
        quoted = ScopeChange.objects.get(poc=poc, decision="quoted")
        assert (quoted.quote_amount, quoted.quote_currency) == (Decimal("38500.00"), "EUR")

    def test_three_promises_one_overdue_one_risky_one_out_of_scope_and_broken(self):
        poc = story_poc(PILOT_ACCOUNT)

        commitments = {c.category: c for c in commitments_for_poc(poc=poc)}

        uncertain, risky, out_of_scope = (commitments["uncertain"], commitments["risky"],
                                          commitments["out_of_scope"])
        assert (uncertain.status, uncertain.overdue) == ("open", True)
        assert uncertain.due_at - uncertain.made_at == datetime.timedelta(hours=24)
        assert (risky.status, risky.overdue) == ("open", False) and risky.preconditions
        assert out_of_scope.scope_change.text.startswith("Module de gestion des quais")
        assert (out_of_scope.status, out_of_scope.made_by.username) == ("broken",
                                                                        "julien.moreau")
        assert timezone.localdate(out_of_scope.resolved_at) == day(-110)
        assert {c.made_to.side for c in commitments.values()} == {Side.CUSTOMER}

    def test_the_list_columns_show_the_drift_and_the_creep(self):
        poc = (annotate_scope(annotate_timebox(POC.objects.filter(
            opportunity__account__name=PILOT_ACCOUNT, status=Status.PAUSED))).get())

        assert (poc.drift_days, poc.extensions_approved, poc.milestones_stalled,
                poc.milestones_at_risk) == (240, 3, 3, 0)
        assert (poc.accepted_hours, poc.commitments_overdue) == (Decimal(524), 1)
        assert creep_share(poc.accepted_hours, poc.planned_effort_hours) == 328


@pytest.mark.usefixtures("seeded")
class TestTheCleanTimeboxes:
    def test_the_crusher_kept_a_30_day_plan_every_milestone_on_its_day(self):
        poc = story_poc(CRUSHER_ACCOUNT)
        milestones = milestones_for_poc(poc=poc)
        summary = timebox_summary(poc=poc, milestones=milestones)

        assert poc.status == Status.EVALUATING
        assert (poc.start_date, poc.end_date, poc.duration_days) == (day(-45), day(-15), 30)
        assert poc.agreement.end_date == poc.end_date
        assert (summary.milestones_done, summary.milestones_total) == (11, 11)
        assert all(m.completed_on == m.due_date == m.planned_date for m in milestones)
        assert (summary.drift_days, summary.extensions_approved) == (0, 0)
        assert not poc.extensions.exists()
        assert [m.sequence for m in milestones if m.kind == "checkpoint"] == [1, 2, 3, 4]
        named = by_label(milestones)
        assert named["Kickoff"].due_date == poc.start_date
        assert named["Final review"].due_date == poc.end_date

    def test_the_crusher_installation_first_run_and_target_were_witnessed(self):
        poc = story_poc(CRUSHER_ACCOUNT)
        named = by_label(milestones_for_poc(poc=poc))

        witnesses = {label: named[label].witnessed_by.name for label in (
            "Installation complete", "First run", "Target reached")}

        assert witnesses == {"Installation complete": "Budi Santoso",
                             "First run": "Ir. Hendra Wijaya",
                             "Target reached": "Dewi Kartika"}
        for label in witnesses:
            milestone = named[label]
            assert milestone.customer_witness and milestone.evidence_note
            assert milestone.witnessed_by.opportunity_id == poc.opportunity_id
        sheets = [named[label].evidence_file for label in ("Installation complete",
                                                           "Target reached")]
        assert [sheet.content_type for sheet in sheets] == ["application/pdf"] * 2
        assert StoredFile.objects.filter(pk__in=[s.pk for s in sheets],
                                         uploaded_at__date=day(-46)).count() == 1
        witnessed = Event.objects.filter(poc=poc, verb="milestone.witnessed")
        assert witnessed.count() == 3
        assert sorted(timezone.localdate(e.created_at) for e in witnessed) == [
            day(-46), day(-45), day(-19)]

    def test_the_crusher_kept_its_promises_and_its_scope(self):
        poc = story_poc(CRUSHER_ACCOUNT)

        creep = scope_creep(poc=poc, changes=scope_changes_for_poc(poc=poc))

        assert (creep.planned_hours, creep.accepted_hours, creep.share, creep.over) == (
            Decimal(480), Decimal(6), 1, False)
        assert [(c.category, c.status) for c in commitments_for_poc(poc=poc)] == [
            ("uncertain", "kept"), ("risky", "kept")]

    @pytest.mark.parametrize(("account", "total", "done", "health"), [
        (FACTORY_ACCOUNT, 15, 9, "at_risk"),
        (RETAIL_ACCOUNT, 13, 0, "on_track"),
    ])
    def test_the_other_live_pocs_have_a_plan_matching_their_state(self, account, total, done,
                                                                  health):
        poc = story_poc(account)
        milestones = milestones_for_poc(poc=poc)

        summary = timebox_summary(poc=poc, milestones=milestones)

        assert (summary.milestones_total, summary.milestones_done, summary.health) == (
            total, done, health)
        assert all(m.due_date >= timezone.localdate() for m in milestones
                   if m.status == "planned" and m.health == "on_track")
        assert all(m.completed_on <= timezone.localdate() for m in milestones
                   if m.status == "done")
        assert all(m.created_at < timezone.now() - datetime.timedelta(days=2)
                   for m in milestones)
        assert poc.planned_effort_hours > 0

    def test_the_factory_mid_point_review_slipped_four_days(self):
        named = by_label(milestones_for_poc(poc=story_poc(FACTORY_ACCOUNT)))

        review = named["Mid-point review with the sponsor"]

        assert (review.status, review.days_overdue, review.health) == ("planned", 4, "at_risk")
        assert review.planned_date == day(-10) and review.slip_days == 6


def test_scale_gives_the_list_varied_drift_and_creep():
    demo()

    demo("--scale", "150")

    generated = POC.objects.filter(opportunity__account__name__contains=" #")
    dated = generated.filter(start_date__isnull=False)
    rows = list(annotate_scope(annotate_timebox(generated)).values(
        "pk", "status", "start_date", "end_date", "drift_days", "extensions_approved",
        "accepted_hours", "planned_effort_hours", "milestones_at_risk", "milestones_stalled"))
    assert len({row["drift_days"] for row in rows}) >= 4
    assert {0, 1, 2} <= {row["extensions_approved"] for row in rows}
    shares = {creep_share(row["accepted_hours"], row["planned_effort_hours"]) for row in rows}
    assert any(share is not None and share > 20 for share in shares)
    assert any(share == 0 for share in shares)
    assert any(row["milestones_stalled"] for row in rows)
    assert not Milestone.objects.filter(poc__in=generated.filter(start_date__isnull=True))
    for poc in dated.select_related("opportunity"):
        final = poc.milestones.get(kind="final_review")
        summary = timebox_summary(poc=poc)
        assert final.due_date == poc.end_date and final.planned_date == summary.baseline_end
        assert poc.milestones.count() == 7
        assert poc.planned_effort_hours is not None
        approved = list(poc.extensions.filter(status="approved").order_by("requested_at", "id"))
        assert [e.previous_end for e in approved[1:]] == [e.requested_end for e in approved[:-1]]
        assert [e.beyond_policy for e in approved] == [n > 2 for n in range(1, len(approved) + 1)]
        if summary.duration_days > 90:
            assert poc.approved_duration_days == summary.duration_days
    # The rows written without the ORM read back as valid model rows.
    for model in (Milestone, ScopeChange, Extension, Commitment):
        for row in model.objects.filter(poc__in=dated)[:300]:
            row.full_clean()
    assert Event.objects.filter(verb="extension.approved", poc__in=generated).count() == \
        Extension.objects.filter(poc__in=generated, status="approved",
                                 beyond_policy=False).count()
