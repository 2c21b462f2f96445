"""The weekly status report (§8.5): its content for one week, its PDF in the POC's language and
sending it by e-mail. "Today" is Wednesday 11 March 2026: the week is Monday 9 to Sunday 15."""

import datetime
import io
import re
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from pypdf import PdfReader

from pocdesk.core.errors import PermissionDenied, ValidationFailed
from pocdesk.core.events import describe_event
from pocdesk.core.models import Event
from pocdesk.criteria.measure import evaluate
from pocdesk.execution.models import LogEntry, Measurement
from pocdesk.execution.status import criterion_statuses
from pocdesk.governance.models import ActionItem
from pocdesk.pocs.models import POC
from pocdesk.reports.documents import render_document
from pocdesk.reports.weekly import default_week, poc_weeks, week_bounds, weekly_report
from pocdesk.reports.weekly_send import weekly_report_send
from pocdesk.scope.models import ScopeChange
from tests.factories import (
    make_action_item,
    make_commitment,
    make_criterion,
    make_customer,
    make_log_entry,
    make_measurement,
    make_meeting,
    make_milestone,
    make_scope_change,
)

NOW = datetime.datetime(2026, 3, 11, 12, 0, tzinfo=datetime.UTC)
MONDAY = datetime.date(2026, 3, 9)
SUNDAY = datetime.date(2026, 3, 15)


def at(day: int, hour: int = 10, month: int = 3) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, 0, tzinfo=datetime.UTC)


def march(day: int) -> datetime.date:
    return datetime.date(2026, 3, day)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def make_week(poc, *, engineer, title_language: str = "en") -> dict:
    """A running POC with one week of everything: readings in the week and before, milestones,
    meetings, a scope decision, log entries, action items and commitments."""
    POC.objects.filter(pk=poc.pk).update(status="running", start_date=march(2) - datetime.
                                         timedelta(days=7), end_date=march(25))
    poc.refresh_from_db()
    names = {"en": ("Throughput", "Alarm delivery", "Colour temperature"),
             "zh-hans": ("破碎机处理能力", "远程监控告警", "色温")}[title_language]
    throughput = make_criterion(poc, title=names[0])  # ≥ 120 t/h, mean, must-have
    alarms = make_criterion(poc, title=names[1], metric="", unit="", comparator="pass_fail",
                            target_value=None, pass_condition="Alarm within 60 s",
                            aggregation="latest", must_have=False)
    colour = make_criterion(poc, title=names[2], metric="colour temperature", unit="K",
                            comparator="between", target_value=None,
                            target_min=Decimal("2600"), target_max=Decimal("2800"),
                            aggregation="p95", must_have=False)
    make_measurement(throughput, value="100", measured_at=at(2))
    make_measurement(throughput, value="130", measured_at=at(9))
    make_measurement(throughput, value="150", measured_at=at(10))
    make_measurement(alarms, passed=True, measured_at=at(3))
    sponsor = make_customer(poc, name="Dana Sponsor", role="executive_sponsor",
                            email="dana@customer.example")
    witness = make_customer(poc, name="Wei Witness", role="technical_evaluator",
                            email="wei@customer.example")
    milestones = {
        "kickoff": make_milestone(poc, kind="kickoff", due_date=march(2), status="done",
                                  completed_on=march(2)),
        "installation": make_milestone(poc, kind="installation", due_date=march(10),
                                       status="done", completed_on=march(10),
                                       owner=engineer),
        "first_run": make_milestone(poc, kind="first_run", due_date=march(5)),
        "checkpoint": make_milestone(poc, kind="checkpoint", sequence=2, due_date=march(18),
                                     customer_owner=sponsor),
    }
    make_meeting(poc, date=march(10), attendees=[sponsor, witness],
                 decisions="Extend the test to line 3\n\nUse the night-shift data\n")
    make_meeting(poc, date=march(3), attendees=[sponsor], decisions="An older decision")
    make_meeting(poc, date=march(12), status="planned", decisions="Not decided yet")
    make_meeting(poc, date=march(10), meeting_type="steering", attendees=[sponsor],
                 decisions="")
    change = make_scope_change(poc, recorded_by=engineer, requested_by=witness,
                               text="Add a dust report.")
    ScopeChange.objects.filter(pk=change.pk).update(
        decision="accepted", decided_by=engineer, decided_at=at(10, 15),
        decision_note="Fits the plan.")
    make_scope_change(poc, recorded_by=engineer, requested_by=witness, text="Still pending.")
    log = {
        "key_event": make_log_entry(poc, kind="key_event", key_event="first_run",
                                    title="First run on line 2", occurred_at=at(10, 9),
                                    witnessed_by=witness, witnessed_at=at(10, 9)),
        "old_event": make_log_entry(poc, kind="key_event", key_event="other",
                                    title="Delivery on site", occurred_at=at(4)),
        "issue": make_log_entry(poc, kind="issue", title="Feeder jam", severity="medium",
                                status="open", occurred_at=at(11, 8)),
        "risk": make_log_entry(poc, kind="risk", title="Dust may clog the sensor",
                               severity="high", status="open", mitigation="Weekly cleaning",
                               occurred_at=at(5)),
        "resolved": make_log_entry(poc, kind="risk", title="Power supply unstable",
                                   severity="low", status="resolved", occurred_at=at(4)),
        "observation": make_log_entry(poc, title="Dust level high", occurred_at=at(10)),
    }
    actions = {
        "overdue": make_action_item(poc, text="Send the calibration sheet", owner=engineer,
                                    due_on=march(9), created_at=at(2)),
        "next": make_action_item(poc, text="Open the line 3 access", customer_owner=sponsor,
                                 due_on=march(17), created_at=at(3)),
        "done": make_action_item(poc, text="Book the crane", owner=engineer, due_on=march(10),
                                 status="done", done_on=march(10), created_at=at(3)),
        "done_before": make_action_item(poc, text="Sign the NDA", status="done",
                                        done_on=march(2), created_at=at(1)),
        "cancelled": make_action_item(poc, text="Cancelled one", status="cancelled",
                                      created_at=at(1)),
        "later": make_action_item(poc, text="Written after the week", created_at=at(16)),
    }
    commitments = {
        "overdue": make_commitment(poc, made_by=engineer, made_to=sponsor,
                                   text="Confirm the data can stay on site.", made_at=at(9)),
        "kept": make_commitment(poc, made_by=engineer, made_to=sponsor, text="Kept one",
                                made_at=at(9), status="kept"),
    }
    return {"criteria": (throughput, alarms, colour), "sponsor": sponsor, "witness": witness,
            "milestones": milestones, "log": log, "actions": actions,
            "commitments": commitments, "change": change}


@pytest.fixture
def week(poc, engineer, clock):
    return make_week(poc, engineer=engineer)


# --- the weeks of a POC's life -------------------------------------------------------------

def test_week_bounds_are_monday_to_sunday():
    assert week_bounds(march(9)) == (march(9), march(15))
    assert week_bounds(march(15)) == (march(9), march(15))
    assert week_bounds(datetime.date(2026, 1, 1)) == (datetime.date(2025, 12, 29),
                                                      datetime.date(2026, 1, 4))


def test_the_weeks_run_from_the_start_to_today_or_the_closing_day(poc, clock):
    POC.objects.filter(pk=poc.pk).update(start_date=march(4))
    poc.refresh_from_db()
    assert poc_weeks(poc=poc) == (march(2), MONDAY)
    assert default_week(poc=poc) == MONDAY
    assert default_week(poc=poc, day=datetime.date(2025, 6, 1)) == march(2)
    assert default_week(poc=poc, day=datetime.date(2027, 1, 1)) == MONDAY

    POC.objects.filter(pk=poc.pk).update(status="closed", status_changed_at=at(4))
    poc.refresh_from_db()
    assert poc_weeks(poc=poc) == (march(2), march(2))


def test_a_week_outside_the_life_of_the_poc_is_refused(poc, clock):
    with pytest.raises(ValidationFailed) as refusal:
        weekly_report(poc=poc, week_start=march(16))
    assert list(refusal.value.fields) == ["week"]
    with pytest.raises(ValidationFailed):
        weekly_report(poc=poc, week_start=datetime.date(2026, 3, 1))


# --- the content ---------------------------------------------------------------------------

def test_the_report_of_the_week(poc, engineer, week):
    throughput, alarms, colour = week["criteria"]
    milestones, log, actions = week["milestones"], week["log"], week["actions"]

    report = weekly_report(poc=poc, week_start=march(12))

    assert report["poc"] == {"id": poc.pk, "reference": f"POC-{poc.pk}",
                             "title": "Luminaires on the BMS", "customer": "Musée du Louvre",
                             "opportunity": "Heritage lighting retrofit", "company": "Lighting",
                             "status": "running", "language": "en"}
    assert report["week"] == {"start": MONDAY, "end": SUNDAY, "as_of": march(11),
                              "previous": march(2), "next": None, "is_current": True}
    assert report["timebox"] == {"start": datetime.date(2026, 2, 23), "end": march(25),
                                 "elapsed_days": 16, "planned_days": 30, "health": "at_risk",
                                 "drift_days": 0}
    assert report["outlook"] == "green"
    assert report["progress"] == {"milestones_done": 2, "milestones_total": 4,
                                  "criteria_passing": 2, "criteria_total": 3,
                                  "readings_week": 2}
    assert report["criteria"] == [
        {"id": throughput.pk, "title": "Throughput", "target": "≥ 120 t/h", "unit": "t/h",
         "aggregation": "mean", "pass_fail": False, "must_have": True, "status": "passing",
         "result": Decimal(380) / 3, "previous_status": "failing", "changed": True,
         "readings_week": 2, "readings_total": 3},
        {"id": alarms.pk, "title": "Alarm delivery", "target": "pass: Alarm within 60 s",
         "unit": "", "aggregation": "latest", "pass_fail": True, "must_have": False,
         "status": "passing", "result": True, "previous_status": "passing", "changed": False,
         "readings_week": 0, "readings_total": 1},
        {"id": colour.pk, "title": "Colour temperature", "target": "2600–2800 K",
         "unit": "K", "aggregation": "p95", "pass_fail": False, "must_have": False,
         "status": "no_data", "result": None, "previous_status": "no_data", "changed": False,
         "readings_week": 0, "readings_total": 0},
    ]
    assert report["milestones"] == {
        "done": [{"id": milestones["installation"].pk, "label": "Installation complete",
                  "due_date": march(10), "completed_on": march(10), "owner": "Engineer",
                  "days_overdue": 0}],
        "next": [{"id": milestones["checkpoint"].pk, "label": "Checkpoint 2",
                  "due_date": march(18), "completed_on": None, "owner": "Dana Sponsor",
                  "days_overdue": 0}],
        "overdue": [{"id": milestones["first_run"].pk, "label": "First run",
                     "due_date": march(5), "completed_on": None, "owner": "",
                     "days_overdue": 6}],
        "after": [],
    }
    assert report["decisions"] == [
        {"date": march(10), "source": "meeting", "origin": "Weekly sync",
         "text": "Extend the test to line 3", "decision": ""},
        {"date": march(10), "source": "meeting", "origin": "Weekly sync",
         "text": "Use the night-shift data", "decision": ""},
        {"date": march(10), "source": "scope_change", "origin": "Add a dust report.",
         "text": "Fits the plan.", "decision": "accepted"},
    ]
    assert report["key_events"] == [
        {"id": log["key_event"].pk, "title": "First run on line 2", "key_event": "first_run",
         "occurred_at": at(10, 9), "witnessed_by": "Wei Witness", "witnessed_at": at(10, 9)}]
    assert report["issues"] == {
        "opened": [{"id": log["issue"].pk, "kind": "issue", "title": "Feeder jam",
                    "severity": "medium", "status": "open", "occurred_at": at(11, 8)}],
        "resolved": [{"id": log["resolved"].pk, "kind": "risk",
                      "title": "Power supply unstable", "severity": "low",
                      "status": "resolved", "occurred_at": at(4)}],
    }
    assert report["risks"] == [
        {"id": log["risk"].pk, "title": "Dust may clog the sensor", "severity": "high",
         "mitigation": "Weekly cleaning", "occurred_at": at(5)}]
    assert report["action_items"] == {
        "open": [
            {"id": actions["overdue"].pk, "text": "Send the calibration sheet",
             "owner": "Engineer", "due_on": march(9), "done_on": None, "overdue": True,
             "meeting": ""},
            {"id": actions["next"].pk, "text": "Open the line 3 access",
             "owner": "Dana Sponsor", "due_on": march(17), "done_on": None,
             "overdue": False, "meeting": ""}],
        "done": [{"id": actions["done"].pk, "text": "Book the crane", "owner": "Engineer",
                  "due_on": march(10), "done_on": march(10), "overdue": False,
                  "meeting": ""}],
    }
    assert [warning["code"] for warning in report["warnings"]] == ["action_items_overdue"]
    assert report["commitments_overdue"] == [
        {"id": week["commitments"]["overdue"].pk,
         "text": "Confirm the data can stay on site.", "made_to": "Dana Sponsor",
         "due_at": at(10)}]
    assert report["next_steps"] == {"milestones": report["milestones"]["next"],
                                    "action_items": [report["action_items"]["open"][1]]}


def test_the_week_before_is_told_as_it_stood_then(poc, engineer, week):
    throughput, alarms, _colour = week["criteria"]
    actions, milestones = week["actions"], week["milestones"]

    report = weekly_report(poc=poc, week_start=march(2))

    assert report["week"] == {"start": march(2), "end": march(8), "as_of": march(8),
                              "previous": datetime.date(2026, 2, 23), "next": MONDAY,
                              "is_current": False}
    assert [(row["title"], row["status"], row["previous_status"], row["readings_week"],
             row["readings_total"]) for row in report["criteria"]] == [
        ("Throughput", "failing", "no_data", 1, 1),
        ("Alarm delivery", "passing", "no_data", 1, 1),
        ("Colour temperature", "no_data", "no_data", 0, 0)]
    assert report["outlook"] == "red"
    assert report["progress"]["milestones_done"] == 1
    assert [row["label"] for row in report["milestones"]["done"]] == ["Kickoff"]
    # Installation was done on the 10th: on Sunday the 8th it was still ahead.
    assert [row["id"] for row in report["milestones"]["next"]] == [
        milestones["installation"].pk]
    assert [(row["id"], row["days_overdue"]) for row in report["milestones"]["overdue"]] == [
        (milestones["first_run"].pk, 3)]
    assert [row["text"] for row in report["decisions"]] == ["An older decision"]
    assert [row["title"] for row in report["key_events"]] == ["Delivery on site"]
    # The crane was booked on the 10th: open at the end of that week.
    assert [(row["id"], row["overdue"]) for row in report["action_items"]["open"]] == [
        (actions["overdue"].pk, False), (actions["done"].pk, False), (actions["next"].pk, False)]
    assert [row["id"] for row in report["action_items"]["done"]] == [
        actions["done_before"].pk]
    assert report["commitments_overdue"] == []


def test_the_status_before_a_moment_is_the_status_of_the_readings_before_it(poc, clock):
    criteria = [
        make_criterion(poc, title="Mean", aggregation="mean"),
        make_criterion(poc, title="P95", comparator="lte", target_value=Decimal("50"),
                       aggregation="p95"),
        make_criterion(poc, title="Min", aggregation="min"),
        make_criterion(poc, title="Max", comparator="between", target_value=None,
                       target_min=Decimal("1"), target_max=Decimal("9.5"), aggregation="max"),
        make_criterion(poc, title="Share", comparator="eq", target_value=Decimal("10"),
                       tolerance=Decimal("0.5"), aggregation="share_passing",
                       required_share=Decimal("60")),
        make_criterion(poc, title="Test", comparator="pass_fail", metric="", unit="",
                       target_value=None, pass_condition="Works", aggregation="latest"),
    ]
    values = ["118.125", "121.3", "9.75", "10.4", "130.000001", "44", "47.5", "8.2", "119.9"]
    for index, value in enumerate(values):
        for criterion in criteria[:5]:
            make_measurement(criterion, value=value, measured_at=at(1 + index))
        make_measurement(criteria[5], passed=index % 3 != 2, measured_at=at(1 + index))
    until = at(7)

    before = criterion_statuses(criteria=criteria, until=until)
    everything = criterion_statuses(criteria=criteria, until=at(20))
    now = criterion_statuses(criteria=criteria)

    for criterion in criteria:
        readings = Measurement.objects.filter(criterion=criterion, measured_at__lt=until)
        expected = evaluate(criterion, [m.value if m.passed is None else m.passed
                                        for m in readings.order_by("measured_at")])
        assert (before[criterion.pk].result, before[criterion.pk].status) == expected, \
            criterion.title
        assert before[criterion.pk].count == 6
        assert (everything[criterion.pk].result, everything[criterion.pk].status) == (
            now[criterion.pk].result, now[criterion.pk].status), criterion.title


def test_the_report_costs_the_same_queries_whatever_the_data(poc, engineer, week,
                                                               django_assert_max_num_queries):
    def count_queries() -> list[int]:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        counts = []
        for monday in (MONDAY, march(2)):
            with CaptureQueriesContext(connection) as captured:
                weekly_report(poc=poc, week_start=monday)
            counts.append(len(captured))
        return counts

    queries = count_queries()
    throughput = week["criteria"][0]
    for day in range(9, 12):
        make_measurement(throughput, value="125", measured_at=at(day, 7))
        make_meeting(poc, date=march(day), decisions="One more\nAnd another")
        make_action_item(poc, text=f"Item {day}", owner=engineer, due_on=march(day))
        make_log_entry(poc, kind="risk", title=f"Risk {day}", status="open", occurred_at=at(day))
        make_log_entry(poc, kind="key_event", key_event="other", title=f"Event {day}",
                       occurred_at=at(day), witnessed_by=week["witness"])
        make_milestone(poc, due_date=march(day + 7), sequence=day)
        make_criterion(poc, title=f"Criterion {day}", aggregation="p95")

    assert count_queries() == queries
    with django_assert_max_num_queries(24):
        weekly_report(poc=poc, week_start=MONDAY)


# --- the PDF --------------------------------------------------------------------------------

def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_pdf_shows_the_criteria_and_their_status(poc, engineer, week):
    document = render_document(actor=engineer, poc=poc, kind="weekly", fmt="pdf",
                               week=march(13))

    assert document.filename == f"POC-{poc.pk}-weekly-2026-03-09.pdf"
    assert document.content_type == "application/pdf"
    text = squeeze(pdf_text(document.content))
    for expected in ("Weekly status report", "Week 11 of 2026", "March 9, 2026 to March 15, 2026",
                     "Throughput", "Passing", "was Failing", "Alarm delivery", "Pass",
                     "Colour temperature", "No data", "126.7 t/h", "Installation complete",
                     "Extend the test to line 3", "Use the night-shift data",
                     "First run on line 2", "witnessed by Wei Witness",
                     "Dust may clog the sensor", "Weekly cleaning",
                     "Send the calibration sheet", "Overdue", "Checkpoint 2",
                     "Confirm the data can stay on site.", "16 of 30 days elapsed"):
        assert squeeze(expected) in text, expected
    for absent in ("An older decision", "Not decided yet", "Sign the NDA", "Delivery on site",
                   "Still pending."):
        assert squeeze(absent) not in text, absent


def test_the_pdf_of_a_chinese_poc_is_in_chinese(team, engineer, opportunity, clock):
    from tests.factories import POCFactory

    poc = POCFactory(opportunity=opportunity, owner=engineer, title="江西铜业破碎机试点",
                     language="zh-hans")
    make_week(poc, engineer=engineer, title_language="zh-hans")

    document = render_document(actor=engineer, poc=poc, kind="weekly", fmt="pdf")

    text = squeeze(pdf_text(document.content))
    for expected in ("江西铜业破碎机试点", "破碎机处理能力", "远程监控告警", "色温",
                     "成功标准", "2026年3月9日", "必达项"):
        assert expected in text, expected


def test_the_pdf_is_for_people_who_see_the_poc(poc, week, outsider):
    with pytest.raises(PermissionDenied):
        render_document(actor=outsider, poc=poc, kind="weekly", fmt="pdf")


def test_the_weekly_report_is_a_pdf_only_and_needs_a_date(poc, engineer, week):
    with pytest.raises(ValidationFailed) as docx:
        render_document(actor=engineer, poc=poc, kind="weekly", fmt="docx")
    with pytest.raises(ValidationFailed) as bad_week:
        render_document(actor=engineer, poc=poc, kind="weekly", fmt="pdf", week="next Monday")

    assert list(docx.value.fields) == ["format"]
    assert list(bad_week.value.fields) == ["week"]


# --- sending it -----------------------------------------------------------------------------

def test_the_report_is_e_mailed_to_each_chosen_person(poc, engineer, manager, week):
    sponsor, witness = week["sponsor"], week["witness"]

    recipients = weekly_report_send(actor=engineer, poc=poc, week_start=march(10),
                                    recipient_ids=[sponsor.pk, str(witness.pk)],
                                    member_ids=[manager.pk],
                                    message="Good progress: see the first run.")

    assert [(r.name, r.email, r.side) for r in recipients] == [
        ("Dana Sponsor", "dana@customer.example", "customer"),
        ("Wei Witness", "wei@customer.example", "customer"),
        ("Manager", "manager@example.com", "vendor")]
    assert [message.to for message in mail.outbox] == [
        ["Dana Sponsor <dana@customer.example>"], ["Wei Witness <wei@customer.example>"],
        ["Manager <manager@example.com>"]]
    message = mail.outbox[0]
    assert message.subject == ("Weekly status report · Luminaires on the BMS · "
                               "March 9, 2026 to March 15, 2026")
    assert message.reply_to == ["engineer@example.com"]
    assert message.attachments == [(f"POC-{poc.pk}-weekly-2026-03-09.pdf",
                                     message.attachments[0][1], "application/pdf")]
    assert message.attachments[0][1].startswith(b"%PDF")
    assert "Good progress: see the first run." in message.body
    assert "- Throughput [Passing, was Failing] Target: ≥ 120 t/h" in message.body
    assert "Extend the test to line 3" in message.body
    assert "An older decision" not in message.body
    html, content_type = message.alternatives[0]
    assert content_type == "text/html"
    assert "Throughput" in html and "Good progress: see the first run." in html
    event = Event.objects.get(verb="weekly_report.sent")
    assert (event.poc_id, event.actor_id, event.data["week"]) == (poc.pk, engineer.pk,
                                                                  "2026-03-09")
    assert [r["email"] for r in event.data["recipients"]] == [
        "dana@customer.example", "wei@customer.example", "manager@example.com"]
    assert describe_event(event) == ("Weekly report of the week of March 9, 2026 sent to "
                                     "Dana Sponsor, Wei Witness, Manager")


def test_user_text_stays_text_in_the_e_mail(poc, engineer, week):
    weekly_report_send(actor=engineer, poc=poc, week_start=MONDAY,
                       recipient_ids=[week["sponsor"].pk], message="<b>Bold</b> & more")

    message = mail.outbox[0]
    assert "<b>Bold</b> & more" in message.body
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; more" in message.alternatives[0][0]


def test_each_refused_recipient_is_named_under_its_field(poc, engineer, week, opportunity,
                                                         outsider):
    from tests.factories import OpportunityFactory, POCFactory

    no_address = make_customer(poc, name="Nobody Mail", email="")
    vendor_side = make_customer(poc, name="Our Reseller", side="vendor", email="r@x.example")
    other_poc = POCFactory(opportunity=OpportunityFactory(account=opportunity.account))
    other_deal = make_customer(other_poc, name="Other Deal", email="o@x.example")

    cases = [
        ({}, {"recipient_ids": ["Choose at least one recipient."]}),
        ({"recipient_ids": [no_address.pk]}, {"recipient_ids": [
            "Nobody Mail has no e-mail address: add one to their stakeholder record first."]}),
        ({"recipient_ids": [other_deal.pk, vendor_side.pk, "x"]}, {"recipient_ids": [
            "Choose a customer stakeholder of this deal."]}),
        ({"member_ids": [outsider.pk]}, {"member_ids": ["Choose a member of the POC's team."]}),
        ({"recipient_ids": [week["sponsor"].pk], "message": "x" * 2001},
         {"message": ["Keep the message to 2000 characters at most."]}),
    ]
    for arguments, errors in cases:
        with pytest.raises(ValidationFailed) as refusal:
            weekly_report_send(actor=engineer, poc=poc, week_start=MONDAY, **arguments)
        assert refusal.value.fields == errors, arguments

    assert mail.outbox == []
    assert not Event.objects.filter(verb="weekly_report.sent").exists()


def test_a_week_outside_the_poc_is_not_sent(poc, engineer, week):
    with pytest.raises(ValidationFailed) as refusal:
        weekly_report_send(actor=engineer, poc=poc, week_start=march(16),
                           recipient_ids=[week["sponsor"].pk])

    assert list(refusal.value.fields) == ["week"]
    assert mail.outbox == []


@pytest.mark.parametrize("actor_name", ["anonymous", "outsider"])
def test_only_the_team_sends_the_report(poc, week, actors, actor_name):
    with pytest.raises(PermissionDenied):
        weekly_report_send(actor=actors[actor_name], poc=poc, week_start=MONDAY,
                           recipient_ids=[week["sponsor"].pk])

    assert mail.outbox == []
    assert not Event.objects.filter(verb="weekly_report.sent").exists()


def test_anyone_working_the_deal_may_send_it(poc, week, sales):
    weekly_report_send(actor=sales, poc=poc, week_start=MONDAY,
                       recipient_ids=[week["sponsor"].pk])

    assert [message.to for message in mail.outbox] == [["Dana Sponsor <dana@customer.example>"]]
    assert Event.objects.get(verb="weekly_report.sent").actor == sales


def test_a_refused_mail_server_records_nothing(poc, engineer, week, settings):
    settings.EMAIL_BACKEND = "tests.reports.test_weekly.RefusingBackend"

    with pytest.raises(Exception) as refusal:
        weekly_report_send(actor=engineer, poc=poc, week_start=MONDAY,
                           recipient_ids=[week["sponsor"].pk])

    assert refusal.value.code == "email_not_sent"
    assert refusal.value.status == 503
    assert not Event.objects.filter(verb="weekly_report.sent").exists()


class RefusingBackend:
    def __init__(self, *args, **kwargs) -> None:
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("no mail server")


def test_done_items_and_events_keep_their_week(poc, engineer, week):
    """Records move between weeks by their dates, not by when they were written."""
    ActionItem.objects.filter(pk=week["actions"]["next"].pk).update(status="done",
                                                                     done_on=march(16))
    LogEntry.objects.filter(pk=week["log"]["issue"].pk).update(occurred_at=at(8))

    report = weekly_report(poc=poc, week_start=MONDAY)

    assert [row["text"] for row in report["action_items"]["open"]] == [
        "Send the calibration sheet", "Open the line 3 access"]
    assert report["issues"]["opened"] == []
    assert timezone.localdate() == march(11)


# --- the API ----------------------------------------------------------------------------------

def test_the_api_downloads_the_weekly_report(poc, engineer, outsider, week):
    from django.test import Client

    from pocdesk.people.services import api_token_create

    keys = {user: api_token_create(actor=user, user=user, name="tests")[1]
            for user in (engineer, outsider)}

    def get(user, **params):
        return Client().get(f"/api/v1/pocs/{poc.pk}/report", params,
                            headers={"Authorization": f"Bearer {keys[user]}"})

    pdf = get(engineer, kind="weekly", week="2026-03-04")
    current = get(engineer, kind="weekly")
    outside = get(engineer, kind="weekly", week="2026-03-16")
    docx = get(engineer, kind="weekly", format="docx")
    foreign = get(outsider, kind="weekly")

    assert pdf.status_code == 200, pdf.content[:300]
    assert pdf["Content-Disposition"] == (
        f'attachment; filename="POC-{poc.pk}-weekly-2026-03-02.pdf"')
    assert pdf.content.startswith(b"%PDF-")
    assert current["Content-Disposition"].endswith('weekly-2026-03-09.pdf"')
    assert (outside.status_code, list(outside.json()["details"]["fields"])) == (422, ["week"])
    assert (docx.status_code, list(docx.json()["details"]["fields"])) == (422, ["format"])
    assert foreign.status_code == 404



@pytest.mark.usefixtures("clock")
def test_a_timebox_past_its_end_says_when_it_ended(poc):
    from pocdesk.reports.weekly_display import weekly_display

    POC.objects.filter(pk=poc.pk).update(status="evaluating", start_date=march(1) - datetime.
                                         timedelta(days=30), end_date=march(1))
    poc.refresh_from_db()

    shown = weekly_display(weekly_report(poc=poc, week_start=MONDAY))

    assert shown["timebox_text"] == "The 30-day timebox ended on March 1, 2026"
