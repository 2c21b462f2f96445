"""The execution log (§8.2): observations, issues and technical risks with a severity and a
status, key events witnessed by a customer stakeholder of the deal, attachments."""

import datetime

import pytest
import time_machine

from pocdesk.core.errors import ApplicationError, PermissionDenied, ValidationFailed
from pocdesk.core.events import describe_event
from pocdesk.core.models import Event
from pocdesk.execution.models import LogEntry
from pocdesk.execution.services import log_entry_create, log_entry_update, log_entry_witness
from pocdesk.pocs.models import POC
from pocdesk.stakeholders.models import Stakeholder

from ..factories import (
    OpportunityFactory,
    POCFactory,
    make_customer,
    make_log_entry,
    make_milestone,
)
from .conftest import upload

NOW = datetime.datetime(2026, 3, 25, 12, tzinfo=datetime.UTC)
EARLIER = NOW - datetime.timedelta(hours=3)


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(NOW, tick=False):
        yield


def write(poc, actor, kind="observation", title="Dust level high near the feeder.", **extra):
    return log_entry_create(actor=actor, poc=poc, kind=kind, title=title, **extra)


def test_an_observation_is_dated_now_by_default(running_poc, engineer):
    entry = write(running_poc, engineer, body=" Visible on camera 3. ")

    assert (entry.kind, entry.title, entry.body) == (
        "observation", "Dust level high near the feeder.", "Visible on camera 3.")
    assert (entry.occurred_at, entry.recorded_by, entry.status, entry.severity) == (
        NOW, engineer, "", "")
    event = Event.objects.get()
    assert (event.verb, event.data["kind"]) == ("log.recorded", "observation")
    assert describe_event(event) == (
        "Observation recorded in the log: Dust level high near the feeder.")


def test_an_issue_or_a_risk_is_open_until_resolved(running_poc, engineer):
    issue = write(running_poc, engineer, kind="issue", title="Feeder jams", severity="medium")
    risk = write(running_poc, engineer, kind="risk", severity="high",
                 title="IT needs three people trained before go-live",
                 mitigation="Book the training in week 2.", occurred_at=EARLIER)

    assert (issue.status, issue.severity) == ("open", "medium")
    assert (risk.status, risk.severity, risk.mitigation, risk.occurred_at) == (
        "open", "high", "Book the training in week 2.", EARLIER)

    log_entry_update(actor=engineer, entry=issue, status="resolved")
    issue.refresh_from_db()
    assert issue.status == "resolved"
    changed = Event.objects.get(verb="log.changed")
    assert changed.data == {"changes": {"status": ["open", "resolved"]}}
    assert describe_event(changed) == "Log entry “Feeder jams” changed: status"


@pytest.mark.parametrize(("extra", "errors"), [
    ({"kind": "key_event"}, {"key_event": ["Say which key event this is."]}),
    ({"kind": "key_event", "key_event": "launch"},
     {"key_event": ["Choose one of: Installation complete, First run, Target reached, "
                    "Other."]}),
    ({"key_event": "first_run"}, {"key_event": ["Only a key event says which key event it "
                                                "is."]}),
    ({"severity": "high", "status": "open", "mitigation": "Clean it"}, {
        name: ["Only issues and technical risks have a severity, a status and a mitigation."]
        for name in ("severity", "status", "mitigation")}),
    ({"kind": "risk", "severity": "extreme"},
     {"severity": ["Choose one of: Low, Medium, High."]}),
    ({"kind": "note"}, {"kind": ["Choose observation, issue, technical risk or key event."]}),
    ({"title": "  "}, {"title": ["Give the entry a title."]}),
    ({"title": "x" * 201}, {"title": ["At most 200 characters."]}),
    ({"occurred_at": NOW + datetime.timedelta(minutes=6)},
     {"occurred_at": ["This time is in the future."]}),
])
def test_what_each_kind_of_entry_may_say(running_poc, engineer, extra, errors):
    with pytest.raises(ValidationFailed) as refused:
        write(running_poc, engineer, **extra)

    assert refused.value.fields == errors
    assert not LogEntry.objects.exists()
    assert not Event.objects.exists()


def test_a_key_event_is_witnessed_by_a_customer_of_the_deal(running_poc, engineer, customer):
    milestone = make_milestone(running_poc, kind="first_run")

    entry = write(running_poc, engineer, kind="key_event", key_event="first_run",
                  title="First run at full load", milestone=milestone.pk,
                  occurred_at=EARLIER, witnessed_by=customer.pk)

    assert (entry.key_event, entry.milestone, entry.witnessed_by, entry.witnessed_at) == (
        "first_run", milestone, customer, NOW)
    witnessed = Event.objects.get(verb="log.witnessed")
    assert describe_event(witnessed) == (
        "“First run at full load” witnessed by Sandrine Faure (Plant manager)")


def test_a_milestone_and_a_witness_must_belong_to_the_poc_and_its_deal(running_poc, engineer,
                                                                       customer):
    other = POCFactory(opportunity=OpportunityFactory(account=running_poc.opportunity.account))
    foreign_milestone = make_milestone(other)
    vendor = make_customer(running_poc, name="Our own engineer", side="vendor")
    other_deal = Stakeholder.objects.create(team=other.team, account=other.opportunity.account,
                                            opportunity=other.opportunity, name="Elsewhere",
                                            side="customer", role="user")

    for witness in (vendor, other_deal, "abc"):
        with pytest.raises(ValidationFailed) as refused:
            write(running_poc, engineer, kind="key_event", key_event="other",
                  milestone=foreign_milestone, witnessed_by=witness)
        assert refused.value.fields == {
            "milestone": ["Choose a milestone of this POC."],
            "witnessed_by": ["Choose a customer stakeholder of this deal."]}
    assert not LogEntry.objects.exists()


@pytest.mark.parametrize(("extra", "errors"), [
    ({"witnessed_at": EARLIER}, {"witnessed_by": ["Say who witnessed it."]}),
    ({"witnessed_by": "customer", "witnessed_at": NOW + datetime.timedelta(hours=1)},
     {"witnessed_at": ["This time is in the future."]}),
    ({"witnessed_by": "customer", "occurred_at": EARLIER,
      "witnessed_at": EARLIER - datetime.timedelta(minutes=1)},
     {"witnessed_at": ["It cannot be witnessed before it happened."]}),
])
def test_when_it_was_witnessed(running_poc, engineer, customer, extra, errors):
    if extra.get("witnessed_by") == "customer":
        extra["witnessed_by"] = customer

    with pytest.raises(ValidationFailed) as refused:
        write(running_poc, engineer, kind="key_event", key_event="other", **extra)

    assert refused.value.fields == errors


def test_an_entry_is_witnessed_afterwards(running_poc, engineer, customer, outsider):
    entry = write(running_poc, engineer, kind="key_event", key_event="installation_complete",
                  title="Installed", occurred_at=EARLIER)

    with pytest.raises(PermissionDenied):
        log_entry_witness(actor=outsider, entry=entry, witnessed_by=customer)
    with pytest.raises(ValidationFailed) as refused:
        log_entry_witness(actor=engineer, entry=entry, witnessed_by=None)
    assert refused.value.fields == {"witnessed_by": ["Say who witnessed it."]}
    log_entry_witness(actor=engineer, entry=entry, witnessed_by=customer.pk,
                      witnessed_at=EARLIER + datetime.timedelta(minutes=30))

    entry.refresh_from_db()
    assert (entry.witnessed_by, entry.witnessed_at) == (
        customer, EARLIER + datetime.timedelta(minutes=30))
    assert Event.objects.filter(verb="log.witnessed").count() == 1


def test_changing_the_kind_drops_what_no_longer_applies(running_poc, engineer):
    risk = write(running_poc, engineer, kind="risk", severity="low", mitigation="Watch it.")

    log_entry_update(actor=engineer, entry=risk, kind="observation")

    risk.refresh_from_db()
    assert (risk.kind, risk.severity, risk.status, risk.mitigation) == (
        "observation", "", "", "")

    log_entry_update(actor=engineer, entry=risk, kind="issue")
    risk.refresh_from_db()
    assert (risk.kind, risk.status) == ("issue", "open")


def test_an_unknown_change_is_refused(running_poc, engineer):
    entry = make_log_entry(running_poc, recorded_by=engineer)

    with pytest.raises(ValidationFailed) as refused:
        log_entry_update(actor=engineer, entry=entry, title="New", poc=None)

    assert refused.value.fields == {"poc": ["This field cannot be changed here."]}
    entry.refresh_from_db()
    assert entry.title == "Dust level high near the feeder."


def test_attachments_are_stored_as_evidence(running_poc, engineer):
    entry = write(running_poc, engineer, kind="issue", title="Crack in the liner",
                  evidence_files=[upload("liner.png")])
    log_entry_update(actor=engineer, entry=entry, evidence_files=[upload("closer.png")])

    names = sorted(e.file.original_name for e in entry.evidence.all())
    assert names == ["closer.png", "liner.png"]
    log_entry_update(actor=engineer, entry=entry, evidence_ids=[])
    assert not entry.evidence.exists()


def test_the_log_is_written_only_while_the_poc_runs(running_poc, engineer):
    POC.objects.filter(pk=running_poc.pk).update(status="qualified")

    with pytest.raises(ApplicationError) as refused:
        write(running_poc, engineer)

    assert (refused.value.code, refused.value.status) == ("not_running", 409)


@pytest.mark.parametrize("who", ["anonymous", "outsider"])
def test_who_may_not_write_the_log(running_poc, actors, who):
    entry = make_log_entry(running_poc)

    with pytest.raises(PermissionDenied):
        write(running_poc, actors[who])
    with pytest.raises(PermissionDenied):
        log_entry_update(actor=actors[who], entry=entry, title="Changed")

    assert LogEntry.objects.get().title == "Dust level high near the feeder."
