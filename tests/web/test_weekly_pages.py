"""The weekly report page (§8.5): the week picker, the PDF download and sending by e-mail."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pocdesk.core.models import Event
from tests.factories import (
    make_action_item,
    make_criterion,
    make_customer,
    make_log_entry,
    make_measurement,
    make_meeting,
    make_milestone,
)
from tests.reports.test_weekly import at, clock, make_week, march  # noqa: F401 - fixture


@pytest.fixture
def week(poc, engineer, clock):  # noqa: F811
    return make_week(poc, engineer=engineer)


def _page(client, poc, week=""):
    return client.get(reverse("web:poc_weekly", args=[poc.pk])
                      + (f"?week={week}" if week else ""))


def _send(client, poc, **data):
    return client.post(reverse("web:poc_weekly_send", args=[poc.pk]),
                       {"week": "2026-03-09", **data})


def _section(page: str, testid: str) -> str:
    start = page.index(f'data-testid="{testid}"')
    return page[start:page.index("</section>", start)]


@pytest.mark.parametrize("role", ["engineer", "sales", "manager", "admin"])
def test_the_team_sees_this_week_and_may_send_it(client, actors, poc, week, role):
    client.force_login(actors[role])

    response = _page(client, poc)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Week 11 of 2026" in page and "March 9, 2026 to March 15, 2026" in page
    assert 'href="?week=2026-03-02"' in page  # the week before
    assert 'data-testid="weekly-next"' not in page  # nothing after this week yet
    assert 'data-testid="weekly-send"' in page
    assert f'href="/pocs/{poc.pk}/weekly/pdf/?week=2026-03-09"' in page


def test_the_page_shows_the_report_of_the_week(client, engineer, poc, week):
    client.force_login(engineer)

    page = _page(client, poc, "2026-03-12").content.decode()

    criteria = _section(page, "weekly-criteria")
    assert re.findall(r'data-testid="weekly-criterion" data-status="(\w+)"', criteria) == [
        "passing", "passing", "no_data"]
    assert "was Failing" in criteria and "126.7 t/h" in criteria
    assert 'data-outlook="green"' in page
    assert "16 of 30 days elapsed" in page
    assert ">2 of 4 done<" in page and ">2 of 3 passing<" in page
    assert "Installation complete" in _section(page, "weekly-milestones")
    decisions = _section(page, "weekly-decisions")
    assert decisions.count('data-testid="weekly-decision"') == 3
    assert "Extend the test to line 3" in decisions and "An older decision" not in decisions
    assert "witnessed by Wei Witness" in _section(page, "weekly-events")
    assert "Weekly cleaning" in _section(page, "weekly-risks")
    actions = _section(page, "weekly-actions")
    assert actions.count('data-testid="weekly-action-open"') == 2
    assert actions.count(">Overdue<") == 1
    assert "Book the crane" in actions and "Sign the NDA" not in actions
    attention = _section(page, "weekly-attention")
    assert 'data-code="action_items_overdue"' in attention
    assert "Confirm the data can stay on site." in attention


def test_the_week_before_and_a_week_outside_the_poc(client, engineer, poc, week):
    client.force_login(engineer)

    before = _page(client, poc, "2026-03-04").content.decode()
    outside = _page(client, poc, "2025-01-01").content.decode()
    garbage = _page(client, poc, "soon").content.decode()

    assert "Week 10 of 2026" in before and 'href="?week=2026-03-09"' in before
    assert "An older decision" in before
    assert 'data-testid="weekly-moved"' in outside and "Week 9 of 2026" in outside
    assert 'data-testid="weekly-previous"' not in outside
    assert 'data-testid="weekly-moved"' not in garbage and "Week 11 of 2026" in garbage


def test_every_id_on_the_page_is_unique(client, manager, poc, week):
    client.force_login(manager)

    page = _page(client, poc).content.decode()

    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))


def test_the_page_costs_the_same_queries_whatever_the_data(client, engineer, poc, week):
    client.force_login(engineer)
    _page(client, poc)  # warm the session and caches

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert _page(client, poc).status_code == 200
        return len(captured)

    first = queries()
    throughput = week["criteria"][0]
    for day in range(9, 12):
        make_measurement(throughput, value="125", measured_at=at(day, 7))
        make_meeting(poc, date=march(day), decisions="More\nAnd more")
        make_action_item(poc, text=f"Item {day}", owner=engineer, due_on=march(day))
        make_log_entry(poc, kind="risk", title=f"Risk {day}", status="open", occurred_at=at(day))
        make_milestone(poc, due_date=march(day + 7), sequence=day)
        make_criterion(poc, title=f"Criterion {day}")
        make_customer(poc, name=f"Person {day}", email=f"p{day}@customer.example")

    assert queries() == first


def test_the_pdf_is_downloaded_for_the_week(client, engineer, poc, week):
    client.force_login(engineer)

    response = client.get(reverse("web:poc_weekly_pdf", args=[poc.pk]) + "?week=2026-03-04")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="POC-{poc.pk}-weekly-2026-03-02.pdf"')
    assert response.content.startswith(b"%PDF")


def test_the_report_is_sent_to_the_people_checked(client, engineer, manager, poc, week):
    client.force_login(engineer)

    response = _send(client, poc, recipient_ids=[week["sponsor"].pk], member_ids=[manager.pk],
                     message="See the first run.")

    assert response.status_code == 302
    assert response["Location"] == f"/pocs/{poc.pk}/weekly/?week=2026-03-09"
    assert [message.to for message in mail.outbox] == [
        ["Dana Sponsor <dana@customer.example>"], ["Manager <manager@example.com>"]]
    assert "See the first run." in mail.outbox[0].body
    page = client.get(response["Location"]).content.decode()
    assert "Weekly report sent to 2 people: Dana Sponsor, Manager." in page
    assert Event.objects.filter(verb="weekly_report.sent").count() == 1


def test_a_refused_sending_shows_its_errors_under_the_fields(client, engineer, poc, week,
                                                             opportunity):
    from tests.factories import OpportunityFactory, POCFactory

    no_address = make_customer(poc, name="Nobody Mail", email="")
    other_poc = POCFactory(opportunity=OpportunityFactory(account=opportunity.account))
    other_deal = make_customer(other_poc, name="Other Deal", email="o@x.example")
    client.force_login(engineer)

    nobody = _send(client, poc)
    without = _send(client, poc, recipient_ids=[no_address.pk], message="Kept")
    elsewhere = _send(client, poc, recipient_ids=[other_deal.pk, week["sponsor"].pk])

    assert (nobody.status_code, without.status_code, elsewhere.status_code) == (400, 400, 400)
    assert "Choose at least one recipient." in _section(nobody.content.decode(), "weekly-send")
    page = without.content.decode()
    assert ("Nobody Mail has no e-mail address: add one to their stakeholder record first."
            in _section(page, "weekly-send"))
    assert ">Kept</textarea>" in page  # what was typed stays
    page = elsewhere.content.decode()
    assert "Choose a customer stakeholder of this deal." in _section(page, "weekly-send")
    assert re.search(rf'value="{week["sponsor"].pk}" id="weekly-customer-\d+" checked', page)
    assert 'class="collapse show mb-3" id="weekly-send"' in page
    assert mail.outbox == []
    assert not Event.objects.filter(verb="weekly_report.sent").exists()


def test_an_outsider_gets_a_404_and_sends_nothing(client, outsider, poc, week):
    client.force_login(outsider)

    assert _page(client, poc).status_code == 404
    assert client.get(reverse("web:poc_weekly_pdf", args=[poc.pk])).status_code == 404
    assert _send(client, poc, recipient_ids=[week["sponsor"].pk]).status_code == 404
    assert mail.outbox == []


def test_anonymous_users_are_sent_to_log_in(client, poc, week):
    assert _page(client, poc).status_code == 302
    assert _send(client, poc, recipient_ids=[week["sponsor"].pk]).status_code == 302
    assert mail.outbox == []
