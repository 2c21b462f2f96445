"""The portfolio page and its export: the figures, the filters (400 on bad ones), the empty
state, the CSV and XLSX content, and a query count that does not grow with the POCs."""

import csv
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.reports.test_portfolio import _many, build_portfolio


@pytest.fixture
def portfolio(team, other_team, engineer, outsider, manager):
    return build_portfolio(team=team, other_team=other_team, engineer=engineer,
                           outsider=outsider)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_manager_sees_the_figures_charts_and_tables(portfolio, manager):
    response = client_for(manager).get(reverse("web:portfolio"))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="kpi-open">3<' in html
    assert 'data-testid="kpi-conversion">33.3&nbsp;%' in html
    assert 'data-testid="kpi-cost">3.29&nbsp;%' in html
    assert 'data-testid="kpi-cost-warning"' in html
    assert html.count('data-testid="portfolio-chart"') == 4
    assert "chart.umd.min.js" in html
    assert 'id="portfolio-charts"' in html
    assert f'{reverse("web:poc_list")}?team={manager.memberships.get().team_id}' in html
    assert "Price" in html
    assert 'aria-current="page" href="/portfolio/"' in html
    assert "Mining" not in html


def test_filters_narrow_the_page(portfolio, admin_user, other_team):
    response = client_for(admin_user).get(reverse("web:portfolio"), {"team": other_team.pk})

    assert response.status_code == 200
    html = response.content.decode()
    assert "amounts in USD" in html
    assert 'data-testid="kpi-conversion">100.0&nbsp;%' in html


@pytest.mark.parametrize("params, field", [
    ({"since": "2026-05-01", "until": "2026-04-01"}, "until"),
    ({"since": "yesterday"}, "since"),
    ({"team": "abc"}, "team"),
    ({"owner": "12345678"}, "owner"),
])
def test_bad_filters_answer_400_with_the_error(db, manager, params, field):
    response = client_for(manager).get(reverse("web:portfolio"), params)

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert 'data-testid="portfolio-error"' in response.content.decode()


def test_a_team_the_user_cannot_see_is_refused(portfolio, outsider, team):
    response = client_for(outsider).get(reverse("web:portfolio"), {"team": team.pk})

    assert response.status_code == 400
    assert "team" in response.context["form"].errors


def test_the_empty_state(db, manager):
    response = client_for(manager).get(reverse("web:portfolio"))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="portfolio-empty"' in html
    assert "chart.umd.min.js" not in html


def test_anonymous_goes_to_the_login_page(db):
    response = Client().get(reverse("web:portfolio"))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_csv_export_has_the_headline_and_one_row_per_line(portfolio, manager):
    response = client_for(manager).get(reverse("web:portfolio_export"), {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "portfolio-" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(row["Breakdown"], row["Line"]) for row in rows] == [
        ("All", "All POCs"), ("Team", "Lighting"), ("Owner", "Engineer"),
        ("Industry", "Lighting"), ("Industry", "Retail")]
    headline = rows[0]
    assert headline["POCs active in the period"] == "6"
    assert headline["Conversion to order (percent)"] == "33.3"
    assert headline["Order value won"] == "80000.00"
    assert headline["Cost ratio (percent)"] == "3.29"
    assert headline["POCs above the cost threshold"] == "1"
    assert headline["Average drift (days)"] == "0.7"
    assert headline["Currency"] == "EUR"
    assert rows[4]["Lost (percent)"] == "100.0"


def test_the_xlsx_export_follows_the_filters(portfolio, admin_user, other_team):
    from openpyxl import load_workbook

    response = client_for(admin_user).get(reverse("web:portfolio_export"),
                                          {"format": "xlsx", "team": other_team.pk})

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:3] == ("Breakdown", "Line", "POCs active in the period")
    headline = dict(zip(header, rows[1], strict=True))
    assert headline["POCs active in the period"] == 1
    assert float(headline["Order value won"]) == 10000
    assert headline["Currency"] == "USD"
    assert [row[1] for row in rows[1:]] == ["All POCs", "Mining", "Outsider", "Mining"]


def test_each_status_keeps_its_badge_colour_in_the_chart(portfolio, manager):
    from pocdesk.web.templatetags.pocdesk_web import STATUS_COLOURS

    response = client_for(manager).get(reverse("web:portfolio"))

    status = response.context["charts"]["status"]
    assert status["keys"] == ["draft", "running", "closed"]  # no POC in the other statuses
    assert status["colours"] == [STATUS_COLOURS[key] for key in status["keys"]]
    html = response.content.decode()
    assert "web/portfolio.js" in html and "web/portfolio.css" in html
    assert "<style>" not in html


def test_a_bad_export_is_refused(db, manager):
    client = client_for(manager)

    assert client.get(reverse("web:portfolio_export"), {"format": "pdf"}).status_code == 400
    assert client.get(reverse("web:portfolio_export"),
                      {"format": "csv", "since": "nope"}).status_code == 400


def test_the_query_count_does_not_grow_with_the_pocs(team, engineer, manager):
    client = client_for(manager)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("web:portfolio")).status_code == 200
        return len(captured)

    _many(team, engineer, 2)
    queries()  # warm the session and the per-process caches
    small = queries()
    _many(team, engineer, 8)
    assert queries() == small
