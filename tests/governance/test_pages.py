"""The governance page (§8.3) and the POC page's governance card: record a meeting with its
attendance and action items, change the cadence, close action items (htmx or not); bad input
comes back under its field, never as a server error."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.formats import date_format

from pocdesk.core.models import Event
from pocdesk.governance.models import ActionItem, Cadence, Meeting
from pocdesk.pocs.models import POC
from pocdesk.web.governance_forms import MeetingForm

from ..factories import make_action_item, make_meeting

D = datetime.date


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime.datetime(2026, 3, 20, 10, 0, tzinfo=datetime.UTC),
                             tick=False):
        yield


@pytest.fixture
def signed_in(client, engineer):
    client.force_login(engineer)
    return client


def url(name, poc, *args):
    return reverse(f"web:{name}", args=[poc.pk, *args])


def meeting_data(sponsor, champion, **changes):
    data = {"meeting_type": "steering", "status": "held", "date": "2026-03-18",
            "title": "", "agenda": "", "notes": "", "decisions": "",
            f"attendance_{champion.pk}": "attended", f"attendance_{sponsor.pk}": "absent",
            "action_0_text": "", "action_0_owner": "", "action_0_due_on": "",
            "action_1_text": "", "action_1_owner": "", "action_1_due_on": ""}
    data.update(changes)
    return data


def test_the_page_shows_warnings_cadence_action_items_and_meetings(
        signed_in, running_poc, engineer, sponsor, champion):
    make_meeting(running_poc, meeting_type="steering", date=D(2026, 3, 3), attendees=[champion],
                 absent=[sponsor], decisions="Go on\nAdd line 3", title="Kick-off steering")
    make_meeting(running_poc, meeting_type="steering", date=D(2026, 3, 17),
                 attendees=[champion])
    make_action_item(running_poc, owner=engineer, due_on=D(2026, 3, 18), text="Send the specs")

    response = signed_in.get(url("poc_governance", running_poc))

    assert response.status_code == 200
    page = response.content.decode()
    assert re.findall(r'data-testid="warning" data-code="([a-z_]+)"', page) == [
        "sponsor_missed_steering", "weekly_sync_overdue", "single_customer_contact",
        "action_items_overdue"]
    assert "The executive sponsor (Dana Sponsor) missed the last two steering meetings" in page
    assert page.count('data-testid="meeting"') == 2
    assert "<s>Dana Sponsor</s>" in page
    assert '<li class="text-break">Add line 3</li>' in page
    assert 'data-testid="action-row" data-status="open" data-overdue="true"' in page
    assert 'data-testid="meeting-form"' in page and 'data-testid="cadence-form"' in page


def test_the_page_costs_the_same_for_2_and_20_meetings(signed_in, running_poc, engineer,
                                                       sponsor, champion):
    def cost():
        with CaptureQueriesContext(connection) as queries:
            assert signed_in.get(url("poc_governance", running_poc)).status_code == 200
        return len(queries)

    def add(count):
        for index in range(count):
            meeting = make_meeting(running_poc, date=D(2026, 3, 1 + index % 19),
                                   attendees=[champion], absent=[sponsor])
            meeting.vendor_attendees.add(engineer)
            make_action_item(running_poc, meeting=meeting, owner=engineer, due_on=D(2026, 3, 1))

    add(2)
    few = cost()
    add(18)
    assert cost() == few


def test_a_meeting_is_recorded_with_attendance_and_action_items(
        signed_in, running_poc, engineer, sales, sponsor, champion):
    response = signed_in.post(url("poc_governance_meeting_create", running_poc), meeting_data(
        sponsor, champion, title="March steering", decisions="Extend to line 3\n\nOrder kit",
        vendor_attendees=[str(engineer.pk), str(sales.pk)],
        action_0_text="Send the report", action_0_owner=f"u:{engineer.pk}",
        action_0_due_on="2026-03-25",
        action_1_text="Book the line", action_1_owner=f"s:{champion.pk}"))

    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("poc_governance", running_poc) + f"#meeting-{meeting.pk}"
    assert (meeting.title, meeting.decisions) == ("March steering", "Extend to line 3\nOrder kit")
    assert sorted((a.stakeholder_id, a.attended) for a in meeting.attendances.all()) == sorted(
        [(champion.pk, True), (sponsor.pk, False)])
    assert set(meeting.vendor_attendees.all()) == {engineer, sales}
    assert [(i.text, i.owner, i.customer_owner, i.due_on) for i in ActionItem.objects.order_by(
        "id")] == [("Send the report", engineer, None, D(2026, 3, 25)),
                   ("Book the line", None, champion, None)]


def test_errors_come_back_under_their_fields(signed_in, running_poc, engineer, sponsor,
                                             champion):
    response = signed_in.post(url("poc_governance_meeting_create", running_poc), meeting_data(
        sponsor, champion, date="2026-03-27", action_1_text="Call back",
        action_1_due_on="2026-03-25"))

    assert response.status_code == 400
    page = response.content.decode()
    assert re.search(r'id="id_meeting_date_errors">A held meeting cannot be dated in the '
                     r'future', page)
    assert re.search(r'Say who owns this action item', page)
    form = response.context["meeting_form"]
    assert form.errors == {
        "date": ["A held meeting cannot be dated in the future: plan it instead."],
        "action_1_owner": ["Say who owns this action item."]}
    assert not Meeting.objects.exists()


def test_an_unknown_attendance_choice_is_refused(signed_in, running_poc, sponsor, champion):
    data = meeting_data(sponsor, champion)
    data[f"attendance_{champion.pk}"] = "maybe"

    refused = signed_in.post(url("poc_governance_meeting_create", running_poc), data)

    assert refused.status_code == 400
    assert refused.context["meeting_form"].errors[f"attendance_{champion.pk}"]
    assert not Meeting.objects.exists()


def test_service_errors_land_under_the_attendance_and_the_right_action_row(sponsor, champion,
                                                                         engineer):
    form = MeetingForm(meeting_data(sponsor, champion, action_1_text="Call back"),
                       customers=[(sponsor.pk, "Dana"), (champion.pk, "Chris")],
                       members=[(engineer.pk, "Engineer")])
    assert form.is_valid(), form.errors
    arguments = form.service_arguments()

    form.add_service_errors({"attendees": ["7 is not a customer stakeholder of this deal."],
                             "action_items.0.customer_owner": ["Choose a customer."],
                             "agenda": ["Too long."], "elsewhere": ["Odd."]})

    assert (arguments["attendees"], arguments["absent"]) == ([champion.pk], [sponsor.pk])
    assert arguments["action_items"] == [{"text": "Call back", "owner": None,
                                          "customer_owner": None, "due_on": None}]
    assert form.attendance_errors == ["7 is not a customer stakeholder of this deal."]
    assert form.errors == {"action_1_owner": ["Choose a customer."], "agenda": ["Too long."],
                           "__all__": ["Odd."]}


def test_the_cadence_is_changed_and_bad_values_are_named(signed_in, running_poc):
    refused = signed_in.post(url("poc_governance_cadence", running_poc),
                             {"weekly_sync_days": "0", "steering_days": "", "grace_days": "2"})
    saved = signed_in.post(url("poc_governance_cadence", running_poc),
                           {"weekly_sync_days": "14", "steering_days": "", "grace_days": "1"})

    assert refused.status_code == 400
    assert "weekly_sync_days" in refused.context["cadence_form"].errors
    assert saved.status_code == 302
    cadence = Cadence.objects.get()
    assert (cadence.weekly_sync_days, cadence.steering_days, cadence.grace_days) == (14, None, 1)


def test_an_action_item_is_added_and_a_bad_one_named(signed_in, running_poc, engineer,
                                                     champion):
    meeting = make_meeting(running_poc)
    refused = signed_in.post(url("poc_governance_action_item_create", running_poc),
                             {"text": "Call", "owner": "", "due_on": "", "meeting": ""})
    added = signed_in.post(url("poc_governance_action_item_create", running_poc), {
        "text": "Call the plant", "owner": f"s:{champion.pk}", "due_on": "2026-03-22",
        "meeting": str(meeting.pk)})

    assert refused.status_code == 400
    assert refused.context["action_form"].errors == {"owner": [
        "Say who owns this action item."]}
    item = ActionItem.objects.get()
    assert added.status_code == 302
    assert added["Location"].endswith(f"#action-{item.pk}")
    assert (item.customer_owner, item.meeting, item.due_on) == (champion, meeting,
                                                                D(2026, 3, 22))


def test_an_action_item_is_done_with_htmx_and_the_warnings_follow(signed_in, running_poc,
                                                                  engineer):
    item = make_action_item(running_poc, owner=engineer, due_on=D(2026, 3, 18))
    from_meeting = make_action_item(running_poc, owner=engineer, meeting=make_meeting(
        running_poc), text="From the sync")
    signed_in.post(url("poc_governance_action_item_status", running_poc, from_meeting.pk),
                   {"status": "done"})
    reopened = signed_in.post(url("poc_governance_action_item_status", running_poc,
                                  from_meeting.pk), {"status": "open"},
                              headers={"HX-Request": "true"}).content.decode()
    assert (f'<li class="text-break" id="meeting-action-{from_meeting.pk}" '
            f'hx-swap-oob="true">') in reopened
    signed_in.post(url("poc_governance_action_item_status", running_poc, from_meeting.pk),
                   {"status": "cancelled"})

    response = signed_in.post(url("poc_governance_action_item_status", running_poc, item.pk),
                              {"status": "done"}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="action-{item.pk}"')
    assert 'data-status="done"' in html
    assert 'id="governance-warnings"' in html and 'hx-swap-oob="true"' in html
    assert 'data-code="action_items_overdue"' not in html
    assert 'data-open="0" data-overdue="0"' in html
    assert f'<li class="text-break" id="meeting-action-{item.pk}" hx-swap-oob="true">' not in html
    item.refresh_from_db()
    assert (item.status, item.done_on) == ("done", D(2026, 3, 20))


def test_without_htmx_the_status_change_redirects(signed_in, running_poc, engineer):
    item = make_action_item(running_poc, owner=engineer)

    response = signed_in.post(url("poc_governance_action_item_status", running_poc, item.pk),
                              {"status": "cancelled"})
    bad = signed_in.post(url("poc_governance_action_item_status", running_poc, item.pk),
                         {"status": "late"})

    assert response.status_code == bad.status_code == 302
    item.refresh_from_db()
    assert item.status == "cancelled"


def test_a_planned_meeting_is_recorded_as_held_on_its_edit_page(signed_in, running_poc,
                                                                 sponsor, champion):
    meeting = make_meeting(running_poc, status="planned", date=D(2026, 3, 19),
                           attendees=[champion, sponsor])
    edit = url("poc_governance_meeting_edit", running_poc, meeting.pk)

    form_page = signed_in.get(edit)
    refused = signed_in.post(edit, meeting_data(sponsor, champion, status="held",
                                                date="2026-03-21"))
    saved = signed_in.post(edit, meeting_data(sponsor, champion, status="held",
                                              date="2026-03-19", decisions="Go"))

    assert form_page.status_code == 200
    assert 'value="attended" autocomplete="off" checked' in form_page.content.decode()
    assert refused.status_code == 400
    assert "date" in refused.context["form"].errors
    assert saved.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.status, meeting.decisions) == ("held", "Go")
    assert sorted(meeting.attendances.values_list("attended", flat=True)) == [False, True]


def test_a_meeting_is_deleted_by_its_recorder_only(client, signed_in, running_poc, engineer,
                                                   sales):
    mine = make_meeting(running_poc, recorded_by=engineer)
    theirs = make_meeting(running_poc, recorded_by=sales)

    refused = signed_in.post(url("poc_governance_meeting_delete", running_poc, theirs.pk))
    deleted = signed_in.post(url("poc_governance_meeting_delete", running_poc, mine.pk))

    assert refused.status_code == deleted.status_code == 302
    assert list(Meeting.objects.all()) == [theirs]


@pytest.mark.parametrize("name", ["poc_governance", "poc_governance_meeting_edit"])
def test_an_outsider_gets_a_404(client, running_poc, outsider, name):
    meeting = make_meeting(running_poc)
    client.force_login(outsider)
    args = [meeting.pk] if name.endswith("edit") else []

    assert client.get(url(name, running_poc, *args)).status_code == 404
    assert client.post(url("poc_governance_meeting_delete", running_poc, meeting.pk)
                       ).status_code == 404
    assert Meeting.objects.count() == 1


def test_a_closed_poc_shows_its_history_without_forms(signed_in, running_poc, engineer):
    meeting = make_meeting(running_poc)
    POC.objects.filter(pk=running_poc.pk).update(status="closed")

    page = signed_in.get(url("poc_governance", running_poc)).content.decode()
    refused = signed_in.post(url("poc_governance_meeting_create", running_poc), {
        "meeting_type": "review", "status": "held", "date": "2026-03-19"})
    edit = signed_in.get(url("poc_governance_meeting_edit", running_poc, meeting.pk))

    assert "This POC is over" in page
    assert 'data-testid="meeting-form"' not in page
    assert refused.status_code == 302
    assert Meeting.objects.count() == 1
    assert edit.status_code == 403
    assert not Event.objects.exists()


def test_the_poc_card(signed_in, running_poc, engineer, sponsor, champion):
    make_meeting(running_poc, date=D(2026, 3, 17), attendees=[champion, sponsor])
    make_meeting(running_poc, date=D(2026, 3, 24), status="planned")
    make_action_item(running_poc, owner=engineer, due_on=D(2026, 3, 18))

    page = signed_in.get(reverse("web:poc_detail", args=[running_poc.pk])).content.decode()

    assert 'data-testid="governance-card"' in page
    assert re.findall(r'data-testid="governance-card-warning" data-code="([a-z_]+)"', page) == [
        "action_items_overdue"]
    card = page[page.index('data-testid="governance-card"'):]
    assert date_format(D(2026, 3, 17), "SHORT_DATE_FORMAT") in card  # the last sync
    assert 'data-testid="governance-card-overdue"' in card


def test_the_poc_page_costs_the_same_for_2_and_20_meetings(signed_in, running_poc, engineer,
                                                           sponsor, champion):
    def cost():
        with CaptureQueriesContext(connection) as queries:
            assert signed_in.get(reverse("web:poc_detail",
                                         args=[running_poc.pk])).status_code == 200
        return len(queries)

    def add(count):
        for index in range(count):
            make_meeting(running_poc, meeting_type="steering" if index % 2 else "weekly_sync",
                         date=D(2026, 3, 1 + index % 19), attendees=[champion], absent=[sponsor])
            make_action_item(running_poc, owner=engineer, due_on=D(2026, 3, 1))

    add(2)
    few = cost()
    add(18)
    assert cost() == few


def test_the_card_costs_seven_queries(rf, running_poc, engineer, sponsor, champion,
                                      django_assert_num_queries):
    from pocdesk.web.governance_display import governance_card

    for day in (3, 10, 17):
        make_meeting(running_poc, meeting_type="steering", date=D(2026, 3, day),
                     attendees=[champion], absent=[sponsor])
    request = rf.get("/")
    request.user = engineer
    poc = POC.objects.select_related("opportunity").get(pk=running_poc.pk)
    engineer.has_perm("pocdesk.edit_poc", poc)  # the user's teams, read once per request

    with django_assert_num_queries(7):
        card = governance_card(request=request, poc=poc)

    assert [w.code for w in card["warnings"]] == ["sponsor_missed_steering",
                                                  "weekly_sync_overdue",
                                                  "single_customer_contact"]
    assert card["can_edit"] is True
