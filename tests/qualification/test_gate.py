"""The qualification gate: every check and red flag on both sides of its threshold, the score,
the verdict table."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from pocdesk.opportunities.models import Competitor, Opportunity
from pocdesk.pocs.models import POC
from pocdesk.qualification.gate import GO, GO_WITH_CONDITIONS, WALK_AWAY
from pocdesk.qualification.models import QualificationPolicy
from pocdesk.qualification.selectors import qualification_evaluate
from pocdesk.stakeholders.models import Engagement, Stakeholder
from tests.factories import POCFactory, make_criterion


def result_for(poc, **kwargs):
    poc = POC.objects.select_related("opportunity").get(pk=poc.pk)
    return qualification_evaluate(poc=poc, **kwargs)


def check(result, code):
    return next(item for item in result.checks if item.code == code)


def flags(result):
    return sorted(flag.code for flag in result.red_flags)


def add_stakeholder(poc, *, role, engaged=False, name=None, side="customer"):
    stakeholder = Stakeholder.objects.create(
        team=poc.team, account=poc.opportunity.account, opportunity=poc.opportunity,
        name=name or f"{role} person", role=role, side=side)
    if engaged:
        Engagement.objects.create(stakeholder=stakeholder, poc=poc)
    return stakeholder


def update_opportunity(poc, **fields):
    Opportunity.objects.filter(pk=poc.opportunity_id).update(**fields)


# --- mandatory checks -------------------------------------------------------------------------


def test_a_bare_draft_fails_every_mandatory_check_but_the_active_opportunity(poc):
    result = result_for(poc)

    assert {c.code for c in result.unmet_mandatory} == {
        "purchase_process", "budget_confirmed", "executive_sponsor", "success_criteria",
        "commitment_level"}
    assert len(result.unmet_mandatory) == 5
    assert check(result, "active_opportunity").passed


def test_a_qualifiable_poc_passes_every_mandatory_check(qualifiable_poc):
    result = result_for(qualifiable_poc)

    assert result.unmet_mandatory == []
    assert {c.code: c.status for c in result.checks if c.mandatory} == {
        "active_opportunity": "passed", "purchase_process": "passed",
        "budget_confirmed": "passed", "executive_sponsor": "passed",
        "success_criteria": "passed", "commitment_level": "passed"}


@pytest.mark.parametrize(("stage", "amount", "passed"), [
    ("evaluation", Decimal("1"), True), ("closed_lost", Decimal("1"), False),
    ("closed_won", Decimal("1"), False), ("evaluation", Decimal("0"), False)])
def test_active_opportunity(poc, stage, amount, passed):
    update_opportunity(poc, stage=stage, amount=amount)

    assert check(result_for(poc), "active_opportunity").passed is passed


@pytest.mark.parametrize(("process", "reference", "passed"), [
    ("none", "RFP-1", False), ("rfp", "", False), ("rfp", "RFP-1", True),
    ("tender", "T-2026-9", True), ("written_plan", "Capex plan 2027", True)])
def test_purchase_process_needs_a_documented_process(poc, process, reference, passed):
    update_opportunity(poc, purchase_process=process, purchase_reference=reference)

    assert check(result_for(poc), "purchase_process").passed is passed


@pytest.mark.parametrize(("confirmed", "passed"), [(False, False), (True, True)])
def test_budget_confirmed(poc, confirmed, passed):
    update_opportunity(poc, budget_confirmed=confirmed, budget_confirmed_by="CFO")

    assert check(result_for(poc), "budget_confirmed").passed is passed
    assert ("no_budget" in flags(result_for(poc))) is not passed


def test_the_executive_sponsor_must_be_identified_and_engaged(poc):
    assert "No executive sponsor" in check(result_for(poc), "executive_sponsor").message
    assert "no_executive_sponsor" in flags(result_for(poc))

    sponsor = add_stakeholder(poc, role="executive_sponsor", name="Mme Laurent")
    not_engaged = check(result_for(poc), "executive_sponsor")
    assert not not_engaged.passed
    assert "Mme Laurent" in not_engaged.message
    assert "no_executive_sponsor" not in flags(result_for(poc))

    Engagement.objects.create(stakeholder=sponsor, poc=poc)
    assert check(result_for(poc), "executive_sponsor").passed


def test_a_vendor_side_sponsor_does_not_count(poc):
    add_stakeholder(poc, role="executive_sponsor", engaged=True, side="vendor")

    assert not check(result_for(poc), "executive_sponsor").passed


def test_a_sponsor_engaged_in_another_poc_is_not_engaged_in_this_one(poc):
    sponsor = add_stakeholder(poc, role="executive_sponsor")
    other = POCFactory(opportunity=poc.opportunity, owner=poc.owner)
    Engagement.objects.create(stakeholder=sponsor, poc=other)

    assert not check(result_for(poc), "executive_sponsor").passed


def test_success_criteria_need_at_least_one_drafted_criterion(poc):
    missing = check(result_for(poc), "success_criteria")
    assert (missing.status, missing.fix) == ("failed", "criteria")
    assert "No success criteria drafted" in missing.message

    make_criterion(poc, must_have=False)
    make_criterion(poc, title="Availability", metric="availability", unit="%",
                   target_value=Decimal("95"))

    drafted = check(result_for(poc), "success_criteria")
    assert drafted.passed
    assert drafted.message == "2 success criteria drafted, 1 of them must-have."


@pytest.mark.parametrize(("level", "passed"), [(0, False), (1, True), (2, True), (3, True)])
def test_commitment_level_at_least_one(poc, level, passed):
    POC.objects.filter(pk=poc.pk).update(commitment_level=level)

    assert check(result_for(poc), "commitment_level").passed is passed


# --- recommended checks -----------------------------------------------------------------------


def test_recommended_checks_never_block(poc):
    result = result_for(poc)

    for code in ["decision_date", "competitors_identified", "nda_signed", "champion_identified",
                 "multi_threaded"]:
        assert check(result, code).status == "failed"
        assert check(result, code).mandatory is False


def test_decision_date_and_nda(poc):
    update_opportunity(poc, decision_date=datetime.date(2027, 1, 15), nda_signed=True)

    result = result_for(poc)
    assert check(result, "decision_date").passed
    assert check(result, "nda_signed").passed


def test_competitors_identified(poc):
    Competitor.objects.create(opportunity=poc.opportunity, name="Philips", position="level")

    assert check(result_for(poc), "competitors_identified").passed


def test_champion_identified(poc):
    add_stakeholder(poc, role="champion")

    assert check(result_for(poc), "champion_identified").passed


def test_multi_threaded_needs_two_engaged_customer_contacts(poc):
    add_stakeholder(poc, role="champion", engaged=True)
    assert not check(result_for(poc), "multi_threaded").passed

    add_stakeholder(poc, role="technical_evaluator", engaged=True, side="vendor")
    assert not check(result_for(poc), "multi_threaded").passed

    add_stakeholder(poc, role="technical_evaluator", engaged=True, name="Evaluator")
    assert check(result_for(poc), "multi_threaded").passed


# --- red flags ----------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["customer_evasive", "free_production_use"])
def test_engineer_observations_raise_red_flags_with_a_penalty(qualifiable_poc, field):
    before = result_for(qualifiable_poc)
    update_opportunity(qualifiable_poc, **{field: True})

    after = result_for(qualifiable_poc)
    assert field in flags(after)
    assert after.score == before.score - 15


def test_a_competitor_ahead_of_us_is_a_red_flag(qualifiable_poc):
    Competitor.objects.create(opportunity=qualifiable_poc.opportunity, name="Incumbent",
                              position="level")
    assert "competitor_far_ahead" not in flags(result_for(qualifiable_poc))

    Competitor.objects.filter(name="Incumbent").update(position="behind")
    assert "competitor_far_ahead" in flags(result_for(qualifiable_poc))


def test_earlier_pocs_without_purchase_at_the_policy_limit(qualifiable_poc):
    account = qualifiable_poc.opportunity.account
    QualificationPolicy.objects.create(team=qualifiable_poc.team, earlier_failed_pocs_limit=2)
    POCFactory(opportunity__account=account, status="walked_away")
    POCFactory(opportunity__account=account, status="closed", opportunity__stage="closed_won")
    assert "earlier_pocs_without_purchase" not in flags(result_for(qualifiable_poc))

    POCFactory(opportunity__account=account, status="closed", opportunity__stage="closed_lost")
    flag = next(f for f in result_for(qualifiable_poc).red_flags
                if f.code == "earlier_pocs_without_purchase")
    assert "2 POC(s)" in flag.message


def test_evaluation_open_longer_than_the_policy_limit(qualifiable_poc):
    QualificationPolicy.objects.create(team=qualifiable_poc.team, max_open_days=100)
    opened = timezone.now() - datetime.timedelta(days=100)
    update_opportunity(qualifiable_poc, created_at=opened)
    today = timezone.localdate()
    assert "evaluation_too_long" not in flags(result_for(qualifiable_poc, today=today))

    assert "evaluation_too_long" in flags(
        result_for(qualifiable_poc, today=today + datetime.timedelta(days=1)))


# --- policy -----------------------------------------------------------------------------------


def test_the_policy_relaxes_a_mandatory_check_and_ignores_another(poc):
    QualificationPolicy.objects.create(
        team=poc.team, mandatory_checks=["active_opportunity", "budget_confirmed"],
        ignored_checks=["nda_signed"])

    result = result_for(poc)
    assert [c.code for c in result.unmet_mandatory] == ["budget_confirmed"]
    assert check(result, "purchase_process").mandatory is False
    assert check(result, "nda_signed").status == "not_applicable"
    assert all(item["code"] != "nda_signed" for item in result.score_items)


# --- score and verdict ----------------------------------------------------------------------


def test_every_point_is_explained(qualifiable_poc):
    update_opportunity(qualifiable_poc, customer_evasive=True)

    result = result_for(qualifiable_poc)
    assert sum(item["of"] for item in result.score_items) == 100
    assert sum(item["points"] for item in result.score_items) == result.score
    assert result.score == 82 - 15


def test_verdict_go_when_nothing_blocks_or_worries(qualifiable_poc):
    result = result_for(qualifiable_poc)

    # 100 points over the weights (110): the six mandatory checks (90) pass, the five
    # recommended ones (4 each) fail.
    assert (result.score, result.verdict, result.red_flags) == (82, GO, [])


def test_verdict_go_with_conditions_lists_the_missing_items(poc):
    update_opportunity(poc, purchase_process="rfp", purchase_reference="RFP-1",
                       budget_confirmed=True, budget_confirmed_by="CFO")
    add_stakeholder(poc, role="executive_sponsor", engaged=True)
    make_criterion(poc)

    result = result_for(poc)
    assert result.verdict == GO_WITH_CONDITIONS
    assert [c.code for c in result.unmet_mandatory] == ["commitment_level"]
    assert result.reasons == [check(result, "commitment_level").message]


def test_verdict_walk_away_below_the_score_limit(poc):
    result = result_for(poc)

    assert result.score == 14  # the active opportunity alone: 15 of 110 weight points
    assert result.verdict == WALK_AWAY
    assert "below the team's limit of 40" in result.reasons[0]


def test_verdict_walk_away_from_many_red_flags_even_with_a_good_score(qualifiable_poc):
    QualificationPolicy.objects.create(team=qualifiable_poc.team, walk_away_red_flags=2,
                                       walk_away_below=10)
    update_opportunity(qualifiable_poc, customer_evasive=True)
    assert result_for(qualifiable_poc).verdict == GO_WITH_CONDITIONS

    update_opportunity(qualifiable_poc, free_production_use=True)
    result = result_for(qualifiable_poc)
    assert result.verdict == WALK_AWAY
    assert "2 red flags" in result.reasons[0]


def test_the_gate_costs_a_constant_number_of_queries(qualifiable_poc, django_assert_num_queries):
    poc = POC.objects.select_related("opportunity").get(pk=qualifiable_poc.pk)
    with django_assert_num_queries(6):
        qualification_evaluate(poc=poc)

    for number in range(20):
        add_stakeholder(qualifiable_poc, role="influencer", engaged=True, name=f"P{number}")
        make_criterion(qualifiable_poc, title=f"Criterion {number}")
    poc = POC.objects.select_related("opportunity").get(pk=qualifiable_poc.pk)

    with django_assert_num_queries(6) as many:
        qualification_evaluate(poc=poc)
    assert sum("criteria_criterion" in q["sql"] for q in many.captured_queries) == 1
