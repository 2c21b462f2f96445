"""Series import (§8.1): an instrument export read in two streamed passes, every bad row reported,
all or nothing; and its pages (upload, mapping, progress, result)."""

import datetime
import io
import re
import tracemalloc
import zoneinfo
from decimal import Decimal

import pytest
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from pocdesk.core.errors import ApplicationError, NotFound, PermissionDenied, ValidationFailed
from pocdesk.core.models import Event, StoredFile
from pocdesk.execution.models import Measurement, SeriesImport
from pocdesk.execution.series import (
    series_import_get,
    series_import_map,
    series_import_requeue,
    series_import_run,
    series_import_start,
)
from pocdesk.execution.series_cells import CellError, parse_moment, parse_number, parse_result
from pocdesk.execution.series_parse import detect_delimiter
from pocdesk.pocs.models import POC

from ..factories import make_criterion

UTC = datetime.UTC


@pytest.fixture
def running(poc):
    POC.objects.filter(pk=poc.pk).update(status="running")
    poc.refresh_from_db()
    return poc


@pytest.fixture
def criterion(running):
    return make_criterion(running, title="Throughput")


@pytest.fixture
def pass_fail(running):
    return make_criterion(running, title="Cold start", comparator="pass_fail", metric="",
                          unit="", target_value=None, pass_condition="Starts below -20 °C",
                          aggregation="share_passing", required_share=Decimal("90"))


def upload(text: str | bytes, name: str = "export.csv") -> SimpleUploadedFile:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="text/csv")


GOOD = ("timestamp,throughput,operator\n"
        "2026-01-05 08:00:00,121.5,Ana\n"
        "2026-01-05 09:00:00,119.25,Ana\n"
        "2026-01-05T10:00:00+01:00,123,Bo\n")


def run_import(actor, import_, *, time_column, value_column, time_zone="UTC", conditions="",
               capture):
    with capture(execute=True):
        series_import_map(actor=actor, series_import=import_, time_column=time_column,
                          value_column=value_column, time_zone=time_zone,
                          conditions=conditions)
    import_.refresh_from_db()
    return import_


# -- reading cells and files ------------------------------------------------------------------------

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
NOW = datetime.datetime(2026, 8, 1, tzinfo=UTC)


@pytest.mark.parametrize(("cell", "expected"), [
    ("2026-01-05T08:00:00Z", datetime.datetime(2026, 1, 5, 8, 0, tzinfo=UTC)),
    ("2026-01-05T08:00:00+08:00", datetime.datetime(2026, 1, 5, 0, 0, tzinfo=UTC)),
    ("2026-01-05 09:00", datetime.datetime(2026, 1, 5, 8, 0, tzinfo=UTC)),
    ("2026-07-05 09:00:00.250000", datetime.datetime(2026, 7, 5, 7, 0, 0, 250000, tzinfo=UTC)),
    ("05/01/2026 09:00", datetime.datetime(2026, 1, 5, 8, 0, tzinfo=UTC)),
    ("05/01/2026 09:00:30", datetime.datetime(2026, 1, 5, 8, 0, 30, tzinfo=UTC)),
    (datetime.datetime(2026, 1, 5, 9, 0), datetime.datetime(2026, 1, 5, 8, 0, tzinfo=UTC)),
    (1767600000, datetime.datetime(2026, 1, 5, 8, 0, tzinfo=UTC)),
    ("1767600000.5", datetime.datetime(2026, 1, 5, 8, 0, 0, 500000, tzinfo=UTC)),
])
def test_times_are_read_in_every_usual_spelling(cell, expected):
    assert parse_moment(cell, PARIS, NOW) == expected


@pytest.mark.parametrize(("cell", "message"), [
    ("", "The time is missing."),
    (12.5, "12.5 is not a time: a number is read as a Unix timestamp in seconds."),
    ("2026-08-01 02:10", "This time is in the future."),
])
def test_bad_times_say_why(cell, message):
    with pytest.raises(CellError, match=f"^{re.escape(message)}$"):
        parse_moment(cell, PARIS, NOW)


@pytest.mark.parametrize(("cell", "expected"), [
    ("12.5", Decimal("12.5")), ("12,5", Decimal("12.5")), ("-0,001", Decimal("-0.001")),
    ("1 234,5", Decimal("1234.5")), ("1.234,5", Decimal("1234.5")),
    ("1,234.5", Decimal("1234.5")), ("2.5e3", Decimal("2500")), (0.1, Decimal("0.1")),
    ("0.12345678", Decimal("0.123457")), (42, Decimal("42")),
])
def test_numbers_take_a_decimal_point_or_comma(cell, expected):
    assert parse_number(cell) == expected


@pytest.mark.parametrize("cell", ["NaN", "inf", "-Infinity", "12 t/h", True, "100000000000000"])
def test_not_a_finite_number_that_fits_is_refused(cell):
    with pytest.raises(CellError):
        parse_number(cell)


@pytest.mark.parametrize(("cell", "expected"), [
    ("pass", True), ("FAIL", False), ("true", True), ("0", False), (1, True), (False, False),
    ("OK", True), ("NOK", False), ("yes", True), ("no", False), ("通过", True),
    ("不通过", False), ("Réussi", True), ("échoué", False),
])
def test_pass_fail_results_in_three_languages(cell, expected):
    assert parse_result(cell) is expected


@pytest.mark.parametrize(("sample", "delimiter"), [
    ("time,value\n2026-01-05 08:00,1.5\n", ","),
    ("time;value\n2026-01-05 08:00;1,5\n2026-01-05 09:00;2,5\n", ";"),
    ("time\tvalue\tnote\n2026-01-05 08:00\t1,5\ta, b\n", "\t"),
    ("time|value\n2026-01-05 08:00|1.5\n", "|"),
    ("value\n1\n2\n", ","),
])
def test_the_delimiter_is_the_one_that_splits_every_line_alike(sample, delimiter):
    assert detect_delimiter(sample, complete=True) == delimiter


# -- start ----------------------------------------------------------------------------------------

def test_start_reads_the_header_and_guesses_the_columns(engineer, running, criterion):
    import_ = series_import_start(actor=engineer, poc=running, criterion=criterion.pk,
                                  uploaded=upload(GOOD))

    assert import_.status == "mapping"
    assert import_.columns == ["timestamp", "throughput", "operator"]
    assert import_.preview == [["2026-01-05 08:00:00", "121.5", "Ana"],
                               ["2026-01-05 09:00:00", "119.25", "Ana"],
                               ["2026-01-05T10:00:00+01:00", "123", "Bo"]]
    assert (import_.time_column, import_.value_column) == ("timestamp", "throughput")
    assert import_.rows_total == 3
    assert import_.file.original_name == "export.csv"
    assert import_.created_by == engineer


def test_start_names_blank_and_repeated_columns(engineer, running, criterion):
    import_ = series_import_start(
        actor=engineer, poc=running, criterion=criterion,
        uploaded=upload("value,,Value,时间\n1,2,3,2026-01-05 08:00\n"))

    assert import_.columns == ["value", "column 2", "Value (2)", "时间"]
    assert (import_.time_column, import_.value_column) == ("时间", "value")


@pytest.mark.parametrize(("content", "message"), [
    (b"", "The file is empty."),
    (b"\n\n  \n", "The file is empty: there is no header row and no readings."),
    (b"time,value\n", "The file has a header row but no readings below it."),
])
def test_an_empty_file_is_refused_on_the_file_field(engineer, running, criterion, content,
                                                    message):
    with pytest.raises(ValidationFailed) as refused:
        series_import_start(actor=engineer, poc=running, criterion=criterion,
                            uploaded=upload(content))

    assert refused.value.fields == {"file": [message]}
    assert SeriesImport.objects.count() == 0
    assert StoredFile.objects.count() == 0


def test_start_refuses_a_criterion_of_another_poc_and_a_binary_file(engineer, running):
    other = make_criterion(POC.objects.create(opportunity=running.opportunity,
                                              team=running.team, title="Other",
                                              owner=engineer))
    with pytest.raises(ValidationFailed) as refused:
        series_import_start(actor=engineer, poc=running, criterion=other,
                            uploaded=upload(b"%PDF-1.4 not a table", "scan.pdf"))

    assert refused.value.fields == {"criterion": ["Choose a criterion of this POC."]}
    with pytest.raises(ValidationFailed) as refused:
        series_import_start(actor=engineer, poc=running, criterion=make_criterion(running),
                            uploaded=upload(b"%PDF-1.4 not a table", "scan.pdf"))
    assert refused.value.fields == {"file": [
        "This type of file is not accepted. Accepted: txt, xlsx."]}
    assert SeriesImport.objects.count() == 0


def test_start_needs_a_running_poc_and_a_team_member(engineer, outsider, poc):
    criterion = make_criterion(poc)
    with pytest.raises(ApplicationError) as refused:
        series_import_start(actor=engineer, poc=poc, criterion=criterion, uploaded=upload(GOOD))
    assert (refused.value.code, refused.value.status) == ("not_running", 409)

    POC.objects.filter(pk=poc.pk).update(status="running")
    poc.refresh_from_db()
    with pytest.raises(PermissionDenied):
        series_import_start(actor=outsider, poc=poc, criterion=criterion, uploaded=upload(GOOD))
    assert SeriesImport.objects.count() == 0


# -- map and run ------------------------------------------------------------------------------------

def test_happy_path_imports_every_row(engineer, running, criterion,
                                      django_capture_on_commit_callbacks):
    import_ = series_import_start(actor=engineer, poc=running, criterion=criterion,
                                  uploaded=upload(GOOD))

    import_ = run_import(engineer, import_, time_column="timestamp", value_column="throughput",
                         time_zone="Europe/Paris", conditions="Line 2, night shift",
                         capture=django_capture_on_commit_callbacks)

    assert (import_.status, import_.rows_imported, import_.rows_done, import_.rows_total) == (
        "done", 3, 3, 3)
    assert import_.error_count == 0 and import_.errors == []
    assert import_.message == "3 readings imported."
    assert import_.started_at <= import_.finished_at
    readings = list(Measurement.objects.filter(series=import_).order_by("measured_at"))
    assert [(r.measured_at, r.value, r.passed) for r in readings] == [
        (datetime.datetime(2026, 1, 5, 7, 0, tzinfo=UTC), Decimal("121.5"), None),
        (datetime.datetime(2026, 1, 5, 8, 0, tzinfo=UTC), Decimal("119.25"), None),
        (datetime.datetime(2026, 1, 5, 9, 0, tzinfo=UTC), Decimal("123"), None),
    ]
    assert {(r.poc_id, r.criterion_id, r.conditions, r.recorded_by_id) for r in readings} == {
        (running.pk, criterion.pk, "Line 2, night shift", engineer.pk)}
    event = Event.objects.get(verb="series_import.done")
    assert (event.poc_id, event.actor_id, event.data) == (
        running.pk, engineer.pk, {"count": 3, "criterion": "Throughput"})


def test_a_bad_row_rejects_the_whole_file(engineer, running, criterion,
                                          django_capture_on_commit_callbacks):
    text = GOOD + "2026-01-05 11:00:00,n/a,Bo\nyesterday,125,Bo\n2026-01-05 13:00:00,,Bo\n"
    import_ = series_import_start(actor=engineer, poc=running, criterion=criterion,
                                  uploaded=upload(text))

    import_ = run_import(engineer, import_, time_column="timestamp", value_column="throughput",
                         capture=django_capture_on_commit_callbacks)

    assert (import_.status, import_.error_count, import_.rows_imported) == ("rejected", 3, 0)
    assert import_.errors == [
        {"row": 5, "column": "throughput", "message": "“n/a” is not a number."},
        {"row": 6, "column": "timestamp",
         "message": "“yesterday” is not a date and time this import understands (e.g. "
                    "2026-03-10 14:30:00, 2026-03-10T14:30:00+01:00 or 10/03/2026 14:30)."},
        {"row": 7, "column": "throughput", "message": "The value is missing."},
    ]
    assert import_.message == ("3 rows cannot be read: nothing was imported. Correct the file "
                               "and upload it again.")
    assert Measurement.objects.count() == 0
    assert Event.objects.get(verb="series_import.rejected").data == {
        "bad": 3, "criterion": "Throughput"}


def test_a_reading_in_the_future_is_a_bad_row(engineer, running, criterion,
                                               django_capture_on_commit_callbacks):
    later = (timezone.now() + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    soon = (timezone.now() + datetime.timedelta(minutes=2)).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    import_ = series_import_start(actor=engineer, poc=running, criterion=criterion,
                                  uploaded=upload(f"time,value\n{soon},1\n{later},2\n"))

    import_ = run_import(engineer, import_, time_column="time", value_column="value",
                         capture=django_capture_on_commit_callbacks)

    assert import_.status == "rejected"
    assert import_.errors == [{"row": 3, "column": "time",
                               "message": "This time is in the future."}]
    assert Measurement.objects.count() == 0


def test_every_bad_row_is_counted_and_the_first_thousand_kept(
        engineer, running, criterion, django_capture_on_commit_callbacks):
    rows = "".join(f"2026-01-05 08:{n % 60:02d}:00,bad\n" for n in range(1500))
    import_ = series_import_start(actor=engineer, poc=running, criterion=criterion,
                                  uploaded=upload("time,value\n" + rows))

    import_ = run_import(engineer, import_, time_column="time", value_column="value",
                         capture=django_capture_on_commit_callbacks)

    assert (import_.status, import_.error_count, len(import_.errors)) == ("rejected", 1500, 1000)
    assert import_.errors[0]["row"] == 2 and import_.errors[-1]["row"] == 1001
    assert import_.rows_done == 1500


def test_a_wrong_column_is_refused_by_name(engineer, running, criterion):
    import_ = series_import_start(actor=engineer, poc=running, criterion=criterion,
                                  uploaded=upload(GOOD))

    with pytest.raises(ValidationFailed) as refused:
        series_import_map(actor=engineer, series_import=import_, time_column="Time",
                          value_column="throughput", time_zone="Mars/Olympus")
    assert refused.value.fields == {
        "time_column": ["There is no column “Time” in this file. Its columns: timestamp, "
                        "throughput, operator."],
        "time_zone": ["“Mars/Olympus” is not a time zone (e.g. Europe/Paris, Asia/Shanghai, "
                      "UTC)."],
    }
    with pytest.raises(ValidationFailed) as refused:
        series_import_map(actor=engineer, series_import=import_, time_column="timestamp",
                          value_column="timestamp")
    assert refused.value.fields == {"value_column": [
        "Choose two different columns for the time and the value."]}
    import_.refresh_from_db()
    assert (import_.status, import_.time_column) == ("mapping", "timestamp")


def test_a_semicolon_file_with_decimal_commas(engineer, running, criterion,
                                               django_capture_on_commit_callbacks):
    text = ("\ufeffHeure;Débit (t/h);Remarque\n"
            "05/01/2026 08:00;121,5;RAS\n"
            "05/01/2026 09:00:30;1 119,25;\"nuit; ligne 2\"\n")
    import_ = series_import_start(actor=engineer, poc=running, criterion=criterion,
                                  uploaded=upload(text))
    assert import_.columns == ["Heure", "Débit (t/h)", "Remarque"]
    assert (import_.time_column, import_.value_column) == ("Heure", "Débit (t/h)")

    import_ = run_import(engineer, import_, time_column="Heure", value_column="Débit (t/h)",
                         capture=django_capture_on_commit_callbacks)

    assert import_.status == "done"
    assert list(Measurement.objects.order_by("measured_at").values_list("measured_at", "value")) == [
        (datetime.datetime(2026, 1, 5, 8, 0, tzinfo=UTC), Decimal("121.5")),
        (datetime.datetime(2026, 1, 5, 9, 0, 30, tzinfo=UTC), Decimal("1119.25")),
    ]


def test_a_file_saved_in_windows_1252_or_gb18030_is_read(engineer, running, criterion,
                                                          django_capture_on_commit_callbacks):
    french = "Date;Température\n05/01/2026 08:00;21,5\n".encode("cp1252")
    import_ = series_import_start(actor=engineer, poc=running, criterion=criterion,
                                  uploaded=upload(french))
    assert import_.columns == ["Date", "Température"]

    chinese = "时间,吞吐量（吨/时）\n2026-01-05 08:00,121.5\n".encode("gb18030")
    import_ = series_import_start(actor=engineer, poc=running, criterion=criterion,
                                  uploaded=upload(chinese))
    assert import_.columns == ["时间", "吞吐量（吨/时）"]
    import_ = run_import(engineer, import_, time_column="时间", value_column="吞吐量（吨/时）",
                         time_zone="Asia/Shanghai", capture=django_capture_on_commit_callbacks)
    assert import_.status == "done"
    assert Measurement.objects.get().measured_at == datetime.datetime(2026, 1, 5, 0, 0,
                                                                      tzinfo=UTC)


def test_an_xlsx_export(engineer, running, criterion, django_capture_on_commit_callbacks):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Sample", "Measured at", "Throughput"])
    sheet.append([1, datetime.datetime(2026, 1, 5, 8, 0), 121.5])
    sheet.append([2, datetime.datetime(2026, 1, 5, 9, 0), 119])
    sheet.append([])
    sheet.append([3, "2026-01-05 10:00", "bad"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    import_ = series_import_start(actor=engineer, poc=running, criterion=criterion,
                                  uploaded=upload(buffer.getvalue(), "export.xlsx"))
    assert import_.columns == ["Sample", "Measured at", "Throughput"]
    assert import_.preview[0] == ["1", "2026-01-05 08:00:00", "121.5"]
    assert (import_.time_column, import_.value_column) == ("Measured at", "Sample")

    import_ = run_import(engineer, import_, time_column="Measured at", value_column="Throughput",
                         time_zone="Europe/Paris", capture=django_capture_on_commit_callbacks)
    assert import_.status == "rejected"
    assert import_.errors == [{"row": 5, "column": "Throughput",
                               "message": "“bad” is not a number."}]

    sheet.delete_rows(5)
    buffer = io.BytesIO()
    workbook.save(buffer)
    import_ = series_import_start(actor=engineer, poc=running, criterion=criterion,
                                  uploaded=upload(buffer.getvalue(), "export.xlsx"))
    import_ = run_import(engineer, import_, time_column="Measured at", value_column="Throughput",
                         time_zone="Europe/Paris", capture=django_capture_on_commit_callbacks)
    assert (import_.status, import_.rows_imported) == ("done", 2)
    assert list(Measurement.objects.order_by("measured_at").values_list("measured_at", "value")) == [
        (datetime.datetime(2026, 1, 5, 7, 0, tzinfo=UTC), Decimal("121.5")),
        (datetime.datetime(2026, 1, 5, 8, 0, tzinfo=UTC), Decimal("119")),
    ]


def test_a_pass_fail_series(engineer, running, pass_fail, django_capture_on_commit_callbacks):
    text = ("时间,结果\n"
            "2026-01-05 08:00,通过\n2026-01-05 09:00,不通过\n2026-01-05 10:00,OK\n"
            "1767610800,fail\n2026-01-05 12:00,réussi\n")
    import_ = series_import_start(actor=engineer, poc=running, criterion=pass_fail,
                                  uploaded=upload(text))
    assert (import_.time_column, import_.value_column) == ("时间", "结果")

    import_ = run_import(engineer, import_, time_column="时间", value_column="结果",
                         capture=django_capture_on_commit_callbacks)

    assert import_.status == "done"
    assert list(Measurement.objects.order_by("measured_at").values_list(
        "measured_at", "value", "passed")) == [
        (datetime.datetime(2026, 1, 5, 8, 0, tzinfo=UTC), None, True),
        (datetime.datetime(2026, 1, 5, 9, 0, tzinfo=UTC), None, False),
        (datetime.datetime(2026, 1, 5, 10, 0, tzinfo=UTC), None, True),
        (datetime.datetime(2026, 1, 5, 11, 0, tzinfo=UTC), None,
         False),
        (datetime.datetime(2026, 1, 5, 12, 0, tzinfo=UTC), None, True),
    ]


def test_running_a_done_import_again_does_nothing(engineer, running, criterion,
                                                  django_capture_on_commit_callbacks):
    import_ = series_import_start(actor=engineer, poc=running, criterion=criterion,
                                  uploaded=upload(GOOD))
    import_ = run_import(engineer, import_, time_column="timestamp", value_column="throughput",
                         capture=django_capture_on_commit_callbacks)
    finished_at = import_.finished_at

    again = series_import_run(import_.pk)

    assert (again.status, again.rows_imported, again.finished_at) == ("done", 3, finished_at)
    assert Measurement.objects.count() == 3
    assert Event.objects.filter(verb="series_import.done").count() == 1
    with pytest.raises(ApplicationError) as refused:
        series_import_map(actor=engineer, series_import=import_, time_column="timestamp",
                          value_column="throughput")
    assert (refused.value.code, refused.value.status) == ("series_import_started", 409)
    assert series_import_run(987654) is None


def test_an_interrupted_import_can_be_queued_again(engineer, running, criterion,
                                                   django_capture_on_commit_callbacks):
    import_ = series_import_start(actor=engineer, poc=running, criterion=criterion,
                                  uploaded=upload(GOOD))
    with django_capture_on_commit_callbacks(execute=False):
        series_import_map(actor=engineer, series_import=import_, time_column="timestamp",
                          value_column="throughput")
    SeriesImport.objects.filter(pk=import_.pk).update(status="running", rows_done=2,
                                                      started_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        series_import_requeue(actor=engineer, series_import=import_)

    import_.refresh_from_db()
    assert (import_.status, import_.rows_imported) == ("done", 3)
    assert Measurement.objects.count() == 3


def test_a_rejected_import_may_be_mapped_again(engineer, running, criterion,
                                               django_capture_on_commit_callbacks):
    import_ = series_import_start(actor=engineer, poc=running, criterion=criterion,
                                  uploaded=upload(GOOD))
    import_ = run_import(engineer, import_, time_column="timestamp", value_column="operator",
                         capture=django_capture_on_commit_callbacks)
    assert (import_.status, import_.error_count) == ("rejected", 3)

    import_ = run_import(engineer, import_, time_column="timestamp", value_column="throughput",
                         capture=django_capture_on_commit_callbacks)

    assert (import_.status, import_.error_count, import_.errors) == ("done", 0, [])
    assert Measurement.objects.count() == 3


def test_an_outsider_cannot_see_or_map_an_import(engineer, outsider, running, criterion):
    import_ = series_import_start(actor=engineer, poc=running, criterion=criterion,
                                  uploaded=upload(GOOD))

    with pytest.raises(NotFound):
        series_import_get(user=outsider, import_id=import_.pk)
    with pytest.raises(PermissionDenied):
        series_import_map(actor=outsider, series_import=import_, time_column="timestamp",
                          value_column="throughput")
    assert series_import_get(user=engineer, import_id=import_.pk) == import_
    import_.refresh_from_db()
    assert import_.status == "mapping"


# -- a large file ----------------------------------------------------------------------------------

def _large_csv(path, rows: int) -> None:
    start = datetime.datetime(2025, 1, 1, tzinfo=UTC)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("time,value,note\n")
        for number in range(rows):
            moment = start + datetime.timedelta(seconds=30 * number)
            handle.write(f"{moment:%Y-%m-%dT%H:%M:%S}Z,{number % 1000}.{number % 7},ok\n")


def _import_peak(path, *, engineer, poc, criterion, capture) -> tuple[SeriesImport, int]:
    with open(path, "rb") as handle:
        import_ = series_import_start(actor=engineer, poc=poc, criterion=criterion,
                                      uploaded=File(handle, name=path.name))
    with capture(execute=False):
        series_import_map(actor=engineer, series_import=import_, time_column="time",
                          value_column="value")
    tracemalloc.start()
    try:
        series_import_run(import_.pk)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    import_.refresh_from_db()
    return import_, peak


def test_a_200000_row_file_in_bounded_memory(engineer, running, criterion, settings, tmp_path,
                                             django_capture_on_commit_callbacks):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "storage")}}}
    small, large = tmp_path / "small.csv", tmp_path / "large.csv"
    _large_csv(small, 20_000)
    _large_csv(large, 200_000)

    small_import, small_peak = _import_peak(small, engineer=engineer, poc=running,
                                            criterion=criterion,
                                            capture=django_capture_on_commit_callbacks)
    large_import, large_peak = _import_peak(large, engineer=engineer, poc=running,
                                            criterion=criterion,
                                            capture=django_capture_on_commit_callbacks)

    assert (small_import.status, small_import.rows_imported) == ("done", 20_000)
    assert (large_import.status, large_import.rows_imported) == ("done", 200_000)
    assert Measurement.objects.filter(series=large_import).count() == 200_000
    last = Measurement.objects.filter(series=large_import).order_by("-measured_at").first()
    assert (last.measured_at, last.value) == (
        datetime.datetime(2025, 1, 1, tzinfo=UTC) + datetime.timedelta(seconds=30 * 199_999),
        Decimal("999.2"))
    print(f"peaks: {small_peak / 2**20:.1f} MB, {large_peak / 2**20:.1f} MB")
    assert large_peak < 60 * 2**20, f"peak {large_peak / 2**20:.1f} MB"
    # Ten times the rows, not ten times the memory: only a batch is ever held.
    assert large_peak < small_peak * 1.5, (small_peak, large_peak)


# -- pages ---------------------------------------------------------------------------------------

def _start_url(poc):
    return reverse("web:poc_series_import_start", args=[poc.pk])


def _page_url(import_):
    return reverse("web:poc_series_import", args=[import_.poc_id, import_.pk])


def _progress_url(import_):
    return reverse("web:poc_series_import_progress", args=[import_.poc_id, import_.pk])


def test_pages_upload_map_and_show_the_result(client, engineer, running, criterion,
                                              django_capture_on_commit_callbacks):
    client.force_login(engineer)
    page = client.get(_start_url(running) + f"?criterion={criterion.pk}")
    assert page.status_code == 200
    assert f'<option value="{criterion.pk}" selected>' in page.content.decode()

    response = client.post(_start_url(running), {"criterion": criterion.pk,
                                                 "file": upload(GOOD)})
    import_ = SeriesImport.objects.get()
    assert response.status_code == 302 and response.url == _page_url(import_)
    page = client.get(_page_url(import_)).content.decode()
    assert 'data-testid="import-mapping"' in page
    assert '<option value="timestamp" selected>timestamp</option>' in page
    assert '<td class="text-nowrap" data-column="throughput"' in page and ">119.25</td>" in page

    response = client.post(_page_url(import_), {"time_column": "Time",
                                                "value_column": "throughput",
                                                "time_zone": "UTC"})
    assert response.status_code == 400
    assert ("There is no column “Time” in this file. Its columns: timestamp, throughput, "
            "operator.") in response.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_page_url(import_), {
            "time_column": "timestamp", "value_column": "throughput",
            "time_zone": "Europe/Paris", "conditions": "Line 2"})
    assert response.status_code == 302 and response.url == _page_url(import_)
    page = client.get(_page_url(import_)).content.decode()
    assert "3 readings of “Throughput” imported." in page
    assert f'href="/pocs/{running.pk}/execution/#criterion-{criterion.pk}"' in page
    assert 'data-testid="import-mapping"' not in page
    assert Measurement.objects.filter(series=import_, conditions="Line 2").count() == 3


def test_the_rejected_page_lists_every_bad_row(client, engineer, running, criterion,
                                               django_capture_on_commit_callbacks):
    import_ = series_import_start(actor=engineer, poc=running, criterion=criterion,
                                  uploaded=upload(GOOD + "2026-01-05 11:00,<b>x</b>,Bo\n"))
    run_import(engineer, import_, time_column="timestamp", value_column="throughput",
               capture=django_capture_on_commit_callbacks)
    client.force_login(engineer)

    page = client.get(_page_url(import_)).content.decode()

    assert "Nothing was imported." in page
    assert "1 row cannot be read: it is listed below." in page
    assert page.count('data-testid="import-error"') == 1
    assert "“&lt;b&gt;x&lt;/b&gt;” is not a number." in page
    assert 'data-testid="import-mapping"' in page  # other columns may be tried


def test_the_progress_bar_polls_until_the_import_is_over(client, engineer, running, criterion,
                                                        django_capture_on_commit_callbacks):
    import_ = series_import_start(actor=engineer, poc=running, criterion=criterion,
                                  uploaded=upload(GOOD))
    SeriesImport.objects.filter(pk=import_.pk).update(status="running", rows_done=5_000,
                                                      rows_total=20_000)
    client.force_login(engineer)

    partial = client.get(_progress_url(import_), headers={"HX-Request": "true"})
    text = partial.content.decode()
    assert partial.status_code == 200
    assert f'hx-get="{_progress_url(import_)}" hx-trigger="every 1s"' in text
    assert 'style="width: 25%"' in text and "5000 of about 20000 rows read" in text
    SeriesImport.objects.filter(pk=import_.pk).update(message="Writing 20000 readings…")
    assert "Writing 20000 readings…" in client.get(_progress_url(import_)).content.decode()

    SeriesImport.objects.filter(pk=import_.pk).update(status="done")
    over = client.get(_progress_url(import_), headers={"HX-Request": "true"})
    assert over.headers["HX-Redirect"] == _page_url(import_)
    assert client.get(_progress_url(import_)).status_code == 302


def test_outsiders_get_404_on_every_import_page(client, engineer, outsider, running, criterion):
    import_ = series_import_start(actor=engineer, poc=running, criterion=criterion,
                                  uploaded=upload(GOOD))
    client.force_login(outsider)

    for url in (_start_url(running), _page_url(import_), _progress_url(import_)):
        assert client.get(url).status_code == 404
    assert client.post(_page_url(import_), {"time_column": "timestamp",
                                            "value_column": "throughput",
                                            "time_zone": "UTC"}).status_code == 404
    import_.refresh_from_db()
    assert import_.status == "mapping"


def test_the_upload_page_explains_a_poc_that_is_not_running(client, engineer, poc):
    make_criterion(poc)
    client.force_login(engineer)

    page = client.get(_start_url(poc)).content.decode()

    assert 'data-testid="import-not-allowed"' in page
    assert 'data-testid="import-upload-form"' not in page
