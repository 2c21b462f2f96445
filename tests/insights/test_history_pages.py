"""The CRM history pages: upload, the mapping step with its preview, dry run, import, progress,
the result with every bad cell, and the mapping as TOML."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pocdesk.insights.history_mapping import parse_mapping
from pocdesk.insights.models import HistoricalDeal, HistoryImport, HistorySource

from .history_factories import GOOD_CSV, MAPPING_TOML, make_deal, make_import, make_source


@pytest.fixture
def source(team, manager):
    return make_source(team, created_by=manager)


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def upload(text=GOOD_CSV, name="crm.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def staged(client, source, text=GOOD_CSV) -> str:
    """Upload a file for `source`; the mapping step's address."""
    response = client.post(f"/insights/history/sources/{source.pk}/",
                           {"source": source.pk, "file": upload(text)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def staged_files() -> list[str]:
    return (default_storage.listdir("history/staged")[1]
            if default_storage.exists("history/staged") else [])


def mapping_post(**changes) -> dict:
    """The mapping form as the page posts it for MAPPING_TOML and GOOD_CSV's columns."""
    data = {"format": "csv", "separator": ",", "encoding": "utf-8", "sheet": "",
            "outcome_column": "Stage", "won": "Won", "lost": "Lost", "open": "Open",
            "default_currency": "EUR", "date_format": "", "decimal": ".",
            "column_id": "Id", "column_amount": "Amount", "column_opened": "Opened",
            "kind_0": "ignored", "kind_1": "ignored", "kind_2": "ignored", "kind_3": "ignored",
            "kind_4": "categorical", "kind_5": "numeric", "kind_6": "excluded",
            "action": "dry_run"}
    data.update(changes)
    return data


def test_the_sources_page_lists_the_sources_in_constant_queries(
        manager_client, team, manager, django_assert_num_queries):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = manager_client.get("/insights/history/")
        assert response.status_code == 200
        return len(captured.captured_queries), response

    for name in ("alpha", "beta"):
        make_source(team, created_by=manager, name=name)
    few, response = count_queries()
    for name in ("gamma", "delta", "epsilon"):
        source = make_source(team, created_by=manager, name=name)
        make_deal(source, make_import(source, created_by=manager))
    with django_assert_num_queries(few):
        many, response = count_queries()

    assert few == many
    assert response.content.decode().count('data-testid="history-source"') == 5
    assert 'data-testid="history-upload-form"' in response.content.decode()


def test_an_engineer_sees_the_sources_but_cannot_upload(client, engineer, source):
    client.force_login(engineer)

    response = client.get("/insights/history/")

    assert 'data-testid="history-not-allowed"' in response.content.decode()
    before = staged_files()
    refused = client.post("/insights/history/", {"source": source.pk, "file": upload()})
    assert refused.status_code == 400
    assert staged_files() == before


def test_the_mapping_step_is_prefilled_from_the_saved_mapping(manager_client, source):
    page = manager_client.get(staged(manager_client, source))

    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["outcome_column"] == "Stage"
    assert (form.initial["won"], form.initial["open"]) == ("Won", "Open")
    assert [form.initial[f"kind_{index}"] for index in range(7)] == [
        "ignored", "ignored", "ignored", "ignored", "categorical", "numeric", "excluded"]
    assert page.context["header"][:2] == ["Id", "Stage"]
    assert len(page.context["preview"]) == 3


def test_a_dry_run_then_an_import_from_the_same_upload(manager_client, source,
                                                       django_capture_on_commit_callbacks):
    map_url = staged(manager_client, source)

    with django_capture_on_commit_callbacks(execute=True):
        checked = manager_client.post(map_url, mapping_post())
    page = manager_client.get(checked["Location"])

    assert page.status_code == 200
    assert 'data-testid="history-checked"' in page.content.decode()
    assert not HistoricalDeal.objects.exists()
    dry_run = HistoryImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        started = manager_client.post(f"/insights/history/imports/{dry_run.pk}/")
    done = manager_client.get(started["Location"])

    assert 'data-testid="history-done"' in done.content.decode()
    assert HistoricalDeal.objects.count() == 3
    assert done.context["counts"] == {"won": 1, "lost": 1, "open": 1}
    assert manager_client.get(map_url).status_code == 404  # the kept upload is gone


def test_a_mapping_changed_on_the_page_is_saved_with_the_source(
        manager_client, source, django_capture_on_commit_callbacks):
    map_url = staged(manager_client, source)

    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(map_url, mapping_post(kind_5="ignored", open="Open\nPending",
                                                  action="import"))

    source.refresh_from_db()
    assert source.mapping["features"] == [{"name": "Region", "kind": "categorical"}]
    assert source.mapping["outcome"]["open"] == ["Open", "Pending"]
    assert HistoricalDeal.objects.count() == 3


def test_a_rejected_import_lists_every_bad_cell(manager_client, source,
                                                django_capture_on_commit_callbacks):
    map_url = staged(manager_client, source, GOOD_CSV.replace("A2,Lost", "A2,Stalled"))

    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(map_url, mapping_post(action="import"))
    page = manager_client.get(response["Location"])

    content = page.content.decode()
    assert 'data-testid="history-rejected"' in content
    assert page.context["errors"] == [{"row": 3, "column": "Stage", "value": "Stalled",
                                       "message": "Not an outcome of the mapping. Allowed: "
                                                  "won: “Won”; lost: “Lost”; open: “Open”."}]
    assert content.count('data-testid="history-error"') == 1
    assert not HistoricalDeal.objects.exists()


def test_mapping_errors_come_back_under_their_fields(manager_client, source):
    map_url = staged(manager_client, source)

    response = manager_client.post(map_url, mapping_post(lost="Won", default_currency="EURO"))

    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["lost"] == ["“Won” is also listed in outcome.won."]
    assert "EURO" in form.errors["default_currency"][0]
    assert not HistoryImport.objects.exists()
    assert parse_mapping(MAPPING_TOML).to_json() == HistorySource.objects.get().mapping


def test_the_wrong_separator_is_pointed_out_in_the_preview(manager_client, source):
    page = manager_client.get(staged(manager_client, source, GOOD_CSV.replace(",", ";")))

    assert page.context["problem"] == ("The file seems to be separated by “;”, not “,”: set "
                                       "[file] separator.")
    fixed = manager_client.post(page.request["PATH_INFO"], {**mapping_post(separator=";"),
                                                            "action": "preview"})
    assert fixed.status_code == 200
    assert (fixed.context["problem"], len(fixed.context["header"])) == ("", 7)


def test_a_new_source_is_created_from_the_page(manager_client, team,
                                               django_capture_on_commit_callbacks):
    response = manager_client.post("/insights/history/", {
        "team": team.pk, "name": "crm-2025", "file": upload(GOOD_CSV.replace(",", ";"))})
    page = manager_client.get(response["Location"])

    assert page.context["form"].initial["separator"] == ";"
    assert page.context["form"].initial["outcome_column"] == "Stage"
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(response["Location"], mapping_post(separator=";", name="crm-2025",
                                                               action="import"))

    source = HistorySource.objects.get()
    assert (source.team, source.name, source.deals.count()) == (team, "crm-2025", 3)


def test_the_progress_bar_polls_until_the_end(manager_client, source, manager):
    history_import = make_import(source, created_by=manager, status="running", rows_total=10,
                                 rows_done=4)
    url = f"/insights/history/imports/{history_import.pk}/progress/"

    polled = manager_client.get(url, headers={"HX-Request": "true"})
    assert polled.status_code == 200
    assert 'hx-trigger="every 1s"' in polled.content.decode()
    assert "4 of about 10 rows read" in polled.content.decode()

    HistoryImport.objects.filter(pk=history_import.pk).update(status="done")
    finished = manager_client.get(url, headers={"HX-Request": "true"})
    assert finished["HX-Redirect"] == f"/insights/history/imports/{history_import.pk}/"


def test_the_source_page_in_constant_queries(manager_client, source, manager,
                                             django_assert_num_queries):
    def count_queries():
        with CaptureQueriesContext(connection) as captured:
            response = manager_client.get(f"/insights/history/sources/{source.pk}/")
        assert response.status_code == 200
        return len(captured.captured_queries), response

    make_deal(source, make_import(source, created_by=manager, status="done"))
    few, _response = count_queries()
    for number in range(5):
        make_deal(source, make_import(source, created_by=manager, status="rejected"),
                  row_number=number + 3, outcome="lost")
    with django_assert_num_queries(few):
        many, response = count_queries()

    assert few == many
    assert response.context["detail"].counts == {"won": 1, "lost": 5, "open": 0}
    assert 'data-testid="history-mapping-download"' in response.content.decode()


def test_the_mapping_downloads_as_toml(manager_client, source):
    response = manager_client.get(f"/insights/history/sources/{source.pk}/mapping.toml")

    assert response["Content-Disposition"] == 'attachment; filename="crm.toml"'
    assert parse_mapping(response.content.decode()) == parse_mapping(MAPPING_TOML)


def test_another_teams_pages_are_not_found(client, outsider, source, manager):
    history_import = make_import(source, created_by=manager)
    client.force_login(outsider)

    assert client.get(f"/insights/history/sources/{source.pk}/").status_code == 404
    assert client.get(f"/insights/history/imports/{history_import.pk}/").status_code == 404
    assert client.get(f"/insights/history/sources/{source.pk}/mapping.toml").status_code == 404
    assert client.get("/insights/history/uploads/nothing/").status_code == 404
