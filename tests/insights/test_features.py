"""The win model's features from pocdesk's own data (insights/features.py)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from pocdesk.insights.features import (
    OPPORTUNITY_FEATURES,
    deal_size_currency,
    describe_value,
    opportunity_features,
)
from pocdesk.insights.learning.data import CATEGORICAL, NUMERIC
from pocdesk.opportunities.models import CloseDatePush, Competitor, ExchangeRate, Opportunity
from pocdesk.stakeholders.models import Engagement

from ..factories import (
    AccountFactory,
    OpportunityFactory,
    POCFactory,
    TeamFactory,
    make_criterion,
    make_customer,
    make_plan_signed,
)

NOW = timezone.now()


def _deal_of_record(team, sales, engineer):
    """Mining deal in USD with two competitors, two pushed dates, a sponsor engaged in the
    first POC, an account-wide champion, and a second, funded POC whose criteria the customer
    signed."""
    account = AccountFactory(team=team, name="Mines de Lorraine", industry=" Mining ",
                             size="large")
    earlier_deal = OpportunityFactory(account=account, owner=sales, name="Pilot line",
                                      created_at=NOW - datetime.timedelta(days=400))
    POCFactory(opportunity=earlier_deal, owner=engineer, status="walked_away",
               status_changed_at=NOW - datetime.timedelta(days=300))
    opportunity = OpportunityFactory(
        account=account, owner=sales, name="Crusher control", amount=Decimal("200000"),
        currency="USD", exchange_rate=Decimal("0.9"), source="partner", purchase_process="rfp",
        budget_confirmed=True, decision_date=datetime.date(2027, 3, 1), nda_signed=False,
        customer_evasive=True, free_production_use=False,
        created_at=NOW - datetime.timedelta(days=200))
    later_deal = OpportunityFactory(account=account, owner=sales, name="Conveyor")
    # Ended after the deal was opened: not known when it started.
    POCFactory(opportunity=later_deal, owner=engineer, status="walked_away",
               status_changed_at=NOW - datetime.timedelta(days=10))
    Competitor.objects.create(opportunity=opportunity, name="Rival A", position="behind")
    Competitor.objects.create(opportunity=opportunity, name="Rival B", position="level")
    for days in (30, 60):
        CloseDatePush.objects.create(opportunity=opportunity,
                                     from_date=datetime.date(2027, 1, 1),
                                     to_date=datetime.date(2027, 1, 1) + datetime.timedelta(days))
    first_poc = POCFactory(opportunity=opportunity, owner=engineer, commitment_level=1,
                           created_at=NOW - datetime.timedelta(days=150))
    sponsor = make_customer(first_poc, name="Dana Sponsor", role="executive_sponsor")
    make_customer(first_poc, name="Chris Champion", role="champion", opportunity=None)
    make_customer(first_poc, name="Vera Vendor", role="champion", side="vendor")
    make_customer(first_poc, name="Other deal's buyer", role="executive_sponsor",
                  opportunity=later_deal)
    Engagement.objects.create(stakeholder=sponsor, poc=first_poc)
    latest_poc = POCFactory(opportunity=opportunity, owner=engineer, commitment_level=2,
                            poc_type="lab_test", created_at=NOW - datetime.timedelta(days=20))
    make_criterion(latest_poc)
    make_criterion(latest_poc, title="Uptime", metric="uptime")
    make_plan_signed(latest_poc, actor=engineer)
    return opportunity


def test_a_deal_of_record_gives_the_facts_the_gate_looks_at(team, sales, engineer):
    opportunity = _deal_of_record(team, sales, engineer)

    row = opportunity_features([opportunity])[opportunity.pk]

    assert row == {
        "industry": "Mining", "company_size": "large", "deal_size": 180000.0,
        "source": "partner", "purchase_process": "rfp", "budget_confirmed": "yes",
        "decision_date_known": "yes", "nda_signed": "no", "customer_evasive": "yes",
        "free_production_use": "no", "competitors": 2.0, "competitor_position": "level",
        "competitor_ahead": "yes", "close_date_pushes": 2.0, "executive_sponsor": "yes",
        "champion": "yes", "customer_stakeholders": 2.0, "sponsor_engaged": "yes",
        "contacts_engaged": 1.0, "earlier_failed_pocs": 1.0, "commitment_level": "2",
        "poc_type": "lab_test", "criteria_signed": "yes", "criteria": 2.0,
    }
    assert set(row) == {feature.name for feature in OPPORTUNITY_FEATURES}


def test_a_bare_deal_gives_none_no_and_missing(team, sales):
    account = AccountFactory(team=team, industry="", size="")
    opportunity = OpportunityFactory(account=account, owner=sales, source="")

    row = opportunity_features(Opportunity.objects.filter(pk=opportunity.pk))[opportunity.pk]

    assert row == {
        "industry": None, "company_size": None, "deal_size": 250000.0, "source": None,
        "purchase_process": "none", "budget_confirmed": "no", "decision_date_known": "no",
        "nda_signed": "no", "customer_evasive": "no", "free_production_use": "no",
        "competitors": 0.0, "competitor_position": "none", "competitor_ahead": "no",
        "close_date_pushes": 0.0, "executive_sponsor": "no", "champion": "no",
        "customer_stakeholders": 0.0, "sponsor_engaged": "no", "contacts_engaged": 0.0,
        "earlier_failed_pocs": 0.0, "commitment_level": "no_poc", "poc_type": "no_poc",
        "criteria_signed": "no", "criteria": None,
    }


def test_the_best_position_and_the_criteria_of_a_poc_nobody_signed(team, sales, engineer):
    opportunity = OpportunityFactory(account=AccountFactory(team=team), owner=sales)
    Competitor.objects.create(opportunity=opportunity, name="Rival A", position="unknown")
    Competitor.objects.create(opportunity=opportunity, name="Rival B", position="ahead")
    poc = POCFactory(opportunity=opportunity, owner=engineer)
    make_criterion(poc)

    row = opportunity_features([opportunity])[opportunity.pk]

    assert (row["competitor_position"], row["competitor_ahead"]) == ("ahead", "no")
    assert (row["commitment_level"], row["poc_type"]) == ("0", "on_site_pilot")
    assert (row["criteria_signed"], row["criteria"]) == ("no", 1.0)


def test_nothing_given_costs_nothing(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert opportunity_features([]) == {}


def _deals(team, sales, engineer, count):
    deals = []
    for number in range(count):
        opportunity = OpportunityFactory(account=AccountFactory(team=team), owner=sales)
        Competitor.objects.create(opportunity=opportunity, name="Rival", position="level")
        poc = POCFactory(opportunity=opportunity, owner=engineer, status="walked_away")
        sponsor = make_customer(poc, role="executive_sponsor", opportunity=None)
        Engagement.objects.create(stakeholder=sponsor, poc=poc)
        make_criterion(poc)
        CloseDatePush.objects.create(opportunity=opportunity, from_date=datetime.date(2027, 1, 1),
                                     to_date=datetime.date(2027, 2, number % 28 + 1))
        deals.append(opportunity)
    return deals


@pytest.mark.parametrize("as_queryset", [False, True])
def test_the_query_count_does_not_grow_with_the_deals(team, sales, engineer,
                                                      django_assert_num_queries, as_queryset):
    deals = _deals(team, sales, engineer, 25)

    def given(chosen):
        return Opportunity.objects.filter(pk__in=[deal.pk for deal in chosen]) \
            if as_queryset else chosen

    with django_assert_num_queries(11) as one:
        opportunity_features(given(deals[:1]))
    with django_assert_num_queries(len(one.captured_queries)):
        rows = opportunity_features(given(deals))

    assert len(rows) == 25
    assert {row["sponsor_engaged"] for row in rows.values()} == {"yes"}


def test_many_deals_are_read_by_range_without_mixing_in_others(team, sales, engineer,
                                                                monkeypatch):
    monkeypatch.setattr("pocdesk.insights.features.LISTED_IDS_LIMIT", 2)
    deals = _deals(team, sales, engineer, 5)
    chosen = [deals[0], deals[2], deals[4]]

    rows = opportunity_features(chosen)

    assert set(rows) == {deal.pk for deal in chosen}
    assert {row["competitors"] for row in rows.values()} == {1.0}
    assert {row["customer_stakeholders"] for row in rows.values()} == {1.0}
    assert {row["criteria"] for row in rows.values()} == {1.0}


def test_a_queryset_reads_its_deals_and_theirs_only(team, sales, engineer):
    deals = _deals(team, sales, engineer, 4)
    chosen = Opportunity.objects.filter(pk__in=[deals[1].pk, deals[3].pk]).order_by("-pk")

    rows = opportunity_features(chosen)

    assert set(rows) == {deals[1].pk, deals[3].pk}
    assert {row["competitors"] for row in rows.values()} == {1.0}
    assert {row["customer_stakeholders"] for row in rows.values()} == {1.0}
    assert {row["earlier_failed_pocs"] for row in rows.values()} == {0.0}


def test_deal_sizes_of_every_team_are_in_the_currency_most_teams_use(team, sales):
    TeamFactory(slug="drives", reporting_currency="EUR")
    usd_team = TeamFactory(slug="sensors", reporting_currency="USD")
    cny_team = TeamFactory(slug="shanghai", reporting_currency="CNY")
    ExchangeRate.objects.create(currency="USD", reporting_currency="EUR", rate=Decimal("0.9"),
                                valid_from=datetime.date(2020, 1, 1))
    in_usd = OpportunityFactory(account=AccountFactory(team=usd_team), owner=sales,
                                amount=Decimal("1000"), currency="CNY",
                                exchange_rate=Decimal("0.14"))
    in_cny = OpportunityFactory(account=AccountFactory(team=cny_team), owner=sales,
                                amount=Decimal("1000"), currency="CNY")
    in_eur = OpportunityFactory(account=AccountFactory(team=team), owner=sales,
                                amount=Decimal("1000"))

    rows = opportunity_features([in_usd, in_cny, in_eur])

    assert deal_size_currency() == "EUR"
    assert rows[in_usd.pk]["deal_size"] == pytest.approx(126.0)
    assert rows[in_cny.pk]["deal_size"] is None  # no CNY → EUR rate recorded
    assert rows[in_eur.pk]["deal_size"] == 1000.0


def test_the_company_currency_is_the_first_by_code_on_a_tie(db):
    assert deal_size_currency() == "EUR"  # no team yet
    TeamFactory(slug="sensors", reporting_currency="USD")
    TeamFactory(slug="shanghai", reporting_currency="CNY")
    assert deal_size_currency() == "CNY"
    TeamFactory(slug="boston", reporting_currency="USD")
    assert deal_size_currency() == "USD"


def test_every_feature_has_a_kind_and_a_label():
    assert {feature.kind for feature in OPPORTUNITY_FEATURES} == {CATEGORICAL, NUMERIC}
    assert all(str(feature.label) for feature in OPPORTUNITY_FEATURES)
    assert len({feature.name for feature in OPPORTUNITY_FEATURES}) == len(OPPORTUNITY_FEATURES)


@pytest.mark.parametrize(("name", "value", "words"), [
    ("budget_confirmed", "yes", "yes"),
    ("criteria_signed", "no", "no"),
    ("company_size", "large", "Large (1,000–9,999)"),
    ("source", "partner", "Partner"),
    ("purchase_process", "rfp", "Request for proposal (RFP)"),
    ("competitor_position", "behind", "We are behind"),
    ("competitor_position", "none", "No competitor"),
    ("commitment_level", "2", "2 · Funded POC"),
    ("commitment_level", "no_poc", "No POC"),
    ("poc_type", "lab_test", "Lab test"),
    ("poc_type", "no_poc", "No POC"),
    ("competitors", "2", "2"),
    ("industry", "Mining", "Mining"),
    ("source", "carrier pigeon", "carrier pigeon"),
    ("Salesforce:Region", "EMEA", "EMEA"),
    ("industry", None, ""),
])
def test_describe_value_gives_the_words_a_user_reads(name, value, words):
    with translation.override("en"):
        assert describe_value(name, value) == words


@pytest.mark.parametrize(("language", "words"), [
    ("en", ["Partner", "1,800,000\xa0USD", "2.5", "Request for proposal (RFP)"]),
    ("fr", ["Partenaire", "1\xa0800\xa0000\xa0USD", "2,5", "Appel d'offres (RFP)"]),
    ("zh-hans", ["合作伙伴", "1,800,000\xa0USD", "2.5", "招标需求书(RFP)"]),
])
def test_describe_value_speaks_the_readers_language(language, words):
    with translation.override(language):
        assert [describe_value("source", "partner"),
                describe_value("deal_size", "1.8e+06", currency="USD"),
                describe_value("contacts_engaged", "2.5"),
                describe_value("purchase_process", "rfp")] == words


def test_a_deal_size_is_shown_in_the_company_currency(db):
    TeamFactory(slug="sensors", reporting_currency="USD")

    with translation.override("en"):
        assert describe_value("deal_size", "180000.4") == "180,000\xa0USD"
        assert describe_value("deal_size", "unknown") == "unknown"
        assert describe_value("deal_size", "nan") == "nan"


def test_a_deals_own_failed_poc_is_not_an_earlier_failure_of_the_account(team, sales, engineer):
    opportunity = OpportunityFactory(account=AccountFactory(team=team), owner=sales,
                                     created_at=NOW - datetime.timedelta(days=30))
    POCFactory(opportunity=opportunity, owner=engineer, status="walked_away",
               status_changed_at=NOW - datetime.timedelta(days=60))

    row = opportunity_features([opportunity])[opportunity.pk]

    assert row["earlier_failed_pocs"] == 0.0
