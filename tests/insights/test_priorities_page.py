"""The priorities page: the summary, both charts, the ranked table in both orders, the filters
(400 on bad ones), the empty state, and a query count that does not grow with the deals."""

import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .priorities_factories import make_many, make_portfolio


@pytest.fixture
def portfolio(team, other_team, engineer, sales):
    return make_portfolio(team, other_team, engineer=engineer, sales=sales)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def row_names(html: str) -> list[str]:
    return re.findall(r'data-testid="priority-row">.*?<a href="/opportunities/\d+/">([^<]+)</a>',
                      html, flags=re.S)


def test_a_manager_sees_the_summary_charts_and_ranked_deals(portfolio, manager):
    response = client_for(manager).get(reverse("web:priorities"))

    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'data-testid="kpi-pipeline">.*?400,000', html, flags=re.S)
    assert re.search(r'data-testid="kpi-weighted">.*?190,000', html, flags=re.S)
    assert 'data-testid="kpi-overloaded">1<' in html
    assert "1 deal not scored yet" in html
    assert html.count('data-testid="priorities-chart"') == 2
    assert html.count('data-testid="capacity-overloaded"') == 1
    assert row_names(html) == ["Bridge", "Airport", "Campus", "Depot"]
    assert f'href="/opportunities/{portfolio["bridge"].pk}/"' in html
    assert html.count('data-testid="badge-overridden"') == 1
    assert html.count('data-testid="badge-not-scored"') == 1
    assert html.count('data-testid="badge-estimated"') == 2
    assert "Foreign" not in html and "Won already" not in html
    assert "chart.umd.min.js" in html and "web/priorities.js" in html
    assert "<script>" not in html  # the charts' data is JSON, the code a static file
    charts = json.loads(re.search(r'id="priorities-charts" type="application/json">(.*?)</script>',
                                  html, flags=re.S).group(1))
    assert charts["forecast"]["amount"] == [150000.0, 180000.0]
    assert charts["forecast"]["weighted"] == [100000.0, 90000.0]
    assert charts["capacity"]["labels"] == ["Engineer", "Idle"]
    assert charts["capacity"]["running"] == [4, 0]
    assert charts["capacity"]["max"] == [2, 2]
    assert charts["capacity"]["overloaded"] == [True, False]


def test_the_order_by_value_per_hour_keeps_the_filters(portfolio, manager, engineer):
    client = client_for(manager)

    by_hour = client.get(reverse("web:priorities"), {"order": "hour"}).content.decode()
    filtered = client.get(reverse("web:priorities"),
                          {"owner": engineer.pk, "order": "hour"}).content.decode()

    assert row_names(by_hour) == ["Campus", "Bridge", "Airport", "Depot"]
    assert row_names(filtered) == ["Campus", "Airport", "Depot"]
    assert f'href="?owner={engineer.pk}&amp;order=value"' in filtered
    assert 'aria-current="true" href="?order=hour"' in by_hour


def test_an_unknown_order_falls_back_to_expected_value(portfolio, manager):
    html = client_for(manager).get(reverse("web:priorities"), {"order": "x"}).content.decode()

    assert row_names(html) == ["Bridge", "Airport", "Campus", "Depot"]


@pytest.mark.parametrize(("case", "field"), [("not_a_number", "team"), ("other_team", "team"),
                                             ("stranger", "owner")])
def test_bad_filters_answer_400_with_the_error(portfolio, manager, other_team, outsider, case,
                                               field):
    params = {"not_a_number": {"team": "abc"}, "other_team": {"team": other_team.pk},
              "stranger": {"owner": outsider.pk}}[case]

    response = client_for(manager).get(reverse("web:priorities"), params)

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert 'data-testid="priorities-error"' in response.content.decode()


def test_the_empty_state(db, manager):
    response = client_for(manager).get(reverse("web:priorities"))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="priorities-empty"' in html
    assert "No scored deal to forecast." in html


def test_anonymous_is_sent_to_sign_in(db):
    response = Client().get(reverse("web:priorities"))

    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize("order", ["value", "hour"])
def test_the_query_count_does_not_grow_with_the_deals(team, engineer, sales, manager, order):
    client = client_for(manager)
    counts = []
    for count in (1, 30):
        make_many(team, sales, engineer, count if not counts else count - 1)
        with CaptureQueriesContext(connection) as context:
            response = client.get(reverse("web:priorities"), {"order": order})
        assert response.status_code == 200
        counts.append(len(context.captured_queries))

    assert len(row_names(response.content.decode())) == 30
    assert counts[0] == counts[1]
