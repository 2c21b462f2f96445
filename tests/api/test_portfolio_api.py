"""GET /api/v1/portfolio: the selector's figures as JSON, scoped to the caller, 422 on bad
filters, and a query count that does not grow with the POCs."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.reports.test_portfolio import _many, build_portfolio, day


@pytest.fixture
def portfolio(team, other_team, engineer, outsider, manager):
    return build_portfolio(team=team, other_team=other_team, engineer=engineer,
                           outsider=outsider)


def test_a_manager_reads_the_team_figures(portfolio, manager, api_as):
    response = api_as(manager).get("/portfolio")

    assert response.status_code == 200
    body = response.json()
    assert body["currency"] == "EUR"
    assert body["pocs"] == 6
    assert body["health"] == {"on_track": 1, "at_risk": 1, "stalled": 1}
    assert body["outcomes"]["conversion"] == 33.3
    assert body["outcomes"]["order_value_won"] == "80000.00"
    assert body["cost"] == {"pocs": 3, "cost": "7900.00", "deal_amount": "240000.00",
                            "ratio": 3.29, "above_threshold": 1}
    assert body["drift"]["average_days"] == 0.7
    assert [row["label"] for row in body["breakdowns"]["team"]] == ["Lighting"]
    assert len(body["closes_by_month"]) == 12


def test_filters_and_the_company_view(portfolio, admin_user, other_team, api_as):
    api = api_as(admin_user)

    assert api.get("/portfolio").json()["pocs"] == 7
    body = api.get("/portfolio", {"team": other_team.pk}).json()
    assert (body["pocs"], body["currency"], body["filters"]["team"]) == (1, "USD",
                                                                          other_team.pk)
    assert api.get("/portfolio", {"industry": "Retail"}).json()["pocs"] == 1
    old = api.get("/portfolio", {"since": day(-420).isoformat(),
                                 "until": day(-390).isoformat()}).json()
    assert old["outcomes"]["closed"] == 1


def test_an_outsider_sees_nothing_of_the_team(portfolio, outsider, team, api_as):
    api = api_as(outsider)

    body = api.get("/portfolio").json()
    assert body["pocs"] == 1
    assert [row["label"] for row in body["breakdowns"]["team"]] == ["Mining"]
    response = api.get("/portfolio", {"team": team.pk})
    assert response.status_code == 422
    assert set(response.json()["details"]["fields"]) == {"team"}


@pytest.mark.parametrize("params, field", [
    ({"since": "2026-05-01", "until": "2026-04-01"}, "until"),
    ({"since": "not a date"}, "since"),
    ({"team": "abc"}, "team"),
    ({"owner": 99999}, "owner"),
    ({"since": "0001-01-01", "until": "9999-12-31"}, "since"),  # nor a 120,000-month chart
])
def test_bad_filters_answer_422_naming_the_field(db, manager, api_as, params, field):
    response = api_as(manager).get("/portfolio", params)

    assert response.status_code == 422
    assert field in str(response.json()["details"])


def test_a_period_ending_in_year_one_is_empty_not_an_error(db, manager, api_as):
    response = api_as(manager).get("/portfolio", {"until": "0001-01-01"})

    assert response.status_code == 200
    assert response.json()["open"] == 0


def test_anonymous_is_refused(db, api_as):
    from tests.api.conftest import ApiClient

    assert ApiClient().get("/portfolio").status_code == 401


def test_the_query_count_does_not_grow_with_the_pocs(team, engineer, manager, api_as):
    api = api_as(manager)

    def queries(expected_closed):
        with CaptureQueriesContext(connection) as captured:
            response = api.get("/portfolio")
        assert response.status_code == 200
        assert response.json()["outcomes"]["closed"] == expected_closed
        return len(captured)

    _many(team, engineer, 2)
    queries(2)  # the token's first use is recorded once
    small = queries(2)
    _many(team, engineer, 8)
    assert queries(10) == small
