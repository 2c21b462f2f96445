"""The demo's runs and their governance (SPEC §8): the crusher's month of readings and its
witnessed first run, the fabric's 50 washes, the other live POCs' readings and meetings, the
French pilot's worn-out governance, the utility's missed steering meetings, and the generated
readings, logs and meetings of `--scale`."""

import datetime
from collections import Counter
from decimal import Decimal

import pytest
from django.db.models import Count, Max, Min
from django.utils import timezone

from pocdesk.core.models import Event
from pocdesk.criteria.measure import evaluate, percentile
from pocdesk.criteria.models import Criterion
from pocdesk.demo.extras import FACTORY_ACCOUNT
from pocdesk.demo.stories import (
    CRUSHER_ACCOUNT,
    FABRIC_ACCOUNT,
    LED_ACCOUNT,
    PILOT_ACCOUNT,
    RETAIL_ACCOUNT,
    UTILITY_ACCOUNT,
)
from pocdesk.execution.models import Evidence, LogEntry, Measurement
from pocdesk.execution.selectors import execution_summary
from pocdesk.execution.status import criterion_statuses
from pocdesk.governance.models import ActionItem, Attendance, Cadence, Meeting
from pocdesk.governance.selectors import governance_summary, governance_warnings
from pocdesk.pocs.models import POC, Status
from pocdesk.stakeholders.models import Side, StakeholderRole
from tests.demo.seeding import demo

pytestmark = pytest.mark.django_db

P80 = "Product size P80 ≤ 25 mm"
CSS = "Closed-side setting held between 22 and 28 mm"
WASH_COUNTS = list(range(0, 55, 5))


def day(offset):
    return timezone.localdate() + datetime.timedelta(days=offset)


def story_poc(account):
    """The story's POC (the utility's current one, not its first sandbox of a year ago)."""
    return POC.objects.exclude(status=Status.WALKED_AWAY).filter(
        opportunity__account__name=account).latest("created_at")


def values_of(criterion):
    return [m.passed if m.passed is not None else m.value
            for m in criterion.measurements.order_by("measured_at", "id")]


def codes(poc):
    return [warning.code for warning in governance_warnings(poc=poc)]


@pytest.mark.usefixtures("seeded")
class TestTheCrusherMonth:
    def test_a_month_of_readings_per_criterion_tens_of_thousands_in_all(self):
        poc = story_poc(CRUSHER_ACCOUNT)
        counts = dict(Measurement.objects.filter(poc=poc).values_list("criterion__title")
                      .annotate(n=Count("id")))

        assert sum(counts.values()) >= 20_000
        assert counts[CSS] > 20_000
        assert 650 <= counts["Throughput ≥ 380 t/h with feed hardness from 80 to 250 MPa"] <= 720
        assert 150 <= counts[P80] <= 180
        assert counts["Availability ≥ 95 % over the 30 days"] == 30
        assert counts["No failure in 720 h of continuous run at 95 % humidity"] == 30
        assert counts["Liner wear ≤ 1.2 mm per 10,000 t"] == 4
        for criterion in poc.criteria.all():
            span = criterion.measurements.aggregate(
                first=Min("measured_at"),
                last=Max("measured_at"))
            assert span["first"].date() >= day(-45) and span["last"].date() <= day(-15)
        readings = Measurement.objects.filter(poc=poc, criterion__title=CSS)
        first, last = readings.earliest("measured_at"), readings.latest("measured_at")
        assert (last.measured_at - first.measured_at) > datetime.timedelta(days=29, hours=23)

    def test_every_must_have_passes_p80_by_a_small_margin(self):
        poc = story_poc(CRUSHER_ACCOUNT)
        criteria = list(poc.criteria.all())

        statuses = criterion_statuses(criteria=criteria)

        assert {c.title: statuses[c.pk].status for c in criteria} == {
            c.title: "passing" for c in criteria}
        for criterion in criteria:  # the database agrees with the criteria's own rules
            assert statuses[criterion.pk].result == evaluate(criterion, values_of(criterion))[0]
        p80 = next(c for c in criteria if c.title == P80)
        assert Decimal("24") < statuses[p80.pk].result <= Decimal("25")
        assert percentile(values_of(p80), 0.95) == statuses[p80.pk].result
        css = next(c for c in criteria if c.title == CSS)
        assert Decimal("98") <= statuses[css.pk].result < Decimal("100")
        assert execution_summary(poc=poc)["outlook"] == "green"

    def test_the_first_run_and_the_installation_were_witnessed_on_their_days(self):
        poc = story_poc(CRUSHER_ACCOUNT)

        key_events = {entry.key_event: entry for entry in
                      LogEntry.objects.filter(poc=poc, kind="key_event")}

        witnesses = {name: (entry.witnessed_by.name, timezone.localdate(entry.witnessed_at))
                     for name, entry in key_events.items()}
        assert witnesses == {
            "installation_complete": ("Budi Santoso", day(-46)),
            "first_run": ("Ir. Hendra Wijaya", day(-45)),
            "target_reached": ("Dewi Kartika", day(-19)),
        }
        assert key_events["first_run"].milestone.kind == "first_run"
        photo = key_events["first_run"].evidence.get()
        assert photo.file.content_type == "image/jpeg" and photo.thumbnail_key
        assert photo.file.size < 20_000
        assert Event.objects.filter(poc=poc, verb="log.witnessed").count() == 3

    def test_the_issue_was_resolved_and_the_training_risk_is_open(self):
        poc = story_poc(CRUSHER_ACCOUNT)

        issue = LogEntry.objects.get(poc=poc, kind="issue")
        risk = LogEntry.objects.get(poc=poc, kind="risk")

        assert (issue.title, issue.status) == ("Dust ingress on the feed hardness sensor",
                                               "resolved")
        assert timezone.localdate(issue.occurred_at) == day(-40) and issue.mitigation
        assert (risk.status, risk.severity) == ("open", "high")
        assert "two people trained on the hydraulic setting" in risk.title
        summary = execution_summary(poc=poc)
        assert (summary["open_issues"], summary["open_risks"]) == (0, 1)

    def test_liner_scans_carry_their_photo(self):
        poc = story_poc(CRUSHER_ACCOUNT)

        scans = Measurement.objects.filter(poc=poc, criterion__title__startswith="Liner wear")

        assert [str(m.value.normalize()) for m in scans.order_by("measured_at")] == [
            "0.84", "0.97", "0.88", "0.9"]
        for scan in scans:
            photo = scan.evidence.get()
            assert photo.criterion_id == scan.criterion_id and photo.thumbnail_key

    def test_uploads_came_in_daily_over_the_run(self):
        poc = story_poc(CRUSHER_ACCOUNT)

        uploads = Event.objects.filter(poc=poc, verb="measurement.bulk_recorded")

        days = {timezone.localdate(e.created_at) for e in uploads}
        assert min(days) == day(-44) and max(days) == day(-14)
        assert sum(e.data["count"] for e in uploads) == Measurement.objects.filter(
            poc=poc, series__isnull=True).count() - 4  # the liner scans, one by one
        recorded = set(Measurement.objects.filter(poc=poc).dates("recorded_at", "day"))
        assert recorded <= days | {day(-38), day(-31), day(-24), day(-19)}

    def test_weekly_syncs_steering_every_two_weeks_one_action_overdue(self):
        poc = story_poc(CRUSHER_ACCOUNT)

        meetings = Meeting.objects.filter(poc=poc)

        cadence = Cadence.objects.get(poc=poc)
        assert (cadence.weekly_sync_days, cadence.steering_days) == (7, 14)
        assert sorted((day(0) - m.date).days for m in meetings.filter(
            meeting_type="weekly_sync", status="held")) == [2, 9, 16, 23, 37, 44]
        steering = meetings.filter(meeting_type="steering")
        assert [(m.status, (day(0) - m.date).days) for m in steering.order_by("date")] == [
            ("held", 45), ("held", 30), ("held", 15), ("planned", -2)]
        sponsor_came = Attendance.objects.filter(
            meeting__in=steering.filter(status="held"), attended=True,
            stakeholder__role=StakeholderRole.EXECUTIVE_SPONSOR).count()
        assert sponsor_came == 3
        overdue = ActionItem.objects.get(poc=poc, status="open", due_on__lt=day(0))
        assert overdue.customer_owner.name == "Dewi Kartika"
        assert ActionItem.objects.filter(poc=poc, status="done").count() == 5
        assert codes(poc) == ["action_items_overdue"]


@pytest.mark.usefixtures("seeded")
class TestTheFabricWashes:
    def test_lab_results_for_every_fifth_wash_up_to_50(self):
        poc = story_poc(FABRIC_ACCOUNT)

        readings = Measurement.objects.filter(poc=poc).select_related("criterion")

        washes = Counter()
        for reading in readings:
            if "washes" in reading.conditions:
                washes[(reading.criterion.title, int(reading.conditions.split(" ")[0]))] += 1
        by_criterion = {}
        for (title, count), _n in washes.items():
            by_criterion.setdefault(title, set()).add(count)
        assert by_criterion == {
            "Antibacterial rate ≥ 99 % after 50 washes": set(WASH_COUNTS),
            "Drying time ≤ 30 minutes after 50 washes": set(WASH_COUNTS),
            "Pilling grade ≥ 4 after 5,000 Martindale rubs": set(WASH_COUNTS),
            "Dimensional change within ± 3 % in length and width": set(WASH_COUNTS[1:]),
        }
        assert washes[("Antibacterial rate ≥ 99 % after 50 washes", 50)] == 6  # 3 styles × 2
        assert readings.filter(criterion__title__startswith="Hand feel").count() == 20
        assert all(day(-250) <= timezone.localdate(m.measured_at) <= day(-190)
                   for m in readings)

    def test_the_fabric_met_every_must_have_after_50_washes(self):
        poc = story_poc(FABRIC_ACCOUNT)
        criteria = list(poc.criteria.all())

        statuses = criterion_statuses(criteria=criteria)

        assert {statuses[c.pk].status for c in criteria} == {"passing"}
        after_50 = Measurement.objects.filter(
            poc=poc, criterion__title__startswith="Antibacterial",
            conditions__startswith="50 washes")
        assert Decimal("99.5") <= min(m.value for m in after_50) < Decimal("99.7")
        drying = Measurement.objects.filter(poc=poc, criterion__title__startswith="Drying",
                                            conditions__startswith="50 washes")
        assert all(Decimal("23.5") <= m.value <= Decimal("25") for m in drying)

    def test_the_lab_witnessed_the_programme_and_the_review_decided_the_listing(self):
        poc = story_poc(FABRIC_ACCOUNT)

        witnessed = LogEntry.objects.filter(poc=poc, witnessed_by__isnull=False)
        review = Meeting.objects.get(poc=poc, meeting_type="review")

        assert {entry.witnessed_by.name for entry in witnessed} == {"Dr. Anika Rao"}
        assert [e.key_event for e in witnessed.order_by("occurred_at")] == [
            "other", "first_run", "target_reached"]
        assert (review.status, review.date) == ("held", day(-192))
        assert review.attendances.filter(attended=True).count() == 4
        assert review.decisions.splitlines()[0].startswith("Northpeak lists Helix")
        assert Evidence.objects.filter(poc=poc, file__content_type="application/pdf").count() \
            == 1
        assert not ActionItem.objects.filter(poc=poc, status="open").exists()


@pytest.mark.usefixtures("seeded")
class TestTheOtherLivePocs:
    def test_the_luminaires_readings_and_meetings(self):
        poc = story_poc(LED_ACCOUNT)
        criteria = list(poc.criteria.all())

        statuses = criterion_statuses(criteria=criteria)

        latency = next(c for c in criteria if c.title.startswith("BMS command"))
        assert (statuses[latency.pk].count, statuses[latency.pk].result) == (1000,
                                                                            Decimal("99.6"))
        assert {statuses[c.pk].status for c in criteria} == {"passing"}
        assert 1_000 < Measurement.objects.filter(poc=poc).count() < 1_500
        assert codes(poc) == []

    def test_the_factory_steering_meeting_is_overdue_and_planned_again(self):
        poc = story_poc(FACTORY_ACCOUNT)

        warnings = governance_warnings(poc=poc)

        assert [w.code for w in warnings] == ["steering_overdue"]
        assert warnings[0].details["last_held"] == day(-40)
        assert warnings[0].details["next_planned"] == day(3)
        assert {statuses.status for statuses in criterion_statuses(
            criteria=poc.criteria.all()).values()} == {"passing"}

    def test_the_retail_pilot_has_its_kickoff_planned_before_it_starts(self):
        poc = story_poc(RETAIL_ACCOUNT)

        kickoff = Meeting.objects.get(poc=poc, meeting_type="steering")

        assert (poc.status, kickoff.status, kickoff.date) == (Status.AGREED, "planned", day(7))
        assert not Measurement.objects.filter(poc=poc).exists()
        assert codes(poc) == []


@pytest.mark.usefixtures("seeded")
class TestTheCautionaryGovernance:
    def test_the_french_pilot_sponsor_stopped_coming_and_meetings_are_overdue(self):
        poc = story_poc(PILOT_ACCOUNT)

        warnings = {w.code: w for w in governance_warnings(poc=poc)}

        assert set(warnings) == {"sponsor_missed_steering", "steering_overdue",
                                 "weekly_sync_overdue", "action_items_overdue"}
        assert warnings["sponsor_missed_steering"].severity == "danger"
        assert "Philippe Lemaire" in warnings["sponsor_missed_steering"].message
        assert warnings["steering_overdue"].details["last_held"] == day(-35)
        assert warnings["weekly_sync_overdue"].details["last_held"] == day(-28)
        assert warnings["action_items_overdue"].details["count"] == 3

    def test_the_french_pilot_measured_a_year_without_reaching_its_targets(self):
        poc = story_poc(PILOT_ACCOUNT)

        summary = execution_summary(poc=poc)

        assert [s.status for s in summary["statuses"]] == [
            "failing", "failing", "failing", "passing", "passing"]
        assert summary["outlook"] == "red"
        assert summary["last_reading_at"].date() < day(-20)
        first = min(s.first_at for s in summary["statuses"])
        assert first.date() >= day(-341)

    def test_the_utility_steering_meetings_were_missed(self):
        poc = story_poc(UTILITY_ACCOUNT)

        steering = Meeting.objects.filter(poc=poc, meeting_type="steering").order_by("date")

        assert [(m.status, m.date) for m in steering] == [
            ("cancelled", day(-14)), ("cancelled", day(-4)), ("planned", day(5))]
        for missed in steering[:2]:
            assert [(a.stakeholder.name, a.attended) for a in missed.attendances.all()] == [
                ("Steven Marsh", False)]
        came = set(Attendance.objects.filter(meeting__poc=poc, meeting__status="held",
                                             attended=True)
                   .values_list("stakeholder__name", flat=True))
        assert came == {"Dr. Emma Clarke", "Oliver Hughes"}
        summary = governance_summary(poc=poc)
        held = {t["meeting_type"]: t["held"] for t in summary["types"]}
        assert held == {"weekly_sync": 3, "steering": 0, "review": 0}
        assert Cadence.objects.get(poc=poc).steering_days == 14
        assert not poc.opportunity.stakeholders.filter(
            side=Side.CUSTOMER, role=StakeholderRole.EXECUTIVE_SPONSOR).exists()

    def test_the_utility_warns_that_steering_has_no_executive_sponsor(self):
        poc = story_poc(UTILITY_ACCOUNT)

        assert "no_executive_sponsor" in codes(poc)


@pytest.mark.usefixtures("seeded")
class TestTheStoryTimes:
    @pytest.mark.parametrize(("account", "last_day"), [
        (CRUSHER_ACCOUNT, -2), (FABRIC_ACCOUNT, -186), (PILOT_ACCOUNT, -20),
        (UTILITY_ACCOUNT, -2), (LED_ACCOUNT, 0)])
    def test_every_record_carries_its_story_day_not_the_seeding_day(self, account, last_day):
        poc = story_poc(account)

        for model, field in ((Measurement, "recorded_at"), (Evidence, "created_at"),
                             (LogEntry, "created_at"), (LogEntry, "updated_at"),
                             (Meeting, "created_at"), (Meeting, "updated_at"),
                             (ActionItem, "created_at"), (ActionItem, "updated_at"),
                             (Cadence, "updated_at")):
            latest = model.objects.filter(poc=poc).aggregate(latest=Max(field))["latest"]
            if model in (Meeting, ActionItem):
                assert latest is not None, (model, field)
            if latest is not None:
                assert timezone.localdate(latest) <= day(last_day), (model, field)
        for item in ActionItem.objects.filter(poc=poc, status="done"):
            assert item.done_on == timezone.localdate(item.updated_at)

    def test_records_were_written_while_their_poc_could_take_them(self):
        fabric = story_poc(FABRIC_ACCOUNT)
        closed_at = fabric.events.get(verb="poc.transitioned", data__to="closed").created_at

        assert not Event.objects.filter(poc=fabric, created_at__gt=closed_at,
                                        verb__startswith="measurement").exists()
        assert not Event.objects.filter(poc=fabric, created_at__gt=closed_at,
                                        verb__startswith="meeting").exists()


def test_scale_gives_the_generated_pocs_readings_logs_and_meetings():
    demo()

    demo("--scale", "120")

    generated = POC.objects.filter(opportunity__account__name__contains=" #")
    ran = generated.filter(status__in=[Status.RUNNING, Status.PAUSED, Status.EVALUATING,
                                       Status.CLOSED])
    assert ran.exists()
    assert not Measurement.objects.filter(poc__in=generated.exclude(pk__in=ran)).exists()
    assert not Meeting.objects.filter(poc__in=generated.exclude(pk__in=ran)).exists()
    per_criterion = Counter(Measurement.objects.filter(poc__in=ran)
                            .values_list("criterion_id", flat=True))
    criteria = set(ran.values_list("criteria", flat=True)) - {None}
    assert set(per_criterion) == criteria
    assert all(10 <= count <= 60 for count in per_criterion.values())
    for poc in ran.prefetch_related("criteria")[:40]:
        start = poc.events.get(verb="poc.transitioned", data__to=Status.RUNNING).created_at
        readings = Measurement.objects.filter(poc=poc)
        assert readings.earliest("measured_at").measured_at >= start
        assert LogEntry.objects.filter(poc=poc, key_event="first_run").count() == 1
        assert Meeting.objects.filter(poc=poc, meeting_type="steering", status="held").exists()
    statuses = {s.status for s in criterion_statuses(
        criteria=list(Criterion.objects.filter(poc__in=ran))).values()}
    assert statuses == {"passing", "failing"}
    warnings = Counter(code for poc in ran.exclude(status=Status.CLOSED).select_related(
        "opportunity") for code in codes(poc))
    assert {"sponsor_missed_steering", "steering_overdue", "action_items_overdue"} <= set(
        warnings)
    # The rows written without the ORM read back as valid model rows.
    for model in (Measurement, LogEntry, Meeting, Attendance, ActionItem):
        for row in model.objects.filter(**{"meeting__poc__in" if model is Attendance
                                           else "poc__in": ran})[:300]:
            row.full_clean()
