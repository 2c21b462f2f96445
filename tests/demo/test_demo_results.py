"""The demo's closed POCs leave their results behind (issue 7): the LED order won with its full
report, the fabric won after a partial result, the utility's first sandbox and the credit
bureau's benchmark without a decision, the French workwear lost on price — each with a submitted
retrospective; and every generated closed POC has its results too."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Count, Max
from django.utils import timezone

from pocdesk.demo.extras import WORKWEAR_ACCOUNT
from pocdesk.demo.stories import BUREAU_ACCOUNT, FABRIC_ACCOUNT, LED_ACCOUNT, UTILITY_ACCOUNT
from pocdesk.pocs.models import POC, Status
from pocdesk.results.derive import derive_technical_result, results_policy
from pocdesk.results.guards import close_checks
from pocdesk.results.models import CostEntry, Lesson, PocResult, Retrospective, RoleRate
from pocdesk.results.selectors import cost_summary, roi_sheet
from tests.demo.seeding import demo

pytestmark = pytest.mark.django_db


def closed_poc(account):
    return POC.objects.select_related("opportunity__account").get(
        opportunity__account__name=account, status=Status.CLOSED)


def closed_on(poc):
    return timezone.localdate(
        poc.events.get(verb="poc.transitioned", data__to=Status.CLOSED).created_at)


@pytest.mark.usefixtures("seeded")
class TestTheClosedStories:
    @pytest.mark.parametrize(("account", "technical", "commercial", "reason", "language"), [
        (LED_ACCOUNT, "success", "won", None, "en"),
        (FABRIC_ACCOUNT, "partial", "won", None, "en"),
        (BUREAU_ACCOUNT, "success", "no_decision", "no_decision", "en"),
        (UTILITY_ACCOUNT, "success", "no_decision", "no_sponsor", "en"),
        (WORKWEAR_ACCOUNT, "success", "lost", "price", "fr"),
    ])
    def test_each_closes_with_its_results_and_a_submitted_retrospective(
            self, account, technical, commercial, reason, language):
        poc = closed_poc(account)
        result = PocResult.objects.select_related("reason").get(poc=poc)
        retrospective = Retrospective.objects.get(poc=poc)

        assert poc.language == language
        assert (result.technical_result, result.commercial_result) == (technical, commercial)
        assert (result.reason.code if result.reason else None) == reason
        assert result.derived_technical_result == derive_technical_result(poc).result
        assert close_checks(poc) == []
        assert result.customer_confirmed_by is not None
        confirmer = result.customer_confirmed_by
        assert confirmer.account_id == poc.opportunity.account_id
        # The bureau's engineer is in every deal of the account; the others in this one only.
        assert confirmer.opportunity_id == (None if account == BUREAU_ACCOUNT
                                            else poc.opportunity_id)
        assert result.strengths and result.limitations and result.improvements
        assert result.next_step
        assert retrospective.submitted_at is not None
        assert retrospective.went_well and retrospective.to_improve
        lessons = list(retrospective.lessons.filter(kind="lesson"))
        assert 2 <= len(lessons) <= 4
        assert all(lesson.industry and lesson.criterion_type for lesson in lessons)
        # Told on the story's days, before the close and never in the future.
        closed = closed_on(poc)
        assert timezone.localdate(retrospective.submitted_at) <= closed
        assert timezone.localdate(result.created_at) <= closed < timezone.localdate()
        if result.order_date:
            assert result.order_date <= timezone.localdate()
        assert poc.cost_entries.exists()
        # Nothing the results state happened after the day they were recorded.
        recorded = timezone.localdate(
            poc.events.filter(verb="results.saved").earliest("created_at").created_at)
        assert result.review_meeting_on and result.customer_confirmed_on
        assert max(filter(None, [result.review_meeting_on, result.customer_confirmed_on,
                                 result.order_date])) <= recorded

    def test_the_led_order_is_won_with_a_full_report_costs_and_roi(self):
        poc = closed_poc(LED_ACCOUNT)
        result = PocResult.objects.get(poc=poc)

        assert (result.order_value, result.order_currency) == (Decimal("2310000"), "EUR")
        assert result.customer_confirmed_by.name == "Dr. Katharina Weiss"
        assert result.technical_override_reason == ""
        assert "2,712 K" in result.strengths and "99.6 percent" in result.strengths
        assert "priority clause" in result.next_step
        assert sorted(RoleRate.objects.filter(team=poc.team).values_list("role", flat=True)) == [
            "Field technician", "Lighting designer", "Presales engineer"]
        labour = CostEntry.objects.filter(poc=poc, category="labour", role="Presales engineer")
        assert [(e.hours, e.hourly_rate, e.amount) for e in labour] == [
            (Decimal("168"), Decimal("95"), Decimal("15960"))]
        assert set(CostEntry.objects.filter(poc=poc).values_list("paid_by", flat=True)) == {
            "vendor", "customer"}

        costs = cost_summary(poc=poc)
        roi = roi_sheet(poc=poc, costs=costs)

        assert (costs.basis, costs.actual_total, costs.currency) == ("actual", Decimal("75096"),
                                                                     "EUR")
        assert costs.ratio == Decimal("3.13")
        assert costs.ratio < results_policy(poc.team).cost_ratio_threshold
        assert not costs.above_threshold
        assert len(roi.risks) == 4
        assert roi.risk_total == Decimal("300500")
        assert roi.multiple > 3

    def test_the_led_retrospective_carries_the_risk_from_its_log(self):
        poc = closed_poc(LED_ACCOUNT)
        risks = Lesson.objects.filter(retrospective__poc=poc, kind="risk")

        assert [(r.log_entry.title, r.severity) for r in risks] == [
            ("A gateway firmware update may change the BMS object mapping", "medium")]
        assert "Export the object list" in risks[0].mitigation

    def test_the_led_run_ended_before_its_planned_window(self):
        poc = closed_poc(LED_ACCOUNT)
        statuses = dict(poc.milestones.values_list("kind", "status").filter(
            kind__in=["target_reached", "final_review"]))

        assert statuses == {"target_reached": "done", "final_review": "done"}
        assert not poc.milestones.filter(status="planned").exists()
        assert not poc.meetings.filter(status="planned").exists()
        assert closed_on(poc) == timezone.localdate() - datetime.timedelta(days=2)
        assert poc.opportunity.stage == "closed_won"

    def test_the_fabric_is_won_after_a_partial_result_with_its_lab_fees_paid_by_northpeak(self):
        poc = closed_poc(FABRIC_ACCOUNT)
        result = PocResult.objects.get(poc=poc)

        assert (result.derived_technical_result, result.technical_result) == ("success",
                                                                              "partial")
        assert "Long Run Tee" in result.technical_override_reason
        assert (result.order_value, result.order_currency) == (Decimal("2090000"), "USD")
        lab = CostEntry.objects.filter(poc=poc, description__startswith="Third-party laboratory")
        assert [(e.paid_by, e.amount) for e in lab] == [("customer", Decimal("42000"))]
        costs = cost_summary(poc=poc)
        assert costs.ratio < Decimal("5")
        assert roi_sheet(poc=poc, costs=costs).risk_total == Decimal("727000")

    @pytest.mark.parametrize("account", [BUREAU_ACCOUNT, UTILITY_ACCOUNT])
    def test_no_decision_leaves_the_no_sponsor_lesson(self, account):
        poc = closed_poc(account)
        lessons = [lesson.text for lesson in Lesson.objects.filter(retrospective__poc=poc)]

        assert lessons[0].startswith("No POC without an executive sponsor")
        assert cost_summary(poc=poc).missing_rates == []

    def test_the_utility_went_ahead_on_an_override_and_its_new_request_is_refused(self):
        first = closed_poc(UTILITY_ACCOUNT)
        current = POC.objects.get(opportunity__account__name=UTILITY_ACCOUNT,
                                  status=Status.DRAFT)

        assert first.qualification_override.unmet
        assert "executive_sponsor" in first.qualification_override.unmet
        assert first.created_at < current.created_at
        costs = cost_summary(poc=first)
        assert costs.above_threshold and costs.ratio > Decimal("5")

    def test_the_workwear_retrospective_is_in_french(self):
        poc = closed_poc(WORKWEAR_ACCOUNT)
        result = PocResult.objects.get(poc=poc)
        retrospective = Retrospective.objects.get(poc=poc)

        assert "14 %" in result.reason_detail
        assert "prix" in retrospective.to_improve
        assert all(" le " in lesson.text or " la " in lesson.text
                   for lesson in retrospective.lessons.all())

    def test_one_team_has_its_own_results_policy(self):
        heavy = POC.objects.filter(team__slug="heavy-equipment").first().team
        lighting = closed_poc(LED_ACCOUNT).team

        assert results_policy(heavy).success_threshold == Decimal("75")
        assert results_policy(heavy).pk is not None
        assert results_policy(lighting).pk is None


def test_scale_closes_every_generated_poc_with_results_and_a_retrospective():
    demo()
    demo("--scale", "200")

    closed = POC.objects.filter(opportunity__account__name__contains=" #",
                                status=Status.CLOSED)
    results = PocResult.objects.filter(poc__in=closed)
    assert closed.count() > 20
    assert results.count() == closed.count()
    assert Retrospective.objects.filter(poc__in=closed, submitted_at__isnull=False).count() == \
        closed.count()
    assert not Retrospective.objects.filter(poc__in=closed).annotate(
        n=Count("lessons")).filter(n=0).exists()
    assert not closed.annotate(n=Count("cost_entries")).filter(n=0).exists()
    mix = {row["commercial_result"]: row["n"] for row in results.values(
        "commercial_result").annotate(n=Count("id"))}
    assert {"won", "lost", "no_decision"} <= set(mix)
    assert 0.25 < mix["won"] / closed.count() < 0.6
    assert not results.exclude(commercial_result="won").filter(reason__isnull=True).exists()
    assert not results.filter(commercial_result="won", order_value__isnull=True).exists()
    assert results.aggregate(latest=Max("created_at"))["latest"] <= timezone.now()
    for result in results:  # nothing stated happened after the results were recorded
        recorded = timezone.localdate(result.created_at)
        assert result.review_meeting_on <= recorded, result.pk
        assert (result.customer_confirmed_on or recorded) <= recorded, result.pk
        assert (result.order_date or recorded) <= recorded, result.pk
    for poc in closed.order_by("pk")[:25]:
        assert close_checks(poc) == [], poc.pk
    # Nothing else than closed POCs has results.
    assert not PocResult.objects.exclude(poc__status=Status.CLOSED).filter(
        poc__in=POC.objects.filter(opportunity__account__name__contains=" #")).exists()


@pytest.mark.django_db(transaction=True)  # PostgreSQL cannot TRUNCATE inside the test's transaction
def test_the_demo_seeds_again_after_a_reset():
    demo()
    demo("--reset")

    assert PocResult.objects.filter(poc__status=Status.CLOSED).count() == 5
    assert Retrospective.objects.filter(submitted_at__isnull=False).count() == 5
