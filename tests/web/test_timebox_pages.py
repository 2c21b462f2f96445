"""The timebox page (§6): milestone plan, extensions, exit clause; the POC page's card; the POC
form's timebox fields and the agreement's approval of a longer timebox."""

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pocdesk.agreements.models import Agreement
from pocdesk.core.models import Event
from pocdesk.pocs.models import POC
from pocdesk.stakeholders.models import Stakeholder
from pocdesk.timebox.models import (
    ExitDecision,
    Extension,
    Milestone,
    TimeboxPolicy,
)
from pocdesk.timebox.services import milestone_plan_save

from ..factories import POCFactory, make_agreement

UTC = datetime.UTC
TODAY = datetime.date(2026, 2, 10)
START, END = datetime.date(2026, 1, 5), datetime.date(2026, 4, 5)  # 90 days
# A 1×1 transparent PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6364f8cf500f0002870180eb47ba920000000049454e44ae426082")

# The §6 proposal for 5 Jan → 5 Apr 2026 with a checkpoint every 14 days, by hand: kickoff on
# day 0, resources at 10 % (day 9), installation 20 % (18), first run 25 % (22.5 → 23), the
# mid-point review 50 % (45), target 85 % (76.5 → 77), final review on day 90, checkpoints on
# days 14, 28, 42, 56, 70 and 84.
PROPOSAL = [
    ("kickoff", 0, "2026-01-05", False, False),
    ("resources_ready", 0, "2026-01-14", True, False),
    ("checkpoint", 1, "2026-01-19", False, False),
    ("installation", 0, "2026-01-23", False, True),
    ("first_run", 0, "2026-01-28", False, True),
    ("checkpoint", 2, "2026-02-02", False, False),
    ("checkpoint", 3, "2026-02-16", False, False),
    ("midpoint_review", 0, "2026-02-19", True, False),
    ("checkpoint", 4, "2026-03-02", False, False),
    ("checkpoint", 5, "2026-03-16", False, False),
    ("target_reached", 0, "2026-03-23", False, True),
    ("checkpoint", 6, "2026-03-30", False, False),
    ("final_review", 0, "2026-04-05", False, False),
]


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime.datetime(2026, 2, 10, 9, 0, tzinfo=UTC), tick=False):
        yield TODAY


@pytest.fixture
def sponsor(poc):
    return Stakeholder.objects.create(
        team=poc.team, account=poc.opportunity.account, opportunity=poc.opportunity,
        name="Dana Sponsor", title="COO", side="customer", role="executive_sponsor")


@pytest.fixture
def running(poc):
    POC.objects.filter(pk=poc.pk).update(status="running", start_date=START, end_date=END)
    poc.refresh_from_db()
    return poc


def _timebox(client, poc, **params):
    return client.get(reverse("web:poc_timebox", args=[poc.pk]), params)


def _section(page: str, testid: str) -> str:
    start = page.index(f'data-testid="{testid}"')
    end = page.find("</section>", start)
    return page[start:end if end != -1 else None]


def _plan(poc, owner, sponsor, rows=PROPOSAL):
    return milestone_plan_save(actor=owner, poc=poc, rows=[
        {"kind": kind, "sequence": sequence, "due_date": datetime.date.fromisoformat(due),
         "owner": None if customer else owner, "customer_owner": sponsor if customer else None,
         "customer_witness": witness}
        for kind, sequence, due, customer, witness in rows])


def _editor_post(rows, *, mode="plan"):
    """The editor's POST: `rows` as initial forms, then the spare blank row."""
    data = {"milestones-TOTAL_FORMS": str(len(rows) + 1),
            "milestones-INITIAL_FORMS": str(len(rows)),
            "milestones-MIN_NUM_FORMS": "0", "milestones-MAX_NUM_FORMS": "200", "mode": mode,
            f"milestones-{len(rows)}-kind": "other"}
    for index, row in enumerate(rows):
        for name, value in row.items():
            if value is None or value is False:
                continue
            data[f"milestones-{index}-{name}"] = "on" if value is True else str(value)
    return data


def _selected(html: str, field: str) -> list[str]:
    """The chosen value of each row's `field` select, in row order ("" for none)."""
    values = []
    for options in re.findall(rf'<select name="milestones-\d+-{field}"[^>]*>(.*?)</select>', html,
                              re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', options)
        values.append(chosen.group(1) if chosen else "")
    return values


def _proposal_rows(engineer, sponsor):
    return [{"kind": kind, "sequence": sequence or None, "due_date": due,
             "owner": None if customer else engineer.pk,
             "customer_owner": sponsor.pk if customer else None,
             "customer_witness": witness}
            for kind, sequence, due, customer, witness in PROPOSAL]


# --- who sees what ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["engineer", "sales", "manager", "admin"])
def test_the_timebox_page_renders_for_each_role_of_the_team(client, actors, running, role):
    client.force_login(actors[role])

    response = _timebox(client, running)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Timebox and milestones" in page
    assert 'data-testid="milestones-empty"' in page
    assert 'data-testid="timebox-timeline"' in page


def test_anonymous_users_are_sent_to_log_in(client, running):
    response = _timebox(client, running)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_an_outsider_gets_404_everywhere_and_changes_nothing(client, outsider, engineer, running,
                                                            sponsor):
    milestone = _plan(running, engineer, sponsor)[0]
    extension = Extension.objects.create(poc=running, reason="Late delivery", previous_end=END,
                                         requested_end=END + datetime.timedelta(days=7), days=7,
                                         requested_by=engineer)
    client.force_login(outsider)
    pk = running.pk
    requests = [
        ("get", reverse("web:poc_timebox", args=[pk]), {}),
        ("get", reverse("web:milestone_plan", args=[pk]), {}),
        ("get", reverse("web:milestone_plan_propose", args=[pk]), {}),
        ("post", reverse("web:milestone_plan", args=[pk]), _editor_post([])),
        ("post", reverse("web:milestone_done", args=[pk, milestone.key]),
         {f"done-{milestone.pk}-completed_on": "2026-01-05"}),
        ("post", reverse("web:milestone_status", args=[pk, milestone.key]), {"status": "skipped"}),
        ("post", reverse("web:extension_request", args=[pk]),
         {"extension-requested_end": "2026-05-01", "extension-reason": "x"}),
        ("post", reverse("web:extension_decide", args=[pk, extension.pk]),
         {f"decide-{extension.pk}-decision": "approve"}),
        ("post", reverse("web:exit_decision", args=[pk]),
         {"exit-decision": "stop", "exit-note": "x"}),
    ]

    for method, url, data in requests:
        assert getattr(client, method)(url, data).status_code == 404, url

    assert Milestone.objects.filter(poc=running).count() == 13
    assert Milestone.objects.filter(status="planned").count() == 13
    extension.refresh_from_db()
    assert extension.status == "requested"
    assert ExitDecision.objects.count() == 0


def test_the_poc_page_links_to_the_timebox_from_its_card(client, engineer, running):
    client.force_login(engineer)

    page = client.get(reverse("web:poc_detail", args=[running.pk])).content.decode()

    card = _section(page, "timebox-card")
    assert f'href="/pocs/{running.pk}/timebox/"' in card
    assert "No drift" in card
    assert "No milestone plan yet: propose one" in card


# --- the milestone plan ----------------------------------------------------------------------


def test_the_proposal_is_shown_in_the_editor_and_not_saved(client, engineer, running, sponsor):
    client.force_login(engineer)

    response = client.get(reverse("web:milestone_plan_propose", args=[running.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    editor = _section(page, "milestone-editor")
    due_dates = re.findall(r'name="milestones-\d+-due_date" value="([\d-]+)"', editor)
    assert due_dates == [due for _kind, _seq, due, _customer, _witness in PROPOSAL]
    assert 'name="milestones-INITIAL_FORMS" value="13"' in editor
    # Vendor milestones go to the POC's owner, the customer's to the executive sponsor.
    # (then the spare row, empty)
    assert _selected(editor, "owner") == [
        "" if customer else str(engineer.pk) for _k, _s, _d, customer, _w in PROPOSAL] + [""]
    assert _selected(editor, "customer_owner") == [
        str(sponsor.pk) if customer else "" for _k, _s, _d, customer, _w in PROPOSAL] + [""]
    witnessed = re.findall(r'name="milestones-(\d+)-customer_witness"[^>]*checked', editor)
    assert witnessed == ["3", "4", "10"]  # installation, first run, target reached
    assert 'placeholder="Checkpoint 6"' in editor
    assert Milestone.objects.count() == 0


def test_the_proposal_comes_alone_for_htmx(client, engineer, running, sponsor):
    client.force_login(engineer)

    response = client.get(reverse("web:milestone_plan_propose", args=[running.pk]),
                          HTTP_HX_REQUEST="true")

    page = response.content.decode()
    assert page.lstrip().startswith('<section class="card shadow-sm mb-3" id="milestones"')
    assert "<html" not in page
    assert page.count('data-testid="milestone-row"') == 15  # 13, the spare row, the template


def test_the_edited_proposal_is_saved_with_its_changes(client, engineer, running, sponsor):
    client.force_login(engineer)
    rows = _proposal_rows(engineer, sponsor)
    rows[3]["due_date"] = "2026-01-26"         # installation three days later
    rows[4]["customer_witness"] = False        # the first run without the customer
    rows[11]["DELETE"] = True                  # no sixth checkpoint
    rows[0]["title"] = "Kickoff on site"
    data = _editor_post(rows, mode="proposal")
    data["milestones-13-title"] = "Training of the operators"  # a milestone added by hand
    data["milestones-13-due_date"] = "2026-02-24"
    data["milestones-13-owner"] = str(engineer.pk)

    response = client.post(reverse("web:milestone_plan", args=[running.pk]), data)

    assert response.status_code == 302
    assert response["Location"] == f"/pocs/{running.pk}/timebox/#milestones"
    saved = list(Milestone.objects.filter(poc=running).order_by("due_date", "id"))
    assert [(m.kind, m.due_date.isoformat(), m.customer_witness) for m in saved] == [
        ("kickoff", "2026-01-05", False), ("resources_ready", "2026-01-14", False),
        ("checkpoint", "2026-01-19", False), ("installation", "2026-01-26", True),
        ("first_run", "2026-01-28", False), ("checkpoint", "2026-02-02", False),
        ("checkpoint", "2026-02-16", False), ("midpoint_review", "2026-02-19", False),
        ("other", "2026-02-24", False), ("checkpoint", "2026-03-02", False),
        ("checkpoint", "2026-03-16", False), ("target_reached", "2026-03-23", True),
        ("final_review", "2026-04-05", False)]
    assert saved[0].label == "Kickoff on site"
    assert saved[8].label == "Training of the operators"
    assert saved[10].label == "Checkpoint 5"
    assert all(m.planned_date == m.due_date for m in saved)
    assert saved[1].customer_owner == sponsor and saved[1].owner is None
    assert saved[3].owner == engineer
    assert Event.objects.filter(verb="milestones.planned", poc=running).count() == 1


def test_the_plan_is_edited_with_its_keys_kept_and_shows_the_slip(client, engineer, running,
                                                                   sponsor):
    first_plan = _plan(running, engineer, sponsor)
    client.force_login(engineer)
    editor = client.get(reverse("web:milestone_plan", args=[running.pk])).content.decode()
    keys = re.findall(r'name="milestones-\d+-key" value="([0-9a-f-]+)"', editor)
    assert keys == [str(m.key) for m in first_plan]
    rows = _proposal_rows(engineer, sponsor)
    for row, key in zip(rows, keys, strict=True):
        row["key"] = key
    rows[6]["due_date"] = "2026-02-19"  # the third checkpoint moves three days

    response = client.post(reverse("web:milestone_plan", args=[running.pk]), _editor_post(rows))

    assert response.status_code == 302
    moved = Milestone.objects.get(key=keys[6])
    assert (moved.planned_date, moved.due_date) == (datetime.date(2026, 2, 16),
                                                    datetime.date(2026, 2, 19))
    assert Milestone.objects.filter(poc=running).count() == 13
    page = _timebox(client, running).content.decode()
    item = page[page.index(f'id="milestone-{keys[6]}"'):]
    item = item[:item.index("</li>")]
    assert "planned 02/16/2026 (+3 d)" in item
    assert "Due 02/19/2026" in item


def test_plan_errors_are_shown_under_their_row_and_nothing_changes(client, engineer, running,
                                                                    sponsor):
    plan = _plan(running, engineer, sponsor)
    Milestone.objects.filter(pk=plan[0].pk).update(status="done", completed_on=START)
    client.force_login(engineer)
    rows = _proposal_rows(engineer, sponsor)[1:]  # the done kickoff is left out
    for row, milestone in zip(rows, plan[1:], strict=True):
        row["key"] = str(milestone.key)
    rows[2]["due_date"] = ""  # the installation without a date

    response = client.post(reverse("web:milestone_plan", args=[running.pk]), _editor_post(rows))

    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="milestone-editor-errors"' in page
    assert re.search(r'name="milestones-2-due_date"[^>]*is-invalid', page) or \
        re.search(r'is-invalid[^>]*name="milestones-2-due_date"', page)
    # The form is fixed: the service then refuses to drop the done kickoff.
    rows[2]["due_date"] = "2026-01-23"
    response = client.post(reverse("web:milestone_plan", args=[running.pk]), _editor_post(rows))
    assert response.status_code == 400
    assert "A done milestone cannot be removed from the plan: Kickoff." in \
        response.content.decode()
    assert Milestone.objects.filter(poc=running).count() == 13


def test_a_milestone_owned_by_somebody_outside_the_team_is_refused(client, engineer, outsider,
                                                                   running, sponsor):
    client.force_login(engineer)
    rows = _proposal_rows(engineer, sponsor)
    rows[0]["owner"] = outsider.pk

    response = client.post(reverse("web:milestone_plan", args=[running.pk]), _editor_post(rows))

    assert response.status_code == 400
    assert Milestone.objects.count() == 0


def test_a_milestone_is_marked_done_with_its_witness_and_evidence(client, engineer, running,
                                                                  sponsor):
    installation = _plan(running, engineer, sponsor)[3]
    client.force_login(engineer)
    prefix = f"done-{installation.pk}"

    response = client.post(reverse("web:milestone_done", args=[running.pk, installation.key]), {
        f"{prefix}-completed_on": "2026-01-27", f"{prefix}-witnessed_by": str(sponsor.pk),
        f"{prefix}-evidence_note": "Commissioning report signed on site",
        f"{prefix}-evidence_file": SimpleUploadedFile("commissioning.png", PNG,
                                                      content_type="image/png")})

    assert response.status_code == 302
    assert response["Location"] == f"/pocs/{running.pk}/timebox/#milestone-{installation.key}"
    installation.refresh_from_db()
    assert installation.status == "done"
    assert installation.completed_on == datetime.date(2026, 1, 27)
    assert installation.witnessed_by == sponsor
    assert installation.evidence_file.original_name == "commissioning.png"
    assert Event.objects.filter(verb="milestone.witnessed", poc=running).count() == 1
    page = _timebox(client, running).content.decode()
    item = page[page.index(f'id="milestone-{installation.key}"'):]
    item = item[:item.index("</li>")]
    assert 'data-state="done"' in item
    assert "Done on 01/27/2026" in item
    assert "planned 01/23/2026 (+4 d)" in item
    assert "witnessed by Dana Sponsor" in item
    assert f'href="/files/{installation.evidence_file_id}/"' in item
    assert "Commissioning report signed on site" in item


def test_a_completion_in_the_future_is_refused_under_its_field(client, engineer, running,
                                                               sponsor):
    kickoff = _plan(running, engineer, sponsor)[0]
    client.force_login(engineer)

    response = client.post(reverse("web:milestone_done", args=[running.pk, kickoff.key]),
                           {f"done-{kickoff.pk}-completed_on": "2026-02-11"})

    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_done-{kickoff.pk}-completed_on_errors"' in page
    assert "A milestone cannot be completed in the future." in page
    assert "<details class=\"tbx-done-details\" open" in page
    kickoff.refresh_from_db()
    assert kickoff.status == "planned"


def test_a_milestone_is_skipped_and_planned_again(client, engineer, running, sponsor):
    checkpoint = _plan(running, engineer, sponsor)[2]
    client.force_login(engineer)
    url = reverse("web:milestone_status", args=[running.pk, checkpoint.key])

    client.post(url, {"status": "skipped"})
    checkpoint.refresh_from_db()
    assert checkpoint.status == "skipped"
    page = _timebox(client, running).content.decode()
    assert 'data-testid="milestone-reopen"' in page

    client.post(url, {"status": "planned"})
    checkpoint.refresh_from_db()
    assert checkpoint.status == "planned"


def test_each_milestone_shows_its_health(client, engineer, running, sponsor):
    _plan(running, engineer, sponsor)
    client.force_login(engineer)

    page = _timebox(client, running).content.decode()

    healths = re.findall(r'data-testid="milestone-health">([^<]+)<', page)
    # Today is 10 February: 36, 27, 22, 18, 13 and 8 days after the first six due dates.
    assert healths[:8] == ["Stalled · 36 days late", "Stalled · 27 days late",
                           "Stalled · 22 days late", "Stalled · 18 days late",
                           "Stalled · 13 days late", "Stalled · 8 days late", "On track",
                           "On track"]
    assert "6 milestones stalled" in page


# --- extensions ------------------------------------------------------------------------------


def test_an_extension_is_requested_then_approved_by_a_manager(client, engineer, manager, running):
    client.force_login(engineer)

    response = client.post(reverse("web:extension_request", args=[running.pk]), {
        "extension-requested_end": "2026-04-19",
        "extension-reason": "The customer's line was down for two weeks"})

    assert response.status_code == 302
    extension = Extension.objects.get(poc=running)
    assert (extension.status, extension.days) == ("requested", 14)
    page = _timebox(client, running).content.decode()
    assert 'data-testid="extension-pending"' in page
    assert 'data-testid="extension-decision"' not in page  # not for an engineer
    assert 'data-testid="extension-request"' not in page   # one request at a time

    # The engineer cannot approve it: refused, nothing changed.
    refused = client.post(reverse("web:extension_decide", args=[running.pk, extension.pk]),
                          {f"decide-{extension.pk}-decision": "approve"})
    assert refused.status_code == 403
    extension.refresh_from_db()
    assert extension.status == "requested"

    client.force_login(manager)
    page = _timebox(client, running).content.decode()
    assert 'data-testid="extension-decision"' in page
    assert 'data-testid="extension-limits"' not in page
    response = client.post(reverse("web:extension_decide", args=[running.pk, extension.pk]), {
        f"decide-{extension.pk}-decision": "approve",
        f"decide-{extension.pk}-note": "Downtime on the customer's side"})

    assert response.status_code == 302
    running.refresh_from_db()
    assert running.end_date == datetime.date(2026, 4, 19)
    page = _timebox(client, running).content.decode()
    assert "1 of max 2 extensions used, total drift 14 days" in page
    assert "+14 days (1 extension)" in page


def test_a_refusal_needs_a_note(client, engineer, manager, running):
    extension = Extension.objects.create(poc=running, reason="More tests", previous_end=END,
                                         requested_end=END + datetime.timedelta(days=10),
                                         days=10, requested_by=engineer)
    client.force_login(manager)
    url = reverse("web:extension_decide", args=[running.pk, extension.pk])

    response = client.post(url, {f"decide-{extension.pk}-decision": "refuse"})

    assert response.status_code == 400
    assert "Say why the extension is refused." in response.content.decode()
    extension.refresh_from_db()
    assert extension.status == "requested"

    client.post(url, {f"decide-{extension.pk}-decision": "refuse",
                      f"decide-{extension.pk}-note": "Scope is already met"})
    extension.refresh_from_db()
    assert extension.status == "refused"
    running.refresh_from_db()
    assert running.end_date == END


def test_approving_past_the_teams_limit_needs_the_explicit_override(client, engineer, manager,
                                                                    running, team):
    TimeboxPolicy.objects.create(team=team, max_extensions=1)
    Extension.objects.create(poc=running, reason="First", previous_end=END - datetime.timedelta(7),
                             requested_end=END, days=7, requested_by=engineer,
                             status="approved", decided_by=manager)
    extension = Extension.objects.create(poc=running, reason="Second", previous_end=END,
                                         requested_end=END + datetime.timedelta(days=21),
                                         days=21, requested_by=engineer)
    client.force_login(manager)
    page = _timebox(client, running).content.decode()
    assert "limits: it would be extension 2, and the team allows 1." in \
        _section(page, "extension-limits")
    assert 'data-testid="extension-beyond-policy"' in page
    url = reverse("web:extension_decide", args=[running.pk, extension.pk])

    refused = client.post(url, {f"decide-{extension.pk}-decision": "approve",
                                f"decide-{extension.pk}-note": "Needed"})
    assert refused.status_code == 400
    assert f'id="id_decide-{extension.pk}-beyond_policy"' in refused.content.decode()
    assert "Approve beyond the limits, with a note, to extend anyway." in \
        refused.content.decode()

    response = client.post(url, {f"decide-{extension.pk}-decision": "approve",
                                 f"decide-{extension.pk}-note": "Sponsor asked the CEO",
                                 f"decide-{extension.pk}-beyond_policy": "on"})
    assert response.status_code == 302
    extension.refresh_from_db()
    assert (extension.status, extension.beyond_policy) == ("approved", True)
    page = _timebox(client, running).content.decode()
    assert 'data-testid="beyond-policy"' in page
    history = _section(page, "extension-count")
    assert "2 of max 1 extension used, total drift 28 days" in history


def test_a_second_request_while_one_is_pending_is_refused_at_the_top(client, engineer, running):
    Extension.objects.create(poc=running, reason="First", previous_end=END,
                             requested_end=END + datetime.timedelta(days=7), days=7,
                             requested_by=engineer)
    client.force_login(engineer)

    response = client.post(reverse("web:extension_request", args=[running.pk]), {
        "extension-requested_end": "2026-05-01", "extension-reason": "Again"})

    assert response.status_code == 409
    refusal = _section(response.content.decode(), "timebox-refusal")
    assert "An extension is already waiting for a manager&#x27;s decision." in refusal
    assert Extension.objects.count() == 1


def test_a_request_errors_go_under_their_fields(client, engineer, running):
    client.force_login(engineer)

    response = client.post(reverse("web:extension_request", args=[running.pk]), {
        "extension-requested_end": "2026-04-01", "extension-reason": ""})

    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_extension-reason_errors"' in page
    assert "Say why the POC needs more time." in page
    assert 'id="id_extension-requested_end_errors"' in page
    assert "The new end date must be after the current one (2026-04-05)." in page
    assert Extension.objects.count() == 0


def test_a_draft_poc_is_not_extended_but_its_dates_are_edited(client, engineer, poc):
    POC.objects.filter(pk=poc.pk).update(start_date=START, end_date=END)
    client.force_login(engineer)

    page = _timebox(client, poc).content.decode()
    assert 'data-testid="extension-request"' not in page
    assert "Extensions are requested once the POC is agreed." in page

    response = client.post(reverse("web:extension_request", args=[poc.pk]), {
        "extension-requested_end": "2026-05-01", "extension-reason": "More time"})
    assert response.status_code == 409
    assert "Only an agreed, running or paused POC is extended" in response.content.decode()


# --- the exit clause -------------------------------------------------------------------------


@pytest.fixture
def past_exit(poc, engineer):
    """A running POC whose agreed end (10 Dec 2025) passed the 30 days of the exit clause."""
    make_agreement(poc, actor=engineer)
    end = datetime.date(2025, 12, 10)
    Agreement.objects.filter(poc=poc).update(start_date=datetime.date(2025, 11, 10),
                                             end_date=end, exit_slip_days=30)
    POC.objects.filter(pk=poc.pk).update(status="running", start_date=datetime.date(2025, 11, 10),
                                         end_date=end)
    poc.refresh_from_db()
    return poc


def test_the_exit_clause_offers_the_decision_on_every_page(client, engineer, past_exit):
    client.force_login(engineer)
    urls = [reverse("web:poc_timebox", args=[past_exit.pk]),
            reverse("web:poc_plan", args=[past_exit.pk]),
            reverse("web:poc_detail", args=[past_exit.pk])]

    for url in urls:
        page = client.get(url).content.decode()
        alert = _section(page, "exit-alert")
        assert "was missed by 62 days (allowance 30 days)" in alert, url
        assert 'data-testid="exit-decision-form"' in alert, url
        assert f'action="/pocs/{past_exit.pk}/timebox/exit/"' in alert, url
    card = _section(page, "timebox-card")
    assert "Exit clause reached" in card
    assert "62 days past the deadline" in card
    assert "62 days past the end date" in card
    assert "No drift" not in card  # no extension, but certainly drifting


def test_a_sales_rep_sees_the_exit_clause_but_cannot_decide(client, sales, past_exit):
    client.force_login(sales)

    page = _timebox(client, past_exit).content.decode()
    assert 'data-testid="exit-decision-form"' not in page
    assert "A presales engineer or a manager of the team records the decision." in page

    response = client.post(reverse("web:exit_decision", args=[past_exit.pk]),
                           {"exit-decision": "stop", "exit-note": "Stop"})
    assert response.status_code == 403
    assert ExitDecision.objects.count() == 0


def test_an_exit_decision_needs_a_note_and_is_shown_once_recorded(client, engineer, past_exit):
    client.force_login(engineer)
    url = reverse("web:exit_decision", args=[past_exit.pk])

    response = client.post(url, {"exit-decision": "renegotiate"})
    assert response.status_code == 400
    assert "Write down the decision and who took it with the customer." in \
        response.content.decode()
    assert ExitDecision.objects.count() == 0

    response = client.post(url, {"exit-decision": "renegotiate",
                                  "exit-note": "New plan agreed with Dana on 9 Feb"})
    assert response.status_code == 302
    decision = ExitDecision.objects.get()
    assert (decision.decision, decision.trigger_date) == ("renegotiate",
                                                          datetime.date(2026, 1, 9))
    for name in ("web:poc_timebox", "web:poc_plan", "web:poc_detail"):
        page = client.get(reverse(name, args=[past_exit.pk])).content.decode()
        alert = _section(page, "exit-alert")
        assert 'data-decision="renegotiate"' in alert, name
        assert "Renegotiate the agreement" in alert
        assert "New plan agreed with Dana on 9 Feb" in alert
        assert 'data-testid="exit-decision-form"' not in alert


def test_extending_at_the_exit_clause_files_an_extension_request(client, engineer, past_exit):
    client.force_login(engineer)
    url = reverse("web:exit_decision", args=[past_exit.pk])

    response = client.post(url, {"exit-decision": "extend", "exit-note": "Two more weeks"})
    assert response.status_code == 400
    assert 'id="exit-requested_end"' in response.content.decode()
    assert "This field is required." in response.content.decode()

    response = client.post(url, {"exit-decision": "extend", "exit-note": "Two more weeks",
                                 "exit-requested_end": "2026-02-24"})
    assert response.status_code == 302
    extension = Extension.objects.get()
    assert (extension.status, extension.requested_end, extension.reason) == (
        "requested", datetime.date(2026, 2, 24), "Two more weeks")


def test_stopping_at_the_exit_clause_moves_the_poc_to_evaluation(client, manager, past_exit):
    client.force_login(manager)

    client.post(reverse("web:exit_decision", args=[past_exit.pk]),
                {"exit-decision": "stop", "exit-note": "Stopped with the sponsor"})

    past_exit.refresh_from_db()
    assert past_exit.status == "evaluating"
    assert ExitDecision.objects.get().decision == "stop"


def test_no_exit_decision_before_the_clause_is_reached(client, engineer, running):
    client.force_login(engineer)

    response = client.post(reverse("web:exit_decision", args=[running.pk]),
                           {"exit-decision": "stop", "exit-note": "Too early"})

    assert response.status_code == 409
    assert "The exit clause is not reached" in _section(response.content.decode(),
                                                        "timebox-refusal")


# --- the POC page's card ---------------------------------------------------------------------


def test_the_card_shows_drift_health_next_milestone_and_pending_extension(client, engineer,
                                                                         manager, running,
                                                                         sponsor):
    _plan(running, engineer, sponsor)
    Extension.objects.create(poc=running, reason="First", previous_end=END - datetime.timedelta(9),
                             requested_end=END, days=9, requested_by=engineer,
                             status="approved", decided_by=manager)
    Extension.objects.create(poc=running, reason="Second", previous_end=END,
                             requested_end=datetime.date(2026, 4, 30), days=25,
                             requested_by=engineer)
    client.force_login(engineer)

    page = client.get(reverse("web:poc_detail", args=[running.pk])).content.decode()

    card = _section(page, "timebox-card")
    assert "+9 days (1 extension)" in card
    assert "6 milestones stalled" in card
    assert "Extension to 04/30/2026 awaits a manager" in card
    # The next open milestone is the kickoff, still not done.
    assert "Next milestone:</span> Kickoff, due 01/05/2026 (36 days late)" in card
    assert "baseline end 03/27/2026" in card
    assert len(re.findall(r'class="tbx-marker tbx-m-stalled tbx-on-lane-\d"', card)) == 6


def test_the_card_warns_of_a_timebox_longer_than_the_teams_maximum(client, engineer, poc, team):
    TimeboxPolicy.objects.create(team=team, max_duration_days=60)
    POC.objects.filter(pk=poc.pk).update(start_date=START, end_date=END)
    client.force_login(engineer)

    page = client.get(reverse("web:poc_detail", args=[poc.pk])).content.decode()

    assert "90 days: longer than the team&#x27;s maximum of 60 days" in \
        _section(page, "timebox-card")


# --- the POC and agreement forms -------------------------------------------------------------


def test_a_manager_approves_a_longer_timebox_when_creating_a_poc(client, manager, opportunity):
    client.force_login(manager)
    url = reverse("web:poc_create") + f"?opportunity={opportunity.pk}"
    data = {"opportunity": opportunity.pk, "title": "Long pilot", "objective": "Prove it",
            "poc_type": "on_site_pilot", "owner": manager.pk, "language": "en",
            "start_date": "2026-03-01", "end_date": "2026-07-01",
            "planned_effort_hours": "160"}
    assert 'data-testid="approve-duration"' in client.get(url).content.decode()

    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "122 days is longer than the team&#x27;s maximum of 90 days" in \
        refused.content.decode()
    assert not POC.objects.filter(title="Long pilot").exists()

    response = client.post(url, {**data, "approve_duration": "on"})
    assert response.status_code == 302
    created = POC.objects.get(title="Long pilot")
    assert created.planned_effort_hours == Decimal("160")
    assert (created.approved_duration_days, created.duration_approved_by) == (122, manager)


def test_an_engineer_is_not_offered_the_approval(client, engineer, opportunity):
    client.force_login(engineer)

    page = client.get(reverse("web:poc_create")
                      + f"?opportunity={opportunity.pk}").content.decode()

    assert 'data-testid="approve-duration"' not in page
    assert 'name="planned_effort_hours"' in page


def test_the_dates_of_an_agreed_poc_are_locked_and_point_to_the_extension(client, engineer,
                                                                          running):
    client.force_login(engineer)
    url = reverse("web:poc_edit", args=[running.pk])
    form = client.get(url).content.decode()
    assert re.search(r'name="end_date"[^>]*readonly', form)
    assert 'data-testid="dates-locked"' in form

    response = client.post(url, {"title": running.title, "objective": running.objective,
                                 "poc_type": running.poc_type, "owner": engineer.pk,
                                 "language": "en", "start_date": "2026-01-05",
                                 "end_date": "2026-05-05", "planned_effort_hours": "80"})

    assert response.status_code == 409
    page = response.content.decode()
    assert 'id="id_end_date_errors"' in page
    assert "The timebox is agreed: request an extension to move the end date." in page
    assert f'href="/pocs/{running.pk}/timebox/#extension-request"' in \
        _section(page, "timebox-agreed")
    running.refresh_from_db()
    assert (running.end_date, running.planned_effort_hours) == (END, None)


def test_the_planned_effort_is_edited_on_an_agreed_poc(client, engineer, running):
    client.force_login(engineer)

    response = client.post(reverse("web:poc_edit", args=[running.pk]), {
        "title": running.title, "objective": running.objective, "poc_type": running.poc_type,
        "owner": engineer.pk, "language": "en", "start_date": "2026-01-05",
        "end_date": "2026-04-05", "planned_effort_hours": "80.5"})

    assert response.status_code == 302
    running.refresh_from_db()
    assert running.planned_effort_hours == Decimal("80.5")


def _agreement_post(poc, **changes):
    agreement = Agreement.objects.get(poc=poc)
    data = {name: getattr(agreement, name) or "" for name in (
        "scope_included", "scope_excluded", "checkpoint_cadence_days", "ip_ownership",
        "confidentiality", "nda_reference", "follow_on_kind", "follow_on", "exit_slip_days",
        "exit_clause", "data_handling")}
    data.update({"start_date": "2026-03-01", "end_date": "2026-03-31"})
    for prefix in ("resources", "cost_lines"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0",
                     f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "50"})
    data.update(changes)
    return data


def test_the_agreement_dates_longer_than_the_maximum_need_a_managers_approval(
        client, engineer, manager, poc):
    make_agreement(poc, actor=engineer)
    url = reverse("web:agreement_save", args=[poc.pk])
    client.force_login(engineer)
    assert 'data-testid="agreement-approve-duration"' not in client.get(
        reverse("web:poc_plan", args=[poc.pk]) + "?tab=agreement").content.decode()

    refused = client.post(url, _agreement_post(poc, end_date="2026-07-01"))
    assert refused.status_code == 400
    assert 'id="id_end_date_errors"' in refused.content.decode()
    assert "122 days is longer than the team&#x27;s maximum of 90 days" in \
        refused.content.decode()

    client.force_login(manager)
    assert 'data-testid="agreement-approve-duration"' in client.get(
        reverse("web:poc_plan", args=[poc.pk]) + "?tab=agreement").content.decode()
    response = client.post(url, _agreement_post(poc, end_date="2026-07-01",
                                                approve_duration="on"))
    assert response.status_code == 302
    assert Agreement.objects.get(poc=poc).end_date == datetime.date(2026, 7, 1)
    poc.refresh_from_db()
    assert (poc.approved_duration_days, poc.duration_approved_by) == (122, manager)


def test_the_agreement_dates_of_an_agreed_poc_point_to_the_extension(client, engineer, poc):
    make_agreement(poc, actor=engineer)
    POC.objects.filter(pk=poc.pk).update(status="running")
    client.force_login(engineer)

    response = client.post(reverse("web:agreement_save", args=[poc.pk]),
                           _agreement_post(poc, end_date="2026-04-30"))

    assert response.status_code == 409
    page = response.content.decode()
    assert 'id="id_end_date_errors"' in page
    assert f'href="/pocs/{poc.pk}/timebox/#extension-request"' in page


# --- queries ---------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _busy_poc(opportunity, engineer, manager, sponsor):
    """A running POC with 20 milestones (some done and witnessed) and 5 extensions."""
    busy = POCFactory(opportunity=opportunity, owner=engineer, status="running",
                      start_date=START, end_date=END + datetime.timedelta(days=40))
    for number in range(20):
        due = START + datetime.timedelta(days=4 * number)
        done = number < 8
        Milestone.objects.create(poc=busy, kind="checkpoint", sequence=number + 1, due_date=due,
                                 planned_date=due - datetime.timedelta(days=number % 3),
                                 owner=engineer, customer_owner=sponsor,
                                 customer_witness=number % 2 == 0,
                                 status="done" if done else "planned",
                                 completed_on=due if done else None,
                                 witnessed_by=sponsor if done and number % 2 == 0 else None)
    previous = END
    for number in range(5):
        following = previous + datetime.timedelta(days=8)
        Extension.objects.create(poc=busy, reason=f"Reason {number}", previous_end=previous,
                                 requested_end=following, days=8, requested_by=engineer,
                                 status="requested" if number == 4 else "approved",
                                 decided_by=None if number == 4 else manager)
        previous = following
    return busy


@pytest.mark.parametrize("name", ["web:poc_detail", "web:poc_timebox"])
def test_the_pages_cost_the_same_for_0_and_20_milestones_and_5_extensions(
        client, engineer, manager, opportunity, sponsor, name):
    empty = POCFactory(opportunity=opportunity, owner=engineer, status="running",
                       start_date=START, end_date=END)
    busy = _busy_poc(opportunity, engineer, manager, sponsor)
    client.force_login(engineer)
    _queries(client, reverse(name, args=[empty.pk]))  # warm the per-process caches

    assert _queries(client, reverse(name, args=[empty.pk])) == \
        _queries(client, reverse(name, args=[busy.pk]))


def test_the_editor_costs_the_same_for_1_and_20_milestones(client, engineer, manager,
                                                          opportunity, sponsor):
    one = POCFactory(opportunity=opportunity, owner=engineer, status="running",
                     start_date=START, end_date=END)
    Milestone.objects.create(poc=one, kind="kickoff", due_date=START, planned_date=START)
    busy = _busy_poc(opportunity, engineer, manager, sponsor)
    client.force_login(engineer)
    _queries(client, reverse("web:milestone_plan", args=[one.pk]))

    assert _queries(client, reverse("web:milestone_plan", args=[one.pk])) == \
        _queries(client, reverse("web:milestone_plan", args=[busy.pk]))


# --- the timeline ----------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "fr", "zh-hans"])
def test_the_timeline_places_the_window_today_and_the_exit_clause(client, engineer, running,
                                                                  language):
    """5 Jan → 5 Apr, the exit clause 30 days later (5 May, the team's grace without an
    agreement), today 10 Feb: 120 days padded by 4 on each side, from 1 Jan over 128 days."""
    engineer.profile.language = language
    engineer.profile.save()
    client.force_login(engineer)
    client.cookies["django_language"] = language

    page = _timebox(client, running).content.decode()

    assert f'<html lang="{language}">' in page  # numbers localised with commas in French
    timeline = page[page.index('data-testid="timebox-timeline"'):]
    # 4/128 = 3.125 %, 90/128 = 70.3125 %; today 40/128 = 31.25 %; exit 124/128 = 96.875 %.
    assert 'class="tbx-bar tbx-baseline" style="left: 3.12%; width: 70.31%"' in timeline
    assert 'class="tbx-line tbx-today" style="left: 31.25%"' in timeline
    assert 'class="tbx-line tbx-exit" style="left: 96.88%"' in timeline
    # Month ticks: 1 Feb is day 31 (24.22 %), 1 Mar day 59 (46.09 %), 1 Apr day 90 (70.31 %),
    # 1 May day 120 (93.75 %, its name reads leftwards so the edge does not cut it).
    ticks = re.findall(r'class="tbx-tick( tbx-end)?" style="left: ([\d.]+)%"', timeline)
    assert ticks == [("", "24.22"), ("", "46.09"), ("", "70.31"), (" tbx-end", "93.75")]


def test_the_timeline_shows_extensions_and_moved_milestones(client, engineer, manager, running,
                                                            sponsor):
    plan = _plan(running, engineer, sponsor)
    Milestone.objects.filter(pk=plan[4].pk).update(status="done",
                                                   completed_on=datetime.date(2026, 2, 3))
    Extension.objects.create(poc=running, reason="Late", previous_end=END - datetime.timedelta(10),
                             requested_end=END, days=10, requested_by=engineer,
                             status="approved", decided_by=manager)
    Extension.objects.create(poc=running, reason="Later", previous_end=END,
                             requested_end=END + datetime.timedelta(days=20), days=20,
                             requested_by=engineer)
    client.force_login(engineer)

    page = _timebox(client, running).content.decode()

    window = page[page.index('data-testid="timeline-window"'):]
    window = window[:window.index("</div>\n")]
    assert window.count("tbx-bar tbx-extension") == 2
    assert window.count("tbx-bar tbx-extension tbx-requested") == 1
    assert "Extension 1: 03/26/2026 → 04/05/2026 (+10 days)" in window
    assert "Extension requested: 04/05/2026 → 04/25/2026 (+20 days)" in window
    first_run = page[page.index(f'data-key="{plan[4].key}"'):]
    first_run = first_run[:first_run.index("</div>")]
    # Done six days after its planned date: filled at the completion, faint at the plan.
    assert "tbx-marker tbx-m-done" in first_run
    assert "tbx-marker tbx-m-planned" in first_run
    assert "tbx-seg tbx-moved" in first_run
    legend = page[page.index('class="tbx-legend"'):]
    legend = legend[:legend.index("</figcaption>")]
    for words in ("Baseline window", "Approved extension", "Requested extension", "Stalled",
                  "Done", "Planned date, before it moved", "Today", "Exit clause"):
        assert words in legend
    assert "At risk" not in legend  # no milestone is 1–6 days late
