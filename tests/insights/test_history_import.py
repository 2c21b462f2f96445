"""The history import services, the job and `pocdesk import history`, on small files and on the
two shared CRM datasets (read from /work/shared/data, skipped when absent)."""

import io
import shutil

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from pocdesk.core.errors import ApplicationError, PermissionDenied, ValidationFailed
from pocdesk.core.models import Event
from pocdesk.insights import history as history_module
from pocdesk.insights.history import (
    history_import_run,
    history_import_start,
    history_source_save,
    history_upload_stage,
)
from pocdesk.insights.history_mapping import MappingError, parse_mapping
from pocdesk.insights.history_selectors import (
    history_import_get,
    history_import_state,
    history_source_detail,
    history_sources_for,
)
from pocdesk.insights.models import HistoricalDeal, HistoryImport, HistorySource

from .history_factories import (
    EXAMPLES,
    GOOD_CSV,
    MAPPING_TOML,
    MAVEN_FILE,
    SALVIRT_FILE,
    csv_upload,
    make_deal,
    make_import,
    make_source,
)


@pytest.fixture
def source(team, manager):
    return make_source(team, created_by=manager)


def import_file(source, actor, capture, text=GOOD_CSV, *, dry_run=False, name="crm.csv"):
    with capture(execute=True):
        started = history_import_start(actor=actor, source=source, file=csv_upload(text, name),
                                       file_name=name, dry_run=dry_run)
    started.refresh_from_db()
    return started


# -- sources ------------------------------------------------------------------------------------

def test_a_manager_saves_a_source_from_toml(team, manager):
    source = history_source_save(actor=manager, team=team, name="crm", mapping=MAPPING_TOML)

    assert (source.team, source.name, source.created_by) == (team, "crm", manager)
    assert source.mapping == parse_mapping(MAPPING_TOML).to_json()
    assert list(Event.objects.values_list("verb", "target_id")) == [
        ("history_source.saved", str(source.pk))]


def test_saving_again_replaces_the_mapping_and_an_unchanged_one_writes_nothing(source, manager,
                                                                               team):
    changed = MAPPING_TOML.replace('open = ["Open"]', 'open = ["Open", "Pending"]')

    history_source_save(actor=manager, team=team, name="crm", mapping=changed)
    history_source_save(actor=manager, team=team, name="crm", mapping=changed)

    source.refresh_from_db()
    assert source.mapping["outcome"]["open"] == ["Open", "Pending"]
    assert HistorySource.objects.count() == 1
    assert Event.objects.filter(verb="history_source.saved").count() == 1


def test_the_given_name_wins_over_the_mappings(team, manager):
    source = history_source_save(actor=manager, team=team, name="crm-2025",
                                 mapping=parse_mapping(MAPPING_TOML))

    assert source.name == source.mapping["name"] == "crm-2025"


def test_a_bad_mapping_saves_nothing(team, manager):
    with pytest.raises(MappingError) as caught:
        history_source_save(actor=manager, team=team, name="crm",
                            mapping=MAPPING_TOML.replace('column = "Stage"', ""))

    assert list(caught.value.details["fields"]) == ["outcome.column"]
    assert not HistorySource.objects.exists()
    assert not Event.objects.exists()


@pytest.mark.parametrize(("who", "allowed"), [
    ("anonymous", False), ("engineer", False), ("sales", False), ("outsider", False),
    ("manager", True), ("admin", True)])
def test_only_managers_and_admins_define_sources(actors, team, who, allowed):
    def save():
        return history_source_save(actor=actors[who], team=team, name="crm",
                                   mapping=MAPPING_TOML)

    if allowed:
        assert save().name == "crm"
    else:
        with pytest.raises(PermissionDenied):
            save()
        assert not HistorySource.objects.exists()


@pytest.mark.parametrize(("who", "allowed"), [
    ("anonymous", False), ("engineer", False), ("outsider", False), ("manager", True),
    ("admin", True)])
def test_only_managers_and_admins_import(actors, source, who, allowed):
    def start():
        return history_import_start(actor=actors[who], source=source, file=csv_upload(),
                                    file_name="crm.csv", dry_run=False)

    if allowed:
        assert start().status == "queued"
    else:
        with pytest.raises(PermissionDenied):
            start()
        assert not HistoryImport.objects.exists()


# -- importing ----------------------------------------------------------------------------------

def test_an_import_writes_every_deal_and_an_event(source, manager,
                                                  django_capture_on_commit_callbacks):
    history_import = import_file(source, manager, django_capture_on_commit_callbacks)

    assert (history_import.status, history_import.rows_total, history_import.rows_done,
            history_import.rows_imported) == ("done", 3, 3, 3)
    assert history_import.message == "3 deals imported (1 won, 1 lost, 1 open)."
    assert history_import.finished_at is not None
    deals = list(HistoricalDeal.objects.order_by("row_number").values_list(
        "row_number", "external_id", "outcome", "amount", "currency", "attributes"))
    assert [deal[:3] for deal in deals] == [(2, "A1", "won"), (3, "A2", "lost"), (4, "A3", "open")]
    assert str(deals[0][3]) == "1200.50" and deals[0][4] == "EUR"
    assert deals[0][5] == {"Region": "North", "Seats": 12.0}
    event = Event.objects.get(verb="history_import.done")
    assert (event.team, event.actor, event.data) == (
        source.team, manager, {"count": 3, "source": "crm", "won": 1, "lost": 1, "open": 1})


def test_a_second_import_replaces_the_first(source, manager, django_capture_on_commit_callbacks):
    first = import_file(source, manager, django_capture_on_commit_callbacks)

    second = import_file(source, manager, django_capture_on_commit_callbacks,
                         GOOD_CSV.split("A3")[0])

    assert (first.status, second.status, second.rows_imported) == ("done", "done", 2)
    assert set(HistoricalDeal.objects.values_list("history_import", flat=True)) == {second.pk}
    assert HistoricalDeal.objects.count() == 2


def test_a_dry_run_checks_and_imports_nothing(source, manager,
                                              django_capture_on_commit_callbacks):
    history_import = import_file(source, manager, django_capture_on_commit_callbacks,
                                 dry_run=True)

    assert (history_import.status, history_import.rows_imported) == ("checked", 0)
    assert history_import.message == ("3 deals can be imported (1 won, 1 lost, 1 open). Nothing "
                                       "was imported: this was a dry run.")
    assert not HistoricalDeal.objects.exists()
    assert not Event.objects.filter(verb__startswith="history_import").exists()


@pytest.mark.parametrize(("text", "message", "errors"), [
    (GOOD_CSV.replace("Stage", "Phase"),
     "The file has no column “Stage”. Its header: “Id”, “Phase”, “Amount”, “Opened”, "
     "“Region”, “Seats”, “Closed value”.", []),
    (GOOD_CSV.replace("A2,Lost", "A2,Stalled"),
     "1 error in 1 of 3 rows: nothing was imported. Correct the file or the mapping and import "
     "it again.",
     [{"row": 3, "column": "Stage", "value": "Stalled",
       "message": "Not an outcome of the mapping. Allowed: won: “Won”; lost: “Lost”; open: "
                  "“Open”."}]),
    (GOOD_CSV.replace("South,,", "South,twelve,").replace(",4,", ",4x,"),
     "2 errors in 2 of 3 rows: nothing was imported. Correct the file or the mapping and import "
     "it again.",
     [{"row": 3, "column": "Seats", "value": "twelve",
       "message": "Not a number (write it like 1234.56 or 1,234.56)."},
      {"row": 4, "column": "Seats", "value": "4x",
       "message": "Not a number (write it like 1234.56 or 1,234.56)."}]),
    (GOOD_CSV.replace(",", ";"),
     "The file seems to be separated by “;”, not “,”: set [file] separator.", []),
], ids=["missing outcome column", "unknown outcome value", "bad number", "wrong separator"])
def test_a_rejected_file_imports_nothing_and_keeps_the_previous_deals(
        source, manager, django_capture_on_commit_callbacks, text, message, errors):
    previous = make_import(source, created_by=manager, status="done")
    make_deal(source, previous)

    history_import = import_file(source, manager, django_capture_on_commit_callbacks, text)

    assert (history_import.status, history_import.message, history_import.errors,
            history_import.rows_imported) == ("rejected", message, errors, 0)
    assert list(HistoricalDeal.objects.values_list("history_import", flat=True)) == [previous.pk]
    assert Event.objects.filter(verb="history_import.rejected").count() == 1


def test_only_the_first_thousand_errors_are_kept(source, manager,
                                                 django_capture_on_commit_callbacks):
    rows = "".join(f"A{number},Maybe,1,2025-01-10,North,1,1\r\n" for number in range(1_200))

    history_import = import_file(source, manager, django_capture_on_commit_callbacks,
                                 GOOD_CSV.split("\r\n")[0] + "\r\n" + rows)

    assert len(history_import.errors) == 1_000
    assert history_import.message.startswith("1200 errors in 1200 of 1200 rows")
    assert history_import.message.endswith("The first 1000 are listed.")


def test_a_file_without_rows_is_rejected(source, manager, django_capture_on_commit_callbacks):
    history_import = import_file(source, manager, django_capture_on_commit_callbacks,
                                 GOOD_CSV.split("\r\n")[0] + "\r\n")

    assert history_import.status == "rejected"
    assert history_import.message == ("The file has no deals below its header: nothing was "
                                      "imported.")


@pytest.mark.parametrize(("name", "content", "message"), [
    ("crm.pdf", b"%PDF-1.4", "This type of file is not accepted. Accepted: .csv, .txt, .tsv, .xlsx."),
    ("crm.csv", b"", "The file is empty."),
    ("crm.xlsx", b"Id,Stage\r\n", "This file is not an XLSX workbook."),
    ("crm.csv", b"PK\x03\x04rest", "This file is a workbook or an archive, not a CSV text file."),
])
def test_an_unacceptable_upload_is_refused_before_anything_is_stored(source, manager, name,
                                                                     content, message):
    with pytest.raises(ValidationFailed) as caught:
        history_import_start(actor=manager, source=source, file=io.BytesIO(content),
                             file_name=name)

    assert caught.value.fields == {"file": [message]}
    assert not HistoryImport.objects.exists()


def test_a_file_over_the_upload_limit_is_refused(source, manager, settings):
    settings.POCDESK_MAX_UPLOAD_MB = 0

    with pytest.raises(ValidationFailed) as caught:
        history_import_start(actor=manager, source=source, file=csv_upload(),
                             file_name="crm.csv")

    assert caught.value.fields == {"file": ["The file is larger than 0 MB."]}


def test_a_source_without_mapping_cannot_import(team, manager):
    source = HistorySource.objects.create(team=team, name="empty", created_by=manager)

    with pytest.raises(ApplicationError) as caught:
        history_import_start(actor=manager, source=source, file=csv_upload(),
                             file_name="crm.csv")

    assert caught.value.code == "no_mapping"


def test_the_job_runs_only_a_queued_import(source, manager, django_capture_on_commit_callbacks):
    history_import = import_file(source, manager, django_capture_on_commit_callbacks)

    again = history_import_run(history_import.pk)

    assert again.status == "done"
    assert HistoricalDeal.objects.count() == 3
    assert history_import_run(999_999) is None


def test_an_unexpected_error_rejects_the_import(source, manager, monkeypatch,
                                                django_capture_on_commit_callbacks):
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(history_module, "read_history", broken)

    history_import = import_file(source, manager, django_capture_on_commit_callbacks)

    assert history_import.status == "rejected"
    assert history_import.message == ("The import stopped on an unexpected error: nothing was "
                                      "imported. Try again.")


def test_an_xlsx_upload_is_imported(source, manager, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .test_history_read import xlsx_bytes

    content = xlsx_bytes([["Id", "Stage", "Amount", "Opened", "Region", "Seats"],
                          ["B1", "Won", 10, "2025-01-02", "East", 3]])
    with django_capture_on_commit_callbacks(execute=True):
        history_import = history_import_start(
            actor=manager, source=source, file=SimpleUploadedFile("crm.xlsx", content),
            file_name="crm.xlsx")

    history_import.refresh_from_db()
    assert (history_import.status, history_import.rows_imported) == ("done", 1)


# -- selectors ----------------------------------------------------------------------------------

def test_sources_are_listed_with_their_counts_in_one_query(team, other_team, manager, outsider,
                                                           django_assert_num_queries):
    for name in ("alpha", "beta"):
        source = make_source(team, created_by=manager, name=name)
        history_import = make_import(source, created_by=manager, status="done")
        for row, outcome in enumerate(("won", "won", "lost", "open"), 2):
            make_deal(source, history_import, row_number=row, outcome=outcome)
    make_source(other_team, created_by=outsider, name="theirs")
    manager.refresh_from_db()

    with django_assert_num_queries(2):  # the actor's teams, then the sources
        sources = list(history_sources_for(manager))

    assert [(s.name, s.deals_won, s.deals_lost, s.deals_open) for s in sources] == [
        ("alpha", 2, 1, 1), ("beta", 2, 1, 1)]


def test_a_sources_detail_costs_two_queries(source, manager, django_assert_num_queries):
    for number in range(3):
        history_import = make_import(source, created_by=manager, status="done")
        make_deal(source, history_import, row_number=number + 2,
                  outcome=("won", "lost", "open")[number])

    with django_assert_num_queries(2):
        detail = history_source_detail(source)

    assert detail.counts == {"won": 1, "lost": 1, "open": 1}
    assert detail.total == 3
    assert len(detail.imports) == 3


def test_a_sources_scored_open_deals_come_likeliest_first_in_three_queries(
        source, manager, django_assert_num_queries):
    history_import = make_import(source, created_by=manager, status="done")
    for number, probability in enumerate((0.2, None, 0.9, 0.5)):
        deal = make_deal(source, history_import, row_number=number + 2, outcome="open")
        deal.probability = probability
        deal.factors = [] if probability is None else [
            {"feature": "Budget", "value": "Allocated", "direction": "positive",
             "weight": 0.12}]
        deal.save()

    with django_assert_num_queries(3):
        detail = history_source_detail(source, open_deals=True)

    assert [row["percent"] for row in detail.open_deals] == [90, 50, 20, None]
    assert detail.open_deals[0]["factors"][0]["message"] == (
        "Budget is “Allocated”: raises the chance by 12 points")


def test_an_imports_state(source, manager, outsider):
    history_import = make_import(source, created_by=manager, status="running", rows_total=200,
                                 rows_done=50)

    state = history_import_state(history_import_get(user=manager, import_id=history_import.pk))

    assert (state["status"], state["percent"], state["finished"]) == ("running", 25, False)
    with pytest.raises(ApplicationError):
        history_import_get(user=outsider, import_id=history_import.pk)


def test_uploads_staged_and_abandoned_go_a_day_later(team, manager, time_machine):
    time_machine.move_to("2025-03-01 09:00Z")
    abandoned = history_upload_stage(actor=manager, team=team, file=csv_upload(),
                                     file_name="crm.csv")
    time_machine.move_to("2025-03-01 20:00Z")
    recent = history_upload_stage(actor=manager, team=team, file=csv_upload(),
                                  file_name="crm.csv")

    time_machine.move_to("2025-03-02 10:00Z")
    latest = history_upload_stage(actor=manager, team=team, file=csv_upload(),
                                  file_name="crm.csv")

    assert [default_storage.exists(key) for key in (abandoned, recent, latest)] == [
        False, True, True]


# -- the command line ---------------------------------------------------------------------------

def run_cli(*arguments):
    out, err = io.StringIO(), io.StringIO()
    call_command("import", "history", *map(str, arguments), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def cli_error(*arguments):
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import", "history", *map(str, arguments), stdout=io.StringIO(),
                     stderr=err)
    assert caught.value.returncode == 2
    return str(caught.value), err.getvalue()


@pytest.fixture
def mapping_file(tmp_path):
    path = tmp_path / "crm.toml"
    path.write_text(MAPPING_TOML, encoding="utf-8")
    return path


def test_the_cli_imports_as_the_teams_manager(tmp_path, team, manager, engineer, mapping_file):
    data = tmp_path / "crm.csv"
    data.write_text(GOOD_CSV, encoding="utf-8")

    out, _err = run_cli(data, "--mapping", mapping_file)

    assert out.strip() == "3 deals imported (1 won, 1 lost, 1 open) into source crm"
    source = HistorySource.objects.get()
    assert (source.team, source.created_by, source.deals.count()) == (team, manager, 3)


def test_the_cli_prints_every_bad_cell_and_imports_nothing(tmp_path, team, manager,
                                                           mapping_file):
    rows = "".join(f"A{number},Maybe,1,2025-01-10,North,1,1\r\n" for number in range(60))
    data = tmp_path / "crm.csv"
    data.write_text(GOOD_CSV + rows, encoding="utf-8")

    message, err = cli_error(data, "--mapping", mapping_file, "--user", "manager")

    assert message.startswith("60 errors in 60 of 63 rows: nothing was imported.")
    lines = err.splitlines()
    assert lines[0].split() == ["Row", "Column", "Value", "Problem"]
    assert lines[1].split()[:3] == ["5", "Stage", "Maybe"]
    assert len(lines) == 52 and lines[-1] == "… and 10 more."
    assert not HistoricalDeal.objects.exists()


@pytest.mark.parametrize("dry_run", [False, True], ids=["import", "dry run"])
def test_the_cli_counts_every_bad_cell_beyond_the_thousand_kept(tmp_path, team, manager,
                                                                mapping_file, dry_run):
    rows = "".join(f"A{number},Maybe,1,2025-01-10,North,1,1\r\n" for number in range(1_200))
    data = tmp_path / "crm.csv"
    data.write_text(GOOD_CSV + rows, encoding="utf-8")

    message, err = cli_error(data, "--mapping", mapping_file, *(["--dry-run"] if dry_run else []))

    assert message.startswith("1200 errors in 1200 of 1203 rows: nothing was imported.")
    assert len(HistoryImport.objects.get().errors) == 1_000
    assert err.splitlines()[-1] == "… and 1150 more."


def test_the_cli_refuses_bad_input_in_one_line(tmp_path, team, other_team, manager, outsider,
                                               engineer, mapping_file):
    data = tmp_path / "crm.csv"
    data.write_text(GOOD_CSV, encoding="utf-8")
    bad_mapping = tmp_path / "bad.toml"
    bad_mapping.write_text(MAPPING_TOML.replace('column = "Stage"', ""), encoding="utf-8")

    assert cli_error(data, "--mapping", mapping_file)[0] == "Give the team with --team SLUG."
    assert cli_error(data, "--mapping", mapping_file, "--user", "nobody")[0] == (
        "Unknown or inactive user “nobody”.")
    assert cli_error(data, "--mapping", mapping_file, "--user", "engineer")[0] == (
        "You do not have permission to do this.")
    assert cli_error(data, "--mapping", bad_mapping, "--team", "lighting")[0].startswith(
        "The column mapping is not valid. outcome.column: Give the column")
    assert cli_error(tmp_path / "missing.csv", "--mapping", mapping_file, "--team",
                     "lighting")[0].startswith("Cannot read")
    assert not HistoryImport.objects.exists()


# -- the two shared datasets --------------------------------------------------------------------

def shared(path):
    if not path.is_file():
        pytest.skip(f"The shared dataset {path} is absent.")
    return path


def test_the_maven_pipeline_imports_end_to_end(team, manager):
    data = shared(MAVEN_FILE)
    mapping = EXAMPLES / "maven-crm.toml"

    dry_out, _err = run_cli(data, "--mapping", mapping, "--dry-run")
    assert not HistoricalDeal.objects.exists()
    out, _err = run_cli(data, "--mapping", mapping)
    again, _err = run_cli(data, "--mapping", mapping)

    assert dry_out.strip() == ("8800 deals can be imported (4238 won, 2473 lost, 2089 open). "
                               "Nothing was imported: this was a dry run.")
    assert out == again
    assert out.strip() == "8800 deals imported (4238 won, 2473 lost, 2089 open) into source " \
                          "maven-crm"
    source = HistorySource.objects.get(name="maven-crm")
    assert source.deals.count() == 8_800
    assert source.imports.filter(status="done").count() == 2
    first = source.deals.get(row_number=2)
    assert (first.external_id, first.owner_name, first.outcome, first.currency,
            str(first.opened_on), first.amount) == ("1C1I7A6R", "Moses Frase", "won", "USD",
                                                    "2016-10-20", None)
    assert first.attributes == {"sales_agent": "Moses Frase", "product": "GTX Plus Basic",
                                "account": "Cancity"}
    assert "close_value" not in first.attributes
    assert source.deals.filter(outcome="open", attributes__account=None).count() == 1_425


def test_the_salvirt_deals_import_end_to_end(team, manager, tmp_path):
    data = shutil.copy(shared(SALVIRT_FILE), tmp_path / "salvirt.csv")

    out, _err = run_cli(data, "--mapping", EXAMPLES / "salvirt-b2b.toml")

    assert out.strip() == "448 deals imported (227 won, 221 lost, 0 open) into source " \
                          "salvirt-b2b"
    deal = HistorySource.objects.get(name="salvirt-b2b").deals.get(row_number=2)
    assert len(deal.attributes) == 22
    assert (deal.attributes["Purch_dept"], deal.attributes["Competitors"]) == ("Unknown", "No")


def test_the_salvirt_file_with_the_wrong_separator_is_explained(team, manager, tmp_path):
    mapping = tmp_path / "salvirt.toml"
    mapping.write_text((EXAMPLES / "salvirt-b2b.toml").read_text(encoding="utf-8")
                       .replace('separator = ";"', 'separator = ","'), encoding="utf-8")

    message, _err = cli_error(shared(SALVIRT_FILE), "--mapping", mapping)

    assert message == "The file seems to be separated by “;”, not “,”: set [file] separator."
    assert not HistoricalDeal.objects.exists()
