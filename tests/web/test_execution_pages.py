"""The execution page (§8.1 readings and evidence, §8.2 the log), the serving of evidence files,
the chart data and the POC page's execution card."""

import datetime
import io
import json
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from pocdesk.execution.models import Evidence, LogEntry, Measurement
from pocdesk.execution.services import evidence_upload, log_entry_create
from pocdesk.people.models import Profile
from pocdesk.pocs.models import POC

from ..factories import (
    POCFactory,
    make_criterion,
    make_customer,
    make_log_entry,
    make_measurement,
    make_milestone,
)


def _png(name="meter.png", size=(64, 48)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _text(name="line2.csv", content=b"time,value\n2026-03-02T08:00:00Z,121\n"):
    return SimpleUploadedFile(name, content, content_type="text/csv")


def _minute(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def running(poc):
    POC.objects.filter(pk=poc.pk).update(status="running")
    poc.refresh_from_db()
    return poc


@pytest.fixture
def throughput(running):
    return make_criterion(running)  # mean of readings ≥ 120 t/h, must-have


@pytest.fixture
def smoke_test(running):
    return make_criterion(running, title="No alarm during the night shift", metric="",
                          unit="", comparator="pass_fail", target_value=None,
                          pass_condition="No alarm on the BMS for 8 hours",
                          aggregation="latest", must_have=False)


@pytest.fixture
def customer(running):
    return make_customer(running, name="Dana Sponsor", title="COO")


def _page(client, poc, query=""):
    return client.get(reverse("web:poc_execution", args=[poc.pk]) + query)


def _record(client, poc, criterion, **changes):
    data = {"criterion": str(criterion.pk), "value": "125.5",
            "measured_at": _minute(timezone.now() - datetime.timedelta(hours=1)),
            "conditions": "Full load, ambient 31 °C", "note": ""}
    data.update(changes)
    return client.post(reverse("web:poc_measurement_create", args=[poc.pk]), data)


def _card(page: str, criterion) -> str:
    start = page.index(f'id="criterion-{criterion.pk}"')
    return page[start:page.index("</article>", start)]


def _log(client, poc, **changes):
    data = {"kind": "observation", "title": "Dust on the feeder belt", "body": "",
            "occurred_at": _minute(timezone.now() - datetime.timedelta(minutes=30)),
            "key_event": "", "milestone": "", "severity": "", "status": "", "mitigation": "",
            "witnessed_by": "", "witnessed_at": ""}
    data.update(changes)
    return client.post(reverse("web:poc_log_create", args=[poc.pk]), data)


# --- the page and who sees it ----------------------------------------------------------------


@pytest.mark.parametrize("role", ["engineer", "sales", "manager", "admin"])
def test_the_team_sees_the_page_with_the_criterion_and_its_forms(client, actors, throughput,
                                                                 role):
    client.force_login(actors[role])

    response = _page(client, throughput.poc)

    page = response.content.decode()
    assert response.status_code == 200
    card = _card(page, throughput)
    assert 'data-status="no_data"' in card
    assert "≥ 120 t/h" in card
    assert 'data-testid="must-have"' in card
    assert 'data-testid="criterion-chart-empty"' in card
    assert 'data-testid="measurement-form"' in page
    assert 'data-testid="log-form"' in page
    assert 'data-testid="evidence-form"' in page
    assert f'data-criterion="{throughput.pk}"' in card
    assert (reverse("web:poc_series_import_start", args=[throughput.poc_id])
            + f"?criterion={throughput.pk}") in card
    assert 'data-outlook="amber"' in page  # a must-have without data


def test_an_outsider_gets_a_404_and_cannot_record(client, outsider, throughput):
    client.force_login(outsider)

    assert _page(client, throughput.poc).status_code == 404
    assert _record(client, throughput.poc, throughput).status_code == 404
    assert _log(client, throughput.poc).status_code == 404
    assert client.get(reverse("web:poc_criterion_chart",
                              args=[throughput.poc_id, throughput.pk])).status_code == 404
    assert Measurement.objects.count() == 0
    assert LogEntry.objects.count() == 0


def test_anonymous_is_sent_to_log_in(client, throughput):
    response = _page(client, throughput.poc)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_poc_that_is_not_running_shows_no_forms(client, engineer, poc):
    criterion = make_criterion(poc)
    client.force_login(engineer)

    page = _page(client, poc).content.decode()

    assert 'data-testid="not-recording"' in page
    assert 'data-testid="measurement-form"' not in page
    assert f'id="criterion-{criterion.pk}"' in page


def test_must_haves_come_first(client, engineer, running):
    optional = make_criterion(running, title="Noise level", must_have=False)
    must = make_criterion(running, title="Availability", must_have=True)
    client.force_login(engineer)

    page = _page(client, running).content.decode()

    assert page.index(f'id="criterion-{must.pk}"') < page.index(f'id="criterion-{optional.pk}"')


# --- recording a measurement -----------------------------------------------------------------


def test_a_reading_with_a_photo_is_recorded_and_the_criterion_passes(client, engineer,
                                                                      throughput):
    client.force_login(engineer)

    response = _record(client, throughput.poc, throughput, value="125.5",
                       evidence_files=[_png("meter.png"), _png("display.png", (30, 90))])

    assert response.status_code == 302
    assert response["Location"] == (reverse("web:poc_execution", args=[throughput.poc_id])
                                    + f"#criterion-{throughput.pk}")
    reading = Measurement.objects.get()
    assert reading.criterion == throughput
    assert reading.value == Decimal("125.5")
    assert reading.passed is None
    assert reading.conditions == "Full load, ambient 31 °C"
    assert reading.recorded_by == engineer
    photos = list(reading.evidence.order_by("file__original_name"))
    assert [photo.file.original_name for photo in photos] == ["display.png", "meter.png"]
    assert all(photo.thumbnail_key for photo in photos)
    page = _page(client, throughput.poc).content.decode()
    card = _card(page, throughput)
    assert 'data-status="passing"' in card
    assert "125.5 t/h" in card
    assert 'data-testid="criterion-chart"' in card
    assert card.count('data-testid="reading-row"') == 1
    assert reverse("web:evidence_thumbnail", args=[photos[0].pk]) in card
    assert 'data-outlook="green"' in page
    assert "Reading of “Throughput” recorded." in page


def test_a_reading_below_the_target_fails_the_must_have_and_turns_the_outlook_red(
        client, engineer, throughput):
    client.force_login(engineer)

    _record(client, throughput.poc, throughput, value="98")

    page = _page(client, throughput.poc).content.decode()
    assert 'data-status="failing"' in _card(page, throughput)
    assert 'data-outlook="red"' in page
    assert 'data-testid="outlook-alert"' in page


def test_a_pass_fail_test_takes_a_result(client, engineer, smoke_test):
    client.force_login(engineer)

    response = _record(client, smoke_test.poc, smoke_test, value="", passed="pass")

    assert response.status_code == 302
    reading = Measurement.objects.get()
    assert (reading.value, reading.passed) == (None, True)
    card = _card(_page(client, smoke_test.poc).content.decode(), smoke_test)
    assert 'data-status="passing"' in card


@pytest.mark.parametrize(("value", "message"), [
    ("abc", "Enter a number."),
    ("", "Give the measured value."),
])
def test_a_wrong_value_comes_back_under_the_value_field(client, engineer, throughput, value,
                                                        message):
    client.force_login(engineer)

    response = _record(client, throughput.poc, throughput, value=value,
                       evidence_files=[_png()])

    page = response.content.decode()
    assert response.status_code == 400
    errors = page[page.index('id="id_measurement_value_errors"'):]
    assert message in errors[:300]
    assert "data-open-on-load" in page[page.index('id="measurement-modal"') - 200:
                                       page.index('id="measurement-modal"') + 300]
    assert Measurement.objects.count() == 0
    assert Evidence.objects.count() == 0
    # The page came back at the form's address: its links lead back to the page itself.
    page_url = reverse("web:poc_execution", args=[throughput.poc_id])
    assert f'href="{page_url}?tab=log"' in page
    assert 'href="?' not in page


def test_a_number_for_a_pass_fail_test_is_refused_on_its_field(client, engineer, smoke_test):
    client.force_login(engineer)

    response = _record(client, smoke_test.poc, smoke_test, value="1")

    page = response.content.decode()
    assert response.status_code == 400
    assert "This criterion is a pass/fail test" in page
    assert 'id="id_measurement_passed_errors"' in page
    assert Measurement.objects.count() == 0


def test_a_reading_from_the_future_is_refused(client, engineer, throughput):
    client.force_login(engineer)

    response = _record(client, throughput.poc, throughput,
                       measured_at=_minute(timezone.now() + datetime.timedelta(days=1)))

    assert response.status_code == 400
    assert "This time is in the future." in response.content.decode()
    assert Measurement.objects.count() == 0


def test_a_file_that_is_not_evidence_is_refused_and_nothing_is_stored(client, engineer,
                                                                       throughput):
    client.force_login(engineer)

    response = _record(client, throughput.poc, throughput, evidence_files=[
        SimpleUploadedFile("tool.exe", b"MZ\x90\x00\x03\x00\x00\x00" * 10)])

    assert response.status_code == 400
    assert "tool.exe: This type of file is not accepted as evidence" in \
        response.content.decode()
    assert Measurement.objects.count() == 0


def test_a_criterion_of_another_poc_is_refused(client, engineer, throughput, opportunity):
    other = make_criterion(POCFactory(opportunity=opportunity, owner=engineer, status="running"))
    client.force_login(engineer)

    response = _record(client, throughput.poc, other)

    assert response.status_code == 400
    assert 'id="id_measurement_criterion_errors"' in response.content.decode()
    assert Measurement.objects.count() == 0


@pytest.mark.parametrize(("status", "value"), [("agreed", "125"), ("closed", "125"),
                                             ("agreed", "not a number")])
def test_a_poc_that_is_not_running_refuses_readings_with_a_message(client, engineer,
                                                                    throughput, status, value):
    POC.objects.filter(pk=throughput.poc_id).update(status=status)
    client.force_login(engineer)
    message = ("recorded while the POC is running, paused or being evaluated "
               f"(this POC is {status})")

    response = _record(client, throughput.poc, throughput, value=value,
                       evidence_files=[_png()])

    assert response.status_code == 302
    assert response["Location"] == reverse("web:poc_execution", args=[throughput.poc_id])
    page = client.get(response["Location"]).content.decode()
    alert = page[page.index('class="alert alert-danger'):]
    assert message in alert[:400]
    assert Measurement.objects.count() == 0
    assert Evidence.objects.count() == 0


@pytest.mark.parametrize("name", ["poc_evidence_upload", "poc_log_create"])
def test_a_poc_that_is_not_running_refuses_evidence_and_log_entries(client, engineer, poc, name):
    client.force_login(engineer)

    response = client.post(reverse(f"web:{name}", args=[poc.pk]), {
        "file": _png(), "kind": "observation", "title": "Dust"})

    assert response.status_code == 302
    assert "(this POC is draft)" in client.get(response["Location"]).content.decode()
    assert Evidence.objects.count() == 0
    assert LogEntry.objects.count() == 0


@pytest.mark.parametrize(("name", "data"), [
    ("poc_measurement_create", {"criterion": "x", "value": "1e999", "measured_at": "soon"}),
    ("poc_measurement_create", {"criterion": "", "passed": "maybe", "measured_at": ""}),
    ("poc_evidence_upload", {"criterion": "999999", "taken_at": "2026-13-45T99:00"}),
    ("poc_log_create", {"kind": "gossip", "milestone": "abc", "witnessed_by": "z",
                        "occurred_at": "tomorrow"}),
    ("poc_log_create", {"kind": "observation", "title": "Noise", "severity": "high",
                        "witnessed_at": _minute(timezone.now())}),
])
def test_garbage_comes_back_as_field_errors_never_a_500(client, engineer, throughput, name,
                                                        data):
    client.force_login(engineer)

    response = client.post(reverse(f"web:{name}", args=[throughput.poc_id]), data)

    assert response.status_code == 400
    assert "Please correct the errors below." in response.content.decode()
    assert (Measurement.objects.count(), Evidence.objects.count(),
            LogEntry.objects.count()) == (0, 0, 0)


# --- the log ---------------------------------------------------------------------------------


def test_a_key_event_witnessed_by_the_customer_is_logged_with_its_attachment(
        client, engineer, running, customer):
    milestone = make_milestone(running, kind="first_run", title="")
    client.force_login(engineer)
    occurred = timezone.now() - datetime.timedelta(hours=2)

    response = _log(client, running, kind="key_event", key_event="first_run",
                    title="First run of line 2 at full speed", milestone=str(milestone.pk),
                    occurred_at=_minute(occurred), witnessed_by=str(customer.pk),
                    witnessed_at=_minute(occurred + datetime.timedelta(minutes=5)),
                    evidence_files=[_png("first-run.png")])

    entry = LogEntry.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"?tab=log#entry-{entry.pk}")
    assert (entry.kind, entry.key_event, entry.milestone, entry.witnessed_by) == (
        "key_event", "first_run", milestone, customer)
    assert entry.evidence.get().file.original_name == "first-run.png"
    page = _page(client, running, "?tab=log").content.decode()
    item = page[page.index(f'id="entry-{entry.pk}"'):]
    assert "Witnessed by Dana Sponsor on" in item[:4000]
    assert "First run" in item[:4000]
    assert 'data-testid="witness-record"' not in item[:4000]


def test_a_risk_is_in_the_memo_and_the_filter(client, engineer, running):
    client.force_login(engineer)
    _log(client, running, kind="risk", title="IT needs three people trained before go-live",
         severity="high", mitigation="Training booked for week 12")
    make_log_entry(running, title="Dust on the feeder belt")

    page = _page(client, running, "?tab=log&kind=risk").content.decode()

    risk = LogEntry.objects.get(kind="risk")
    assert risk.status == "open"
    memo = page[page.index('data-testid="risk-memo"'):page.index('data-testid="log-card"')]
    assert "IT needs three people trained" in memo
    entries = page[page.index('data-testid="log-card"'):]
    assert entries.count('data-testid="log-entry"') == 1
    assert 'data-kind="risk"' in entries
    assert "Dust on the feeder belt" not in entries
    assert 'aria-current="true" data-testid="log-filter-risk"' in page


def test_a_log_entry_without_a_title_comes_back_with_the_error(client, engineer, running):
    client.force_login(engineer)

    response = _log(client, running, title="", kind="issue", severity="medium")

    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_log_title_errors"' in page
    assert LogEntry.objects.count() == 0


def test_the_witness_of_a_key_event_is_recorded_afterwards(client, engineer, running, customer):
    entry = log_entry_create(actor=engineer, poc=running, kind="key_event",
                             key_event="installation_complete", title="Luminaires installed",
                             occurred_at=timezone.now() - datetime.timedelta(days=1))
    client.force_login(engineer)
    assert 'data-testid="witness-form"' in _page(client, running, "?tab=log").content.decode()

    response = client.post(reverse("web:poc_log_witness", args=[running.pk, entry.pk]),
                           {"witnessed_by": str(customer.pk), "witnessed_at": ""})

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.witnessed_by == customer
    assert entry.witnessed_at is not None


def test_a_witness_from_outside_the_deal_is_refused_on_the_field(client, engineer, running,
                                                                 customer, other_team):
    entry = log_entry_create(actor=engineer, poc=running, kind="key_event",
                             key_event="first_run", title="First run")
    client.force_login(engineer)

    response = client.post(reverse("web:poc_log_witness", args=[running.pk, entry.pk]),
                           {"witnessed_by": "999999", "witnessed_at": ""})

    assert response.status_code == 400
    assert f'id="id_witness{entry.pk}_witnessed_by_errors"' in response.content.decode()
    entry.refresh_from_db()
    assert entry.witnessed_by is None


def test_the_witness_of_an_entry_of_another_poc_is_a_404(client, engineer, running, customer,
                                                         opportunity):
    other = POCFactory(opportunity=opportunity, owner=engineer, status="running")
    entry = make_log_entry(other, kind="key_event", key_event="first_run")
    client.force_login(engineer)

    response = client.post(reverse("web:poc_log_witness", args=[running.pk, entry.pk]),
                           {"witnessed_by": str(customer.pk)})

    assert response.status_code == 404
    entry.refresh_from_db()
    assert entry.witnessed_by is None


# --- evidence --------------------------------------------------------------------------------


def test_evidence_is_uploaded_into_the_gallery(client, engineer, throughput):
    client.force_login(engineer)

    response = client.post(reverse("web:poc_evidence_upload", args=[throughput.poc_id]), {
        "file": _png("cabinet.png"), "caption": "Control cabinet after wiring",
        "criterion": str(throughput.pk), "taken_at": ""})

    evidence = Evidence.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"?tab=evidence#evidence-{evidence.pk}")
    assert (evidence.caption, evidence.criterion, evidence.uploaded_by) == (
        "Control cabinet after wiring", throughput, engineer)
    page = _page(client, throughput.poc, "?tab=evidence").content.decode()
    item = page[page.index(f'id="evidence-{evidence.pk}"'):]
    assert 'data-kind="image"' in item[:200]
    assert "Control cabinet after wiring" in item[:2000]
    assert reverse("web:evidence_thumbnail", args=[evidence.pk]) in item[:2000]


def test_an_evidence_file_is_deleted_from_the_gallery(client, engineer, outsider, running):
    evidence = evidence_upload(actor=engineer, poc=running, uploaded=_png("blurred.png"))
    url = reverse("web:poc_evidence_delete", args=[running.pk, evidence.pk])
    client.force_login(outsider)
    assert client.post(url).status_code == 404
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    client.force_login(engineer)
    page = _page(client, running, "?tab=evidence").content.decode()
    assert url in page

    response = client.post(url)

    assert response.status_code == 302
    assert response["Location"].endswith("?tab=evidence")
    assert not Evidence.objects.filter(pk=evidence.pk).exists()


def test_an_upload_of_the_wrong_type_comes_back_under_the_file(client, engineer, running):
    client.force_login(engineer)

    response = client.post(reverse("web:poc_evidence_upload", args=[running.pk]), {
        "file": SimpleUploadedFile("tool.exe", b"MZ\x90\x00" * 20), "caption": ""})

    page = response.content.decode()
    assert response.status_code == 400
    assert "This type of file is not accepted as evidence" in \
        page[page.index('id="id_evidence_file_errors"'):][:300]
    assert Evidence.objects.count() == 0


def test_an_image_is_served_inline_with_safe_headers(client, engineer, running):
    evidence = evidence_upload(actor=engineer, poc=running, uploaded=_png("meter.png"))
    client.force_login(engineer)

    response = client.get(reverse("web:evidence_file", args=[evidence.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Content-Disposition"] == 'inline; filename="meter.png"'
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    download = client.get(reverse("web:evidence_file", args=[evidence.pk]) + "?download=1")
    assert download["Content-Disposition"] == 'attachment; filename="meter.png"'


def test_a_text_file_is_always_downloaded(client, engineer, running):
    evidence = evidence_upload(actor=engineer, poc=running, uploaded=_text("line2.csv"))
    client.force_login(engineer)

    response = client.get(reverse("web:evidence_file", args=[evidence.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain"
    assert response["Content-Disposition"] == 'attachment; filename="line2.csv"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_the_thumbnail_of_an_image_and_none_for_other_files(client, engineer, running):
    photo = evidence_upload(actor=engineer, poc=running, uploaded=_png(size=(1200, 800)))
    export = evidence_upload(actor=engineer, poc=running, uploaded=_text())
    client.force_login(engineer)

    response = client.get(reverse("web:evidence_thumbnail", args=[photo.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    thumbnail = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert max(thumbnail.size) == 480
    assert client.get(reverse("web:evidence_thumbnail", args=[export.pk])).status_code == 404


def test_an_outsider_gets_a_404_on_evidence_files_and_thumbnails(client, engineer, outsider,
                                                                  running):
    photo = evidence_upload(actor=engineer, poc=running, uploaded=_png())
    client.force_login(outsider)

    assert client.get(reverse("web:evidence_file", args=[photo.pk])).status_code == 404
    assert client.get(reverse("web:evidence_thumbnail", args=[photo.pk])).status_code == 404
    assert client.get(reverse("web:evidence_file", args=[photo.pk + 1000])).status_code == 404


def test_a_file_missing_from_the_storage_is_a_404(client, engineer, running):
    from django.core.files.storage import default_storage

    photo = evidence_upload(actor=engineer, poc=running, uploaded=_png())
    default_storage.delete(photo.file.storage_key)
    client.force_login(engineer)

    assert client.get(reverse("web:evidence_file", args=[photo.pk])).status_code == 404


# --- chart data ------------------------------------------------------------------------------


def test_the_chart_data_of_a_criterion(client, engineer, throughput):
    start = timezone.now() - datetime.timedelta(hours=5)
    for hour, value in enumerate(["118", "121.5", "124"]):
        make_measurement(throughput, value=value, measured_at=start + datetime.timedelta(hours=hour))
    client.force_login(engineer)
    url = reverse("web:poc_criterion_chart", args=[throughput.poc_id, throughput.pk])

    data = client.get(url).json()
    since = (start + datetime.timedelta(minutes=30)).isoformat()
    later = client.get(url, {"since": since}).json()

    assert (data["kind"], data["count"], data["bucketed"]) == ("numeric", 3, False)
    assert [point["value"] for point in data["series"]] == [118.0, 121.5, 124.0]
    assert data["target"]["value"] == 120.0
    assert [point["value"] for point in later["series"]] == [121.5, 124.0]


def test_many_readings_come_as_buckets(client, engineer, throughput):
    start = timezone.now() - datetime.timedelta(days=2)
    Measurement.objects.bulk_create([
        Measurement(poc=throughput.poc, criterion=throughput, value=Decimal(100 + number % 40),
                    measured_at=start + datetime.timedelta(minutes=number))
        for number in range(300)])
    client.force_login(engineer)

    data = client.get(reverse("web:poc_criterion_chart", args=[throughput.poc_id, throughput.pk]),
                      {"points": "50"}).json()

    assert data["bucketed"] is True
    assert data["count"] == 300
    assert len(data["series"]) <= 50
    assert sum(bucket["count"] for bucket in data["series"]) == 300


def test_bad_chart_parameters_are_a_400(client, engineer, throughput):
    client.force_login(engineer)
    url = reverse("web:poc_criterion_chart", args=[throughput.poc_id, throughput.pk])

    response = client.get(url, {"since": "yesterday", "points": "many"})

    assert response.status_code == 400
    assert set(json.loads(response.content)["details"]) == {"since", "points"}


def test_the_chart_of_a_criterion_of_another_poc_is_a_404(client, engineer, throughput,
                                                          opportunity):
    other = make_criterion(POCFactory(opportunity=opportunity, owner=engineer))
    client.force_login(engineer)

    response = client.get(reverse("web:poc_criterion_chart", args=[throughput.poc_id, other.pk]))

    assert response.status_code == 404


# --- the POC page's card ---------------------------------------------------------------------


def test_the_poc_page_card_shows_the_outlook_and_each_criterion(client, engineer, throughput,
                                                                smoke_test):
    make_measurement(throughput, value="99")
    make_measurement(smoke_test, passed=True)
    make_log_entry(throughput.poc, kind="risk", status="open", severity="high",
                   title="Spare parts lead time")
    client.force_login(engineer)

    page = client.get(reverse("web:poc_detail", args=[throughput.poc_id])).content.decode()

    card = page[page.index('data-testid="execution-card"'):]
    card = card[:card.index("</section>")]
    assert 'data-outlook="red"' in card
    assert card.count('data-testid="execution-card-criterion"') == 2
    assert 'data-status="failing"' in card
    assert 'data-status="passing"' in card
    assert "99 t/h" in card
    assert "2 readings" in card
    assert "1 open technical risk" in card
    assert reverse("web:poc_execution", args=[throughput.poc_id]) in card


# --- query counts ----------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _fill(poc, engineer, customer, criteria: int) -> None:
    """`criteria` criteria with readings and photos (the first a 95th percentile, which costs
    one query for all such criteria), log entries of every kind with attachments and
    witnesses, and evidence files."""
    start = timezone.now() - datetime.timedelta(days=3)
    make_milestone(poc)
    for number in range(criteria):
        pass_fail = number % 3 == 2
        criterion = make_criterion(
            poc, title=f"Criterion {number}", must_have=number % 2 == 0,
            **({"comparator": "pass_fail", "target_value": None, "unit": "", "metric": "",
                "pass_condition": "No alarm", "aggregation": "latest"} if pass_fail else
               {"aggregation": ["p95", "mean", "min", "max", "latest"][number % 5]}))
        for reading in range(12):
            measured_at = start + datetime.timedelta(hours=reading)
            if pass_fail:
                make_measurement(criterion, passed=reading % 4 != 0, measured_at=measured_at,
                                 recorded_by=engineer)
            else:
                make_measurement(criterion, value=110 + reading, measured_at=measured_at,
                                 recorded_by=engineer)
        photo = evidence_upload(actor=engineer, poc=poc, uploaded=_png(), criterion=criterion)
        Measurement.objects.filter(criterion=criterion).first().evidence.add(photo)
        entry = make_log_entry(poc, recorded_by=engineer, title=f"Entry {number}",
                               kind=["observation", "issue", "risk", "key_event"][number % 4])
        if entry.kind == "key_event":
            LogEntry.objects.filter(pk=entry.pk).update(key_event="first_run",
                                                        witnessed_by=customer if number % 8 == 3
                                                        else None)
        entry.evidence.add(photo)


def test_the_page_costs_the_same_queries_for_2_and_8_criteria(client, engineer, team,
                                                               opportunity):
    Profile.objects.filter(user=engineer).update(display_name="Claire Martin")
    small = POCFactory(opportunity=opportunity, owner=engineer, status="running")
    large = POCFactory(opportunity=opportunity, owner=engineer, status="running")
    customer = make_customer(small)
    _fill(small, engineer, customer, 2)
    _fill(large, engineer, customer, 8)
    client.force_login(engineer)
    _queries(client, reverse("web:poc_execution", args=[small.pk]))  # warm per-process caches

    small_count = _queries(client, reverse("web:poc_execution", args=[small.pk]))
    large_count = _queries(client, reverse("web:poc_execution", args=[large.pk]))

    assert small_count == large_count
    assert large_count <= 30


def test_the_poc_card_costs_the_same_queries_for_2_and_8_criteria(client, engineer,
                                                                   opportunity):
    small = POCFactory(opportunity=opportunity, owner=engineer, status="running")
    large = POCFactory(opportunity=opportunity, owner=engineer, status="running")
    customer = make_customer(small)
    _fill(small, engineer, customer, 2)
    _fill(large, engineer, customer, 8)
    client.force_login(engineer)
    _queries(client, reverse("web:poc_detail", args=[small.pk]))

    assert _queries(client, reverse("web:poc_detail", args=[small.pk])) == \
        _queries(client, reverse("web:poc_detail", args=[large.pk]))


def test_the_poc_list_shows_the_technical_outlook_of_pocs_with_readings(client, engineer,
                                                                         throughput):
    red_poc = throughput.poc
    make_measurement(throughput, value="90")  # the must-have fails: red
    green_poc = POCFactory(opportunity=red_poc.opportunity, owner=engineer, title="Green one",
                           status="running")
    make_measurement(make_criterion(green_poc), value="130")
    POCFactory(opportunity=red_poc.opportunity, owner=engineer, title="No readings yet",
               status="running")
    client.force_login(engineer)

    page = client.get(reverse("web:poc_list")).content.decode()

    outlooks = re.findall(r'data-outlook="(\w+)"', page)
    assert sorted(outlooks) == ["green", "red"]  # nothing for the POC without readings
    assert "Technical outlook: Red" in page
