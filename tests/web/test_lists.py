"""List pages: search, filters, sorting, pagination, the htmx partial and the exports."""

import csv
import io

import pytest
from django.urls import reverse

from pocdesk.core.events import event_record
from pocdesk.pocs.models import Status

from ..factories import AccountFactory, OpportunityFactory, POCFactory


@pytest.fixture
def three_pocs(opportunity, engineer, manager):
    return [
        POCFactory(opportunity=opportunity, owner=engineer, title="Alpha sensors"),
        POCFactory(opportunity=opportunity, owner=manager, title="Beta dimming",
                   status=Status.RUNNING),
        POCFactory(opportunity=opportunity, owner=engineer, title="Gamma gateway",
                   status=Status.RUNNING),
    ]


def _titles(page: str, candidates) -> list[str]:
    return sorted((poc.title for poc in candidates if poc.title in page),
                  key=page.index)


def test_search_and_filters_narrow_the_poc_list(client, engineer, three_pocs):
    client.force_login(engineer)

    by_search = client.get(reverse("web:poc_list"), {"q": "dimm"}).content.decode()
    by_status = client.get(reverse("web:poc_list"), {"status": "running"}).content.decode()
    by_both = client.get(reverse("web:poc_list"),
                         {"status": "running", "owner": engineer.pk}).content.decode()

    assert _titles(by_search, three_pocs) == ["Beta dimming"]
    assert set(_titles(by_status, three_pocs)) == {"Beta dimming", "Gamma gateway"}
    assert _titles(by_both, three_pocs) == ["Gamma gateway"]


def test_clicking_a_column_header_sorts_and_clicking_again_reverses(client, engineer,
                                                                   three_pocs):
    client.force_login(engineer)

    ascending = client.get(reverse("web:poc_list"), {"o": "title"}).content.decode()
    descending = client.get(reverse("web:poc_list"), {"o": "-title"}).content.decode()

    assert _titles(ascending, three_pocs) == ["Alpha sensors", "Beta dimming", "Gamma gateway"]
    assert _titles(descending, three_pocs) == ["Gamma gateway", "Beta dimming", "Alpha sensors"]
    assert 'href="?o=-title"' in ascending
    assert 'aria-sort="ascending"' in ascending


def test_an_unknown_sort_key_or_filter_value_falls_back_instead_of_failing(client, engineer,
                                                                          three_pocs):
    client.force_login(engineer)

    response = client.get(reverse("web:poc_list"),
                          {"o": "password", "status": "nonsense", "team": "x", "page": "99"})

    assert response.status_code == 200
    assert len(_titles(response.content.decode(), three_pocs)) == 3


def test_an_htmx_request_gets_only_the_results_table(client, engineer, three_pocs):
    client.force_login(engineer)

    response = client.get(reverse("web:poc_list"), {"q": "gamma"}, headers={"HX-Request": "true"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert "Gamma gateway" in page
    assert "Alpha sensors" not in page
    assert "HX-Request" in response["Vary"]


def test_pagination_links_keep_the_filters(client, engineer, opportunity, settings):
    settings.POCDESK_PAGE_SIZE = 2
    for number in range(5):
        POCFactory(opportunity=opportunity, owner=engineer, title=f"Wave {number}",
                   status=Status.RUNNING)
    client.force_login(engineer)

    page = client.get(reverse("web:poc_list"), {"status": "running", "o": "title"}).content.decode()

    assert "1–2 of 5 results" in page
    assert 'href="?status=running&amp;o=title&amp;page=2"' in page
    assert 'href="?status=running&amp;o=title&amp;page=3"' in page


def test_the_csv_export_holds_every_filtered_row_not_only_the_page(client, engineer, three_pocs,
                                                                   settings):
    settings.POCDESK_PAGE_SIZE = 1
    client.force_login(engineer)

    response = client.get(reverse("web:poc_list"),
                          {"status": "running", "o": "title", "format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="pocs-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Title", "Status", "Type", "Account"]
    assert [row[:2] for row in rows[1:]] == [["Beta dimming", "Running"],
                                             ["Gamma gateway", "Running"]]


def test_exported_text_cannot_run_as_a_spreadsheet_formula(client, sales, team):
    AccountFactory(team=team, name="=HYPERLINK(\"http://x\")")
    client.force_login(sales)

    response = client.get(reverse("web:account_list"), {"format": "csv"})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][0] == "'=HYPERLINK(\"http://x\")"


@pytest.mark.parametrize("name", ["web:poc_list", "web:opportunity_list", "web:account_list"])
def test_every_list_exports_to_xlsx(client, manager, three_pocs, name):
    import openpyxl

    client.force_login(manager)

    response = client.get(reverse(name), {"format": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    expected_rows = {"web:poc_list": 3, "web:opportunity_list": 1, "web:account_list": 1}[name]
    assert sheet.max_row == 1 + expected_rows


def test_opportunity_filters_open_or_closed_and_stage(client, sales, account):
    OpportunityFactory(account=account, owner=sales, name="Won deal", stage="closed_won")
    OpportunityFactory(account=account, owner=sales, name="Open deal", stage="proposal")
    client.force_login(sales)

    open_only = client.get(reverse("web:opportunity_list"), {"state": "active"}).content.decode()
    closed_only = client.get(reverse("web:opportunity_list"), {"state": "closed"}).content.decode()
    proposal = client.get(reverse("web:opportunity_list"), {"stage": "proposal"}).content.decode()

    assert ("Open deal" in open_only, "Won deal" in open_only) == (True, False)
    assert ("Open deal" in closed_only, "Won deal" in closed_only) == (False, True)
    assert ("Open deal" in proposal, "Won deal" in proposal) == (True, False)


def test_account_filter_by_country(client, sales, team):
    AccountFactory(team=team, name="Paris Opera", country="FR")
    AccountFactory(team=team, name="Beijing Zoo", country="CN")
    client.force_login(sales)

    page = client.get(reverse("web:account_list"), {"country": "CN"}).content.decode()

    assert "Beijing Zoo" in page
    assert "Paris Opera" not in page


def test_the_timeline_shows_more_events_on_demand(client, engineer, poc):
    for number in range(20):
        event_record(actor=engineer, verb="generic.changed", target=poc, poc=poc,
                     data={"n": number})
    client.force_login(engineer)

    detail = client.get(reverse("web:poc_detail", args=[poc.pk])).content.decode()
    more = client.get(reverse("web:poc_timeline", args=[poc.pk]), {"page": 2},
                      headers={"HX-Request": "true"}).content.decode()

    assert detail.count('class="timeline-item"') == 15
    assert f'hx-get="/pocs/{poc.pk}/timeline/?page=2"' in detail
    assert more.count('class="timeline-item"') == 5
    assert "<html" not in more
    assert "Show more" not in more


def test_the_home_page_counts_pocs_by_status_and_lists_mine(client, engineer, three_pocs):
    client.force_login(engineer)

    page = client.get(reverse("web:home")).content.decode()

    assert '"counts": [1, 0, 0, 2, 0, 0, 0, 0]' in page
    assert page.count("Alpha sensors") == 2  # mine and recently changed
    assert page.count("Beta dimming") == 1  # owned by the manager: only recently changed
