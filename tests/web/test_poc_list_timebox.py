"""The POC list's drift and scope-creep columns (§6, §7): values, colours, sorting, export."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pocdesk.scope.models import ScopeChange
from pocdesk.stakeholders.models import Stakeholder
from pocdesk.timebox.models import Extension, Milestone, TimeboxPolicy

from ..factories import AccountFactory, OpportunityFactory, POCFactory

END = datetime.date(2026, 3, 31)


@pytest.fixture(autouse=True)
def today():
    """Nine days after Alpha's and Delta's end date."""
    with time_machine.travel(datetime.datetime(2026, 4, 9, 9, 0, tzinfo=datetime.UTC),
                             tick=False):
        yield


def _customer(poc):
    return Stakeholder.objects.create(team=poc.team, account=poc.opportunity.account,
                                      opportunity=poc.opportunity, name="Dana Sponsor",
                                      side="customer", role="executive_sponsor")


def _change(poc, person, user, hours, change_class="minor_adjustment", decision="accepted"):
    ScopeChange.objects.create(poc=poc, text=f"{change_class} {hours} h", requested_by=person,
                               effort_hours=Decimal(hours), change_class=change_class,
                               decision=decision, recorded_by=user)


def _extension(poc, user, days, status="approved"):
    Extension.objects.create(poc=poc, reason="More time", previous_end=END,
                             requested_end=END + datetime.timedelta(days=days), days=days,
                             status=status, requested_by=user)


@pytest.fixture
def pocs(opportunity, engineer, other_team, outsider):
    """Four POCs whose columns are computed by hand in the tests."""
    alpha = POCFactory(opportunity=opportunity, owner=engineer, title="Alpha retrofit",
                       status="running", end_date=END, planned_effort_hours=Decimal("40"))
    person = _customer(alpha)
    # Accepted in the POC: 6 h minor + 4 h specific development = 10 h of 40 h = 25 %. Not
    # counted: an accepted evolution (roadmap), a pending and a rejected request.
    _change(alpha, person, engineer, "6")
    _change(alpha, person, engineer, "4", "specific_development")
    _change(alpha, person, engineer, "10", "evolution")
    _change(alpha, person, engineer, "5", decision="pending")
    _change(alpha, person, engineer, "3", decision="rejected")
    # Drift: 10 + 4 approved days; a refused and a pending request do not count.
    _extension(alpha, engineer, 10)
    _extension(alpha, engineer, 4)
    _extension(alpha, engineer, 7, "refused")
    _extension(alpha, engineer, 5, "requested")
    Milestone.objects.create(poc=alpha, kind="kickoff", due_date=datetime.date(2020, 1, 1),
                             planned_date=datetime.date(2020, 1, 1))

    beta = POCFactory(opportunity=opportunity, owner=engineer, title="Beta dimming",
                      end_date=END, planned_effort_hours=Decimal("50"))
    _change(beta, _customer(beta), engineer, "30")  # 60 %: more than twice the 20 % threshold

    gamma = POCFactory(opportunity=opportunity, owner=engineer, title="Gamma gateway")
    _change(gamma, _customer(gamma), engineer, "8")  # no planned effort: no share

    # Another team, which warns above 50 %: 24 h of 40 h = 60 % is over it, not twice over.
    TimeboxPolicy.objects.create(team=other_team, scope_creep_threshold=50)
    other = OpportunityFactory(account=AccountFactory(team=other_team), owner=outsider)
    delta = POCFactory(opportunity=other, owner=outsider, title="Delta mining",
                       status="agreed", end_date=END, planned_effort_hours=Decimal("40"))
    _change(delta, _customer(delta), outsider, "24")
    _extension(delta, outsider, 30)
    return {"alpha": alpha, "beta": beta, "gamma": gamma, "delta": delta}


def _row(page: str, title: str) -> str:
    start = page.index(f">{title}</a>")
    return page[start:page.index("</tr>", start)]


def _cell(row: str, testid: str) -> str:
    start = row.index(f'data-testid="{testid}"')
    return row[start:row.index("</td>", start)]


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_list_shows_drift_and_scope_creep_computed_by_hand(client, admin_user, pocs):
    client.force_login(admin_user)

    page = client.get(reverse("web:poc_list")).content.decode()

    alpha = _row(page, "Alpha retrofit")
    assert 'data-days="14"' in _cell(alpha, "drift")
    assert _text(_cell(alpha, "drift")).endswith("+14 d 2 extensions 9 days past the end "
                                                  "1 stalled")
    assert "text-bg-danger" in _cell(alpha, "drift")
    assert 'data-share="25"' in _cell(alpha, "scope-creep")
    assert "text-bg-warning" in _cell(alpha, "scope-creep")  # over 20 %, not over 40 %
    assert _text(_cell(alpha, "scope-creep")).endswith("25 % 10 h of 40 h")

    beta = _row(page, "Beta dimming")  # a draft: not late, whatever its dates
    assert _text(_cell(beta, "drift")).endswith("0 d")
    assert "text-bg-danger" not in _cell(beta, "drift")
    assert 'data-share="60"' in _cell(beta, "scope-creep")
    assert "text-bg-danger" in _cell(beta, "scope-creep")

    gamma = _row(page, "Gamma gateway")
    assert "data-share" not in _cell(gamma, "scope-creep")
    assert _text(_cell(gamma, "scope-creep")).endswith("—")

    delta = _row(page, "Delta mining")
    assert _text(_cell(delta, "drift")).endswith("+30 d 1 extension 9 days past the end")
    assert 'data-share="60"' in _cell(delta, "scope-creep")
    assert "text-bg-warning" in _cell(delta, "scope-creep")  # its team warns above 50 %
    assert "The team warns above 50 %" in _cell(delta, "scope-creep")


def test_the_list_sorts_by_drift_largest_first_then_reversed(client, admin_user, pocs):
    client.force_login(admin_user)

    largest_first = client.get(reverse("web:poc_list"), {"o": "-drift"}).content.decode()
    titles = re.findall(r'class="fw-semibold" href="/pocs/\d+/">([^<]+)</a>', largest_first)
    assert titles[:2] == ["Delta mining", "Alpha retrofit"]
    assert 'aria-sort="descending"' in largest_first
    assert 'href="?o=drift"' in largest_first  # clicking again reverses

    smallest_first = client.get(reverse("web:poc_list"), {"o": "drift"}).content.decode()
    titles = re.findall(r'class="fw-semibold" href="/pocs/\d+/">([^<]+)</a>', smallest_first)
    assert titles[-2:] == ["Alpha retrofit", "Delta mining"]


def test_the_first_click_on_drift_sorts_the_largest_first(client, engineer, pocs):
    client.force_login(engineer)

    page = client.get(reverse("web:poc_list")).content.decode()

    assert 'data-testid="sort-drift"' in page
    assert re.search(r'href="\?o=-drift"[^>]*data-testid="sort-drift"', page)


def test_the_export_holds_the_drift_and_scope_creep(client, engineer, pocs):
    client.force_login(engineer)

    response = client.get(reverse("web:poc_list"), {"format": "csv", "o": "title"})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = rows[0]
    columns = [header.index(name) for name in (
        "Title", "Drift (days)", "Approved extensions", "Planned effort (hours)",
        "Accepted scope changes (hours)", "Scope creep (%)")]
    assert [[row[i] for i in columns] for row in rows[1:]] == [
        ["Alpha retrofit", "14", "2", "40.0", "10.0", "25"],
        ["Beta dimming", "0", "0", "50.0", "30.0", "60"],
        ["Gamma gateway", "0", "0", "", "8.0", ""],
    ]


def test_the_list_costs_the_same_for_5_and_50_pocs_with_extensions_and_changes(
        client, engineer, opportunity):
    client.force_login(engineer)
    person = _customer(POCFactory(opportunity=opportunity, owner=engineer))

    def make(count):
        for number in range(count):
            poc = POCFactory(opportunity=opportunity, owner=engineer, title=f"P{number}",
                             planned_effort_hours=Decimal("10"), end_date=END)
            _extension(poc, engineer, 3)
            _change(poc, person, engineer, "2")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("web:poc_list"), {"o": "-drift"}).status_code == 200
        return len(captured)

    make(5)
    with_5 = queries()
    make(45)

    assert queries() == with_5
