"""Scoring open opportunities: training on closed deals, storing, overrides, the API, the card."""

import pytest
from django.urls import reverse

from pocdesk.core.errors import ApplicationError, ValidationFailed
from pocdesk.insights.models import (
    HistoricalDeal,
    HistoryImport,
    HistorySource,
    ImportStatus,
    WinScore,
)
from pocdesk.insights.scoring import (
    score_data,
    score_override,
    score_override_clear,
    scores_recompute,
    scores_recompute_all,
    training_dataset,
)
from pocdesk.opportunities.models import Stage
from pocdesk.opportunities.services import opportunity_update
from pocdesk.people.models import Role
from tests.factories import (
    AccountFactory,
    MembershipFactory,
    OpportunityFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """A team with 30 closed deals where utilities win and retail loses, and two open deals."""
    team = TeamFactory()
    engineer, outsider = UserFactory(), UserFactory()
    MembershipFactory(user=engineer, team=team, role=Role.MANAGER)
    MembershipFactory(user=outsider, team=TeamFactory(), role=Role.MANAGER)
    utilities = AccountFactory(team=team, industry="Utilities")
    retail = AccountFactory(team=team, industry="Retail")
    for number in range(15):
        OpportunityFactory(team=team, account=utilities, owner=engineer,
                           stage=Stage.CLOSED_WON if number < 12 else Stage.CLOSED_LOST)
        OpportunityFactory(team=team, account=retail, owner=engineer,
                           stage=Stage.CLOSED_LOST if number < 12 else Stage.CLOSED_WON)
    good = OpportunityFactory(team=team, account=utilities, owner=engineer,
                              stage=Stage.EVALUATION)
    poor = OpportunityFactory(team=team, account=retail, owner=engineer,
                              stage=Stage.EVALUATION)
    return {"team": team, "engineer": engineer, "outsider": outsider, "good": good,
            "poor": poor}


def test_open_deals_are_scored_with_factors_that_name_the_industry(world):
    summary = scores_recompute(team=world["team"])
    assert summary["opportunities"] == 2
    assert summary["trained_on"] == 30
    good, poor = (WinScore.objects.get(opportunity=world[name]) for name in ("good", "poor"))
    assert good.probability > 0.6 > 0.4 > poor.probability
    assert good.data_sufficiency == "low" and good.team_deals == 30
    data = score_data(good)
    industry = next(factor for factor in data["factors"] if factor["feature"] == "industry")
    assert industry["direction"] == "positive"
    assert industry["message"].startswith("Industry is “Utilities”: raises the chance by ")
    assert any(factor["feature"] == "industry" and factor["direction"] == "negative"
               for factor in score_data(poor)["factors"])


def test_an_override_is_kept_through_recomputation_and_can_be_cleared(world):
    scores_recompute(team=world["team"])
    score_override(actor=world["engineer"], opportunity=world["poor"], probability=70,
                   reason="The CIO signed the budget yesterday.")
    scores_recompute(team=world["team"])
    score = WinScore.objects.get(opportunity=world["poor"])
    assert score.overridden and score.effective_probability == 0.7
    assert score.probability < 0.4
    score_override_clear(actor=world["engineer"], opportunity=world["poor"])
    score.refresh_from_db()
    assert not score.overridden and score.effective_probability == score.probability


@pytest.mark.parametrize(("probability", "reason", "field"), [
    (101, "why", "override_probability"), (None, "why", "override_probability"),
    (50, "  ", "override_reason")])
def test_a_bad_override_names_its_field_and_changes_nothing(world, probability, reason, field):
    scores_recompute(team=world["team"])
    with pytest.raises(ValidationFailed) as refusal:
        score_override(actor=world["engineer"], opportunity=world["good"],
                       probability=probability, reason=reason)
    assert field in refusal.value.fields
    assert not WinScore.objects.filter(override_probability__isnull=False).exists()


def test_another_team_cannot_override(world):
    scores_recompute(team=world["team"])
    with pytest.raises(ApplicationError):
        score_override(actor=world["outsider"], opportunity=world["good"], probability=10,
                       reason="no")
    assert not WinScore.objects.filter(override_probability__isnull=False).exists()


def _history(world, deals):
    source = HistorySource.objects.create(
        team=world["team"], name="crm", created_by=world["engineer"],
        mapping={"features": [{"name": "Authority", "kind": "categorical"}]})
    history_import = HistoryImport.objects.create(source=source, file_name="crm.csv",
                                                  status=ImportStatus.DONE,
                                                  created_by=world["engineer"])
    HistoricalDeal.objects.bulk_create(
        [HistoricalDeal(source=source, history_import=history_import, row_number=n + 2,
                        outcome=outcome, attributes={"Authority": authority})
         for n, (outcome, authority) in enumerate(deals)])
    return source


def test_a_source_open_deals_are_scored_by_a_model_of_its_own_history(world):
    # High authority wins 4 times in 5, low authority loses 4 times in 5.
    deals = ([("won", "High")] * 20 + [("lost", "High")] * 5 + [("lost", "Low")] * 20
             + [("won", "Low")] * 5 + [("open", "High"), ("open", "Low")])
    _history(world, deals)
    summary = scores_recompute_all()[world["team"].slug]
    assert summary["deals"] == 2
    high, low = HistoricalDeal.objects.filter(outcome="open").order_by("row_number")
    assert high.probability > 0.6 > 0.4 > low.probability
    assert [factor["feature"] for factor in high.factors] == ["Authority"]
    # The opportunities' model does not mix the history's attributes in.
    assert "Authority" not in {feature.name for feature in training_dataset().features}


def test_without_enough_closed_opportunities_the_history_gives_the_win_rate(world):
    from pocdesk.opportunities.models import Opportunity

    closed = Opportunity.objects.filter(stage__in=[Stage.CLOSED_WON, Stage.CLOSED_LOST])
    Opportunity.objects.filter(pk__in=list(closed.values_list("pk", flat=True)[:25])).delete()
    _history(world, [("won", "High")] * 30 + [("lost", "High")] * 10)
    scores_recompute(team=world["team"])
    score = WinScore.objects.get(opportunity=world["good"])
    assert score.estimator == "base_rate" and score.data_sufficiency == "none"
    # 5 opportunities closed (2 won of them at most) and 40 imported (30 won), smoothed by one
    # won and one lost pseudo-deal.
    won = 30 + sum(1 for o in Opportunity.objects.filter(stage=Stage.CLOSED_WON))
    assert score.probability == pytest.approx((won + 1) / (45 + 2), abs=1e-4)
    assert score.factors == []


def test_closing_a_deal_recomputes_the_team_scores(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        opportunity_update(actor=world["engineer"], opportunity=world["poor"],
                           stage=Stage.CLOSED_LOST)
    assert WinScore.objects.filter(opportunity=world["good"]).exists()
    assert WinScore.objects.get(opportunity=world["good"]).trained_on == 31


def test_the_score_endpoint_answers_the_contract(world, client):
    client.force_login(world["engineer"])
    url = f"/api/v1/opportunities/{world['good'].pk}/score"
    body = client.get(url).json()
    assert set(body) >= {"probability", "estimator", "data_sufficiency", "factors",
                         "overridden"}
    assert body["overridden"] is False
    assert {"feature", "direction", "weight", "message"} <= set(body["factors"][0])
    put = client.put(url + "/override", {"probability": 35, "reason": "Budget frozen"},
                     content_type="application/json")
    assert put.status_code == 200
    assert put.json()["probability"] == 0.35 and put.json()["overridden"] is True
    bad = client.put(url + "/override", {"probability": 135, "reason": "x"},
                     content_type="application/json")
    assert bad.status_code == 422
    assert client.delete(url + "/override").status_code == 204
    assert client.get(url).json()["overridden"] is False
    client.force_login(world["outsider"])
    assert client.get(url).status_code == 404


def test_the_opportunity_page_shows_the_score_and_its_factors(world, client):
    client.force_login(world["engineer"])
    page_url = reverse("web:opportunity_detail", args=[world["good"].pk])
    assert 'data-testid="win-score-none"' in client.get(page_url).content.decode()
    response = client.post(reverse("web:opportunity_score_refresh", args=[world["good"].pk]))
    assert response.status_code == 302
    page = client.get(page_url).content.decode()
    assert 'data-testid="win-score-factors"' in page
    assert "Industry is “Utilities”" in page
    client.post(reverse("web:opportunity_score_override", args=[world["good"].pk]),
                {"override_probability": "20", "override_reason": "Champion left"})
    page = client.get(page_url).content.decode()
    assert 'data-testid="win-score-overridden"' in page and "Champion left" in page
