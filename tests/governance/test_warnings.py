"""Meeting warnings (§8.3): an overdue weekly sync or steering meeting (exactly at cadence +
grace it is not yet overdue, the day after it is), an executive sponsor who missed the last two
steering meetings, a single customer contact, overdue action items; only while the POC is
agreed, running, paused or evaluating."""

import datetime

import pytest
import time_machine

from pocdesk.governance.models import Cadence
from pocdesk.governance.selectors import governance_summary, governance_warnings
from pocdesk.pocs.models import POC
from pocdesk.stakeholders.models import Engagement

from ..factories import make_action_item, make_customer, make_meeting

D = datetime.date


def codes(poc, today):
    return [warning.code for warning in governance_warnings(poc=poc, today=today)]


def warning(poc, code, today):
    found = [w for w in governance_warnings(poc=poc, today=today) if w.code == code]
    assert len(found) <= 1
    return found[0] if found else None


# -- overdue meetings -------------------------------------------------------------------------

def test_the_first_weekly_sync_is_overdue_the_day_after_cadence_plus_grace(running_poc):
    # Started on 2 March, a sync every 7 days with 2 grace days: due on 9 March, tolerated
    # until the 11th.
    assert warning(running_poc, "weekly_sync_overdue", D(2026, 3, 11)) is None

    late = warning(running_poc, "weekly_sync_overdue", D(2026, 3, 12))

    assert (late.severity, late.details["days_overdue"], late.details["due_on"],
            late.details["last_held"]) == ("warning", 3, D(2026, 3, 9), None)
    assert late.message == ("No weekly sync yet: the POC started on March 2, 2026 and the first "
                            "one was due on March 9, 2026, 3 days ago.")


def test_the_next_weekly_sync_counts_from_the_last_one_held(running_poc):
    make_meeting(running_poc, date=D(2026, 3, 10))
    make_meeting(running_poc, date=D(2026, 3, 5))

    assert warning(running_poc, "weekly_sync_overdue", D(2026, 3, 19)) is None
    late = warning(running_poc, "weekly_sync_overdue", D(2026, 3, 20))

    assert late.details == {"meeting_type": "weekly_sync", "last_held": D(2026, 3, 10),
                            "due_on": D(2026, 3, 17), "days_overdue": 3, "next_planned": None}
    assert late.message == ("No weekly sync since March 10, 2026: the next one was due on "
                            "March 17, 2026, 3 days ago.")


def test_planned_cancelled_and_future_meetings_do_not_count_as_held(running_poc):
    make_meeting(running_poc, date=D(2026, 3, 10), status="planned")
    make_meeting(running_poc, date=D(2026, 3, 11), status="cancelled")
    make_meeting(running_poc, date=D(2026, 3, 13), status="planned")
    make_meeting(running_poc, date=D(2026, 3, 25))  # held, but after the day looked at

    late = warning(running_poc, "weekly_sync_overdue", D(2026, 3, 12))

    assert (late.details["last_held"], late.details["days_overdue"],
            late.details["next_planned"]) == (None, 3, D(2026, 3, 13))
    assert late.message.endswith("3 days ago. One is planned on March 13, 2026.")


def test_the_steering_meeting_follows_its_own_cadence(running_poc):
    make_meeting(running_poc, date=D(2026, 4, 1))  # a weekly sync is not a steering meeting

    assert warning(running_poc, "steering_overdue", D(2026, 4, 1)) is None
    late = warning(running_poc, "steering_overdue", D(2026, 4, 2))

    assert (late.details["due_on"], late.details["days_overdue"]) == (D(2026, 3, 30), 3)
    assert late.message == ("No steering meeting yet: the POC started on March 2, 2026 and the "
                            "first one was due on March 30, 2026, 3 days ago.")
    make_meeting(running_poc, meeting_type="steering", date=D(2026, 3, 27))
    assert warning(running_poc, "steering_overdue", D(2026, 4, 2)) is None


def test_the_cadence_and_grace_days_are_the_pocs_own(running_poc):
    Cadence.objects.create(poc=running_poc, weekly_sync_days=14, steering_days=None,
                           grace_days=0)
    make_meeting(running_poc, meeting_type="steering", date=D(2026, 3, 3))

    assert warning(running_poc, "weekly_sync_overdue", D(2026, 3, 16)) is None
    assert warning(running_poc, "weekly_sync_overdue", D(2026, 3, 17)).details[
        "days_overdue"] == 1
    assert warning(running_poc, "steering_overdue", D(2026, 12, 31)) is None


def test_nothing_is_overdue_before_the_start_or_without_a_start_date(running_poc):
    POC.objects.filter(pk=running_poc.pk).update(start_date=D(2026, 6, 1),
                                                 end_date=D(2026, 7, 1))
    running_poc.refresh_from_db()
    assert [c for c in codes(running_poc, D(2026, 5, 31)) if c.endswith("_overdue")] == []

    POC.objects.filter(pk=running_poc.pk).update(start_date=None, end_date=None)
    running_poc.refresh_from_db()
    assert [c for c in codes(running_poc, D(2026, 12, 31)) if c.endswith("_overdue")] == []


@pytest.mark.parametrize(("status", "watched"), [
    ("draft", False), ("qualified", False), ("agreed", True), ("running", True),
    ("paused", True), ("evaluating", True), ("closed", False), ("walked_away", False)])
def test_only_pocs_under_way_are_watched(running_poc, status, watched):
    make_action_item(running_poc, due_on=D(2026, 3, 1))
    POC.objects.filter(pk=running_poc.pk).update(status=status)
    running_poc.refresh_from_db()

    found = codes(running_poc, D(2026, 4, 10))

    expected = ["no_executive_sponsor", "weekly_sync_overdue", "steering_overdue",
                "action_items_overdue"]
    assert found == (expected if watched else [])


def test_the_default_today_is_the_local_date(running_poc):
    with time_machine.travel(datetime.datetime(2026, 3, 11, 22, 0, tzinfo=datetime.UTC),
                             tick=False):
        assert "weekly_sync_overdue" not in codes(running_poc, None)
    with time_machine.travel(datetime.datetime(2026, 3, 12, 8, 0, tzinfo=datetime.UTC),
                             tick=False):
        assert "weekly_sync_overdue" in codes(running_poc, None)


# -- the executive sponsor --------------------------------------------------------------------

def test_a_sponsor_who_missed_the_last_two_steering_meetings(running_poc, sponsor, champion):
    make_meeting(running_poc, meeting_type="steering", date=D(2026, 3, 3),
                 attendees=[sponsor, champion])
    make_meeting(running_poc, meeting_type="steering", date=D(2026, 3, 17),
                 attendees=[champion], absent=[sponsor])
    make_meeting(running_poc, meeting_type="steering", date=D(2026, 3, 31),
                 attendees=[champion])  # not even invited
    make_meeting(running_poc, date=D(2026, 4, 1), attendees=[sponsor])  # a sync is no steering

    missed = warning(running_poc, "sponsor_missed_steering", D(2026, 4, 2))

    assert missed.severity == "danger"
    assert missed.message == ("The executive sponsor (Dana Sponsor) missed the last two "
                              "steering meetings, on March 17, 2026 and March 31, 2026.")
    assert missed.details["sponsors"] == [sponsor.pk]
    assert codes(running_poc, D(2026, 4, 2))[0] == "sponsor_missed_steering"  # dangers first


@pytest.mark.parametrize("sponsor_came_to", ["older", "newer"])
def test_a_sponsor_at_either_of_the_last_two_steering_meetings_is_enough(
        running_poc, sponsor, champion, sponsor_came_to):
    make_meeting(running_poc, meeting_type="steering", date=D(2026, 3, 17),
                 attendees=[champion, sponsor] if sponsor_came_to == "older" else [champion])
    make_meeting(running_poc, meeting_type="steering", date=D(2026, 3, 31),
                 attendees=[champion, sponsor] if sponsor_came_to == "newer" else [champion])

    assert warning(running_poc, "sponsor_missed_steering", D(2026, 4, 2)) is None


def test_one_missed_steering_meeting_is_not_yet_a_pattern(running_poc, sponsor, champion):
    make_meeting(running_poc, meeting_type="steering", date=D(2026, 3, 31),
                 attendees=[champion], absent=[sponsor])
    make_meeting(running_poc, meeting_type="steering", date=D(2026, 4, 20),
                 status="planned", attendees=[champion])

    assert warning(running_poc, "sponsor_missed_steering", D(2026, 4, 2)) is None


def test_with_two_sponsors_one_attending_is_enough(running_poc, sponsor, champion):
    other = make_customer(running_poc, name="Eve Exec", role="executive_sponsor")
    for day in (17, 31):
        make_meeting(running_poc, meeting_type="steering", date=D(2026, 3, day),
                     attendees=[other])
    assert warning(running_poc, "sponsor_missed_steering", D(2026, 4, 2)) is None

    for day in (1, 2):
        make_meeting(running_poc, meeting_type="steering", date=D(2026, 4, day),
                     attendees=[champion])
    missed = warning(running_poc, "sponsor_missed_steering", D(2026, 4, 2))
    assert missed.message.startswith("The executive sponsors (Dana Sponsor, Eve Exec) missed")


def test_no_executive_sponsor_while_steering_meetings_are_due(running_poc, champion):
    customer_side_vendor = make_customer(running_poc, name="Val Vendor", side="vendor",
                                         role="executive_sponsor")
    assert customer_side_vendor.side == "vendor"

    missing = warning(running_poc, "no_executive_sponsor", D(2026, 3, 3))

    assert (missing.severity, missing.details) == ("danger", {"steering_days": 28})
    assert missing.message == ("Steering meetings are due every 28 days, but the decision "
                               "chain names no executive sponsor: add the customer's sponsor "
                               "to the deal.")
    Cadence.objects.create(poc=running_poc, steering_days=None)
    assert warning(running_poc, "no_executive_sponsor", D(2026, 3, 3)) is None


def test_an_account_wide_sponsor_counts(running_poc, champion):
    make_customer(running_poc, name="Account Sponsor", role="executive_sponsor",
                  opportunity=None)

    assert warning(running_poc, "no_executive_sponsor", D(2026, 3, 3)) is None


# -- customer contacts ------------------------------------------------------------------------

def test_a_single_customer_contact(running_poc, sponsor, champion):
    make_meeting(running_poc, date=D(2026, 3, 5), attendees=[champion], absent=[sponsor])
    make_meeting(running_poc, date=D(2026, 3, 9), attendees=[champion])
    make_meeting(running_poc, date=D(2026, 3, 16), status="planned", attendees=[sponsor])

    single = warning(running_poc, "single_customer_contact", D(2026, 3, 10))

    assert (single.severity, single.details) == ("warning", {"engaged": [champion.pk]})
    assert single.message == ("Only one customer contact is engaged in this POC (Chris "
                              "Champion): involve more people of the decision chain.")


def test_an_engagement_on_the_poc_counts_as_a_second_contact(running_poc, sponsor, champion,
                                                            engineer):
    make_meeting(running_poc, date=D(2026, 3, 5), attendees=[champion])
    vendor = make_customer(running_poc, name="Val Vendor", side="vendor")
    Engagement.objects.create(stakeholder=vendor, poc=running_poc, recorded_by=engineer)
    assert warning(running_poc, "single_customer_contact", D(2026, 3, 10)) is not None

    Engagement.objects.create(stakeholder=sponsor, poc=running_poc, recorded_by=engineer)

    assert warning(running_poc, "single_customer_contact", D(2026, 3, 10)) is None


def test_the_same_contact_by_meeting_and_engagement_is_one(running_poc, champion, engineer):
    make_meeting(running_poc, date=D(2026, 3, 5), attendees=[champion])
    Engagement.objects.create(stakeholder=champion, poc=running_poc, recorded_by=engineer)

    assert warning(running_poc, "single_customer_contact", D(2026, 3, 10)).details == {
        "engaged": [champion.pk]}


def test_no_contact_at_all_is_said_once_a_meeting_was_held(running_poc, sponsor):
    assert warning(running_poc, "single_customer_contact", D(2026, 3, 10)) is None

    make_meeting(running_poc, date=D(2026, 3, 5), absent=[sponsor])
    nobody = warning(running_poc, "single_customer_contact", D(2026, 3, 10))

    assert (nobody.details, nobody.message) == ({"engaged": []}, (
        "No customer contact is engaged in this POC: nobody from the customer attended the 1 "
        "meeting held."))


# -- action items -----------------------------------------------------------------------------

def test_overdue_action_items_are_counted(running_poc):
    make_action_item(running_poc, due_on=D(2026, 3, 9))
    make_action_item(running_poc, due_on=D(2026, 3, 6))
    make_action_item(running_poc, due_on=D(2026, 3, 10))  # due today: not late yet
    make_action_item(running_poc, due_on=None)
    make_action_item(running_poc, due_on=D(2026, 3, 2), status="done", done_on=D(2026, 3, 3))
    make_action_item(running_poc, due_on=D(2026, 3, 2), status="cancelled")

    late = warning(running_poc, "action_items_overdue", D(2026, 3, 10))

    assert (late.severity, late.details) == ("warning", {"count": 2,
                                                         "oldest_due_on": D(2026, 3, 6)})
    assert late.message == "2 action items are overdue (the oldest was due on March 6, 2026)."
    assert warning(running_poc, "action_items_overdue", D(2026, 3, 6)) is None


def test_one_overdue_action_item(running_poc):
    make_action_item(running_poc, due_on=D(2026, 3, 9))

    assert warning(running_poc, "action_items_overdue", D(2026, 3, 10)).message == (
        "1 action item is overdue (due on March 9, 2026).")


# -- the summary and its cost -----------------------------------------------------------------

def test_the_summary_per_meeting_type(running_poc, sponsor, champion):
    make_meeting(running_poc, date=D(2026, 3, 5), attendees=[champion, sponsor])
    make_meeting(running_poc, date=D(2026, 3, 12), attendees=[champion])
    make_meeting(running_poc, date=D(2026, 3, 19), status="planned")
    make_meeting(running_poc, date=D(2026, 3, 26), status="planned")
    make_meeting(running_poc, meeting_type="review", date=D(2026, 5, 28), status="planned")
    make_action_item(running_poc, due_on=D(2026, 3, 10))
    make_action_item(running_poc)

    summary = governance_summary(poc=running_poc, today=D(2026, 3, 13))

    assert [(t["meeting_type"], t["last_held"], t["next_planned"], t["due_on"], t["held"],
             t["planned"]) for t in summary["types"]] == [
        ("weekly_sync", D(2026, 3, 12), D(2026, 3, 19), D(2026, 3, 19), 2, 2),
        ("steering", None, None, D(2026, 3, 30), 0, 0),
        ("review", None, D(2026, 5, 28), None, 0, 1)]
    assert (summary["open_action_items"], summary["overdue_action_items"],
            summary["meetings_held"]) == (2, 1, 2)
    assert [w.code for w in summary["warnings"]] == ["action_items_overdue"]


def _lots_of_governance(poc, people, count):
    for index in range(count):
        make_meeting(poc, meeting_type="steering" if index % 2 else "weekly_sync",
                     date=D(2026, 3, 2) + datetime.timedelta(days=index % 30),
                     attendees=people[:1], absent=people[1:])
        make_action_item(poc, due_on=D(2026, 3, 1))


@pytest.mark.parametrize("count", [2, 12])
def test_warnings_and_summary_cost_the_same_whatever_the_data(
        running_poc, sponsor, champion, django_assert_num_queries, count):
    _lots_of_governance(running_poc, [champion, sponsor], count)
    running_poc = POC.objects.select_related("opportunity").get(pk=running_poc.pk)

    with django_assert_num_queries(7):
        summary = governance_summary(poc=running_poc, today=D(2026, 4, 30))
    with django_assert_num_queries(7):
        governance_warnings(poc=running_poc, today=D(2026, 4, 30))

    assert summary["overdue_action_items"] == count


def test_a_poc_not_watched_costs_three_queries(poc, django_assert_num_queries):
    with django_assert_num_queries(3):
        assert governance_summary(poc=poc, today=D(2026, 4, 30))["warnings"] == []


def test_a_start_date_at_the_end_of_the_calendar_breaks_nothing(running_poc):
    POC.objects.filter(pk=running_poc.pk).update(start_date=D(9999, 12, 20),
                                                 end_date=D(9999, 12, 31))
    running_poc.refresh_from_db()

    summary = governance_summary(poc=running_poc, today=D(2026, 3, 10))

    assert [t["due_on"] for t in summary["types"]] == [D(9999, 12, 27), None, None]
    assert [w.code for w in summary["warnings"]] == ["no_executive_sponsor"]
