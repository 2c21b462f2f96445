"""/api/v1/history-sources and /history-imports: the same services as the page and the CLI."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pocdesk.insights.history_mapping import parse_mapping
from pocdesk.insights.models import HistoricalDeal, HistoryImport, HistorySource
from pocdesk.people.services import api_token_create

from ..api.conftest import ApiClient
from .history_factories import GOOD_CSV, MAPPING_TOML, make_deal, make_import, make_source


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_as(db):
    def make(user) -> ApiClient:
        _token, key = api_token_create(actor=user, user=user, name="tests")
        return ApiClient(key)

    return make


@pytest.fixture
def source(team, manager):
    return make_source(team, created_by=manager)


def upload(text=GOOD_CSV, name="crm.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_a_manager_creates_a_source_from_toml_then_replaces_its_mapping_with_json(
        api_as, team, manager):
    client = api_as(manager)

    created = client.post("/history-sources", {"name": "crm", "team": team.pk,
                                                "mapping": MAPPING_TOML})
    document = parse_mapping(MAPPING_TOML).as_document()
    document["outcome"]["open"] = ["Open", "Pending"]
    replaced = client.post("/history-sources", {"name": "crm", "team": team.pk,
                                                 "mapping": document})

    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["name"], body["team"], body["deals"]) == (
        "crm", {"id": team.pk, "name": "Lighting"}, {"won": 0, "lost": 0, "open": 0})
    assert parse_mapping(body["mapping_toml"]) == parse_mapping(MAPPING_TOML)
    assert replaced.status_code == 200
    assert replaced.json()["mapping"]["outcome"]["open"] == ["Open", "Pending"]
    assert HistorySource.objects.count() == 1


def test_a_bad_mapping_is_a_422_naming_every_key(api_as, team, manager):
    response = api_as(manager).post("/history-sources", {
        "name": "crm", "team": team.pk,
        "mapping": MAPPING_TOML.replace('column = "Stage"', "").replace('"EUR"', '"EURO"')})

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_mapping"
    assert sorted(body["details"]["fields"]) == ["defaults.currency", "outcome.column"]
    assert not HistorySource.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("engineer", 403), ("outsider", 422),
                                             ("admin", 201)])
def test_who_may_define_a_source(api_as, actors, team, who, status):
    response = api_as(actors[who]).post("/history-sources", {"name": "crm", "team": team.pk,
                                                              "mapping": MAPPING_TOML})

    assert response.status_code == status
    assert HistorySource.objects.exists() == (status == 201)


def test_sources_are_listed_for_the_users_teams(api_as, source, manager, other_team, outsider,
                                                engineer):
    history_import = make_import(source, created_by=manager, status="done")
    make_deal(source, history_import, outcome="lost")
    make_source(other_team, created_by=outsider, name="theirs")

    response = api_as(engineer).get("/history-sources")

    assert response.status_code == 200
    assert response.json()["count"] == 1
    item = response.json()["items"][0]
    assert (item["id"], item["name"], item["deals"]) == (source.pk, "crm",
                                                          {"won": 0, "lost": 1, "open": 0})


def test_a_sources_detail_costs_the_same_queries_with_one_import_or_five(api_as, source,
                                                                         manager, engineer):
    client = api_as(manager)
    make_import(source, created_by=manager, status="done")
    client.get(f"/history-sources/{source.pk}")  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as one:
        response = client.get(f"/history-sources/{source.pk}")
    for creator in (manager, engineer, manager, engineer):
        make_import(source, created_by=creator, status="rejected")

    with CaptureQueriesContext(connection) as five:
        more = client.get(f"/history-sources/{source.pk}")

    assert (response.status_code, len(response.json()["imports"])) == (200, 1)
    assert (more.status_code, len(more.json()["imports"])) == (200, 5)
    assert len(five.captured_queries) == len(one.captured_queries)


def test_another_teams_source_is_not_found(api_as, source, outsider):
    assert api_as(outsider).get(f"/history-sources/{source.pk}").status_code == 404


def test_an_upload_is_imported_and_followed(api_as, source, manager,
                                            django_capture_on_commit_callbacks):
    client = api_as(manager)

    with django_capture_on_commit_callbacks(execute=True):
        started = client.post_form(f"/history-sources/{source.pk}/imports", {"file": upload()})
    followed = client.get(f"/history-imports/{started.json()['id']}")
    detail = client.get(f"/history-sources/{source.pk}")

    assert started.status_code == 202, started.json()
    assert followed.status_code == 200
    body = followed.json()
    assert (body["status"], body["rows_imported"], body["percent"], body["finished"],
            body["errors"]) == ("done", 3, 100, True, [])
    assert detail.json()["deals"] == {"won": 1, "lost": 1, "open": 1}
    assert [item["status"] for item in detail.json()["imports"]] == ["done"]


def test_a_dry_run_through_the_api_imports_nothing(api_as, source, manager,
                                                   django_capture_on_commit_callbacks):
    client = api_as(manager)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post_form(f"/history-sources/{source.pk}/imports",
                                   {"file": upload(), "dry_run": "true"})
    response = client.get(f"/history-imports/{started.json()['id']}")

    assert (started.status_code, started.json()["status"]) == (202, "queued")
    assert (response.json()["status"], response.json()["dry_run"]) == ("checked", True)
    assert not HistoricalDeal.objects.exists()


def test_a_rejected_upload_lists_every_bad_cell(api_as, source, manager,
                                                django_capture_on_commit_callbacks):
    client = api_as(manager)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post_form(f"/history-sources/{source.pk}/imports",
                                   {"file": upload(GOOD_CSV.replace("A2,Lost", "A2,Stalled"))})

    body = client.get(f"/history-imports/{started.json()['id']}").json()
    assert body["status"] == "rejected"
    assert body["errors"] == [{"row": 3, "column": "Stage", "value": "Stalled", "message":
                               "Not an outcome of the mapping. Allowed: won: “Won”; lost: "
                               "“Lost”; open: “Open”."}]
    assert not HistoricalDeal.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("engineer", 403), ("outsider", 404)])
def test_only_managers_upload(api_as, actors, source, who, status):
    response = api_as(actors[who]).post_form(f"/history-sources/{source.pk}/imports",
                                             {"file": upload()})

    assert response.status_code == status
    assert not HistoryImport.objects.exists()


def test_a_wrong_file_type_is_a_422_on_file(api_as, source, manager):
    response = api_as(manager).post_form(f"/history-sources/{source.pk}/imports",
                                         {"file": upload(name="crm.pdf")})

    assert response.status_code == 422
    assert list(response.json()["details"]["fields"]) == ["file"]


def test_anonymous_callers_are_refused(anonymous_api_client, source):
    assert anonymous_api_client.get("/history-sources").status_code == 401


@pytest.fixture
def anonymous_api_client():
    return ApiClient()
