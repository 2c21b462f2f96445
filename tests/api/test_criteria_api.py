"""The success criteria through the API: the draft criteria, the measurability rules on every
comparator, ordering, copying and the team's criteria library."""

import uuid

import pytest

from pocdesk.core.models import Event
from pocdesk.criteria.models import Criterion, CriterionTemplate
from tests.factories import POCFactory, make_criterion

THROUGHPUT = {
    "title": "Throughput", "question": "Does the line keep up with peak load?",
    "metric": "throughput", "unit": "t/h", "comparator": "gte", "target_value": "120",
    "test_conditions": "Wet ore, 40 °C", "measurement_method": "Weighbridge totals per hour",
    "frequency": "hourly", "aggregation": "mean", "owner_side": "customer", "importance": 5,
    "must_have": True,
}
MEASURABLE = ("Give a number to reach with its unit (e.g. ≥ 99 %), or choose a pass/fail test "
              "and describe what passes.")


def criteria_state(poc):
    """What a refused call must leave untouched."""
    return (list(Criterion.objects.filter(poc=poc).order_by("pk").values_list()),
            list(CriterionTemplate.objects.order_by("pk").values_list()),
            Event.objects.exclude(verb__startswith="token.").count())


# --- create, read ------------------------------------------------------------------------------

def test_a_criterion_is_created_with_every_field(poc, engineer, api_as):
    api = api_as(engineer)

    response = api.post(f"/pocs/{poc.pk}/criteria", THROUGHPUT)

    assert response.status_code == 201, response.content
    body = response.json()
    stored = Criterion.objects.get(poc=poc)
    assert body == {
        **THROUGHPUT, "id": stored.pk, "key": str(stored.key), "position": 1,
        "tolerance": None, "target_min": None, "target_max": None, "pass_condition": "",
        "required_share": None, "target_text": "≥ 120 t/h",
        "created_at": body["created_at"]}
    assert body["created_at"].startswith(stored.created_at.isoformat()[:19])
    assert Event.objects.filter(verb="criterion.created", poc=poc).count() == 1
    assert api.get(f"/pocs/{poc.pk}/criteria/{stored.pk}").json() == body
    assert api.get(f"/pocs/{poc.pk}/criteria").json() == {"items": [body], "count": 1}


def test_the_list_is_in_order_and_paginated(poc, engineer, api_as):
    for number in range(3):
        make_criterion(poc, title=f"Criterion {number}")

    body = api_as(engineer).get(f"/pocs/{poc.pk}/criteria", {"page_size": 2}).json()

    assert body["count"] == 3
    assert [(item["title"], item["position"]) for item in body["items"]] == [
        ("Criterion 0", 1), ("Criterion 1", 2)]


def test_a_vague_criterion_is_refused_with_the_measurable_message(poc, engineer, api_as):
    before = criteria_state(poc)

    response = api_as(engineer).post(f"/pocs/{poc.pk}/criteria", {"title": "The system works"})

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    fields = body["details"]["fields"]
    assert sorted(fields) == ["measurement_method", "metric", "target_value", "unit"]
    assert fields["target_value"] == ["Give the target value. " + MEASURABLE]
    assert fields["metric"] == [
        "Name what is measured (e.g. throughput, colour temperature). " + MEASURABLE]
    assert criteria_state(poc) == before


BASE = {"title": "Criterion", "metric": "value", "unit": "K",
        "measurement_method": "Spectrometer reading"}


@pytest.mark.parametrize(("fields", "target_text"), [
    ({"comparator": "gte", "target_value": "120", "unit": "t/h"}, "≥ 120 t/h"),
    ({"comparator": "lte", "target_value": 250, "unit": "ms"}, "≤ 250 ms"),
    ({"comparator": "eq", "target_value": "2700", "tolerance": "100"}, "2700 ± 100 K"),
    ({"comparator": "eq", "target_value": "2700.50"}, "2700.5 K"),
    ({"comparator": "between", "target_min": "2600", "target_max": "2800"}, "2600–2800 K"),
    ({"comparator": "pass_fail", "metric": "", "unit": "", "aggregation": "latest",
      "pass_condition": "No failure in 720 h"}, "pass: No failure in 720 h"),
    ({"comparator": "pass_fail", "metric": "", "unit": "", "aggregation": "share_passing",
      "required_share": "90", "pass_condition": "Fabric passes the test"},
     "pass: Fabric passes the test in at least 90 % of readings"),
    ({"comparator": "gte", "target_value": "99", "unit": "%", "aggregation": "share_passing",
      "required_share": "95"}, "≥ 99 % in at least 95 % of readings"),
])
def test_every_comparator_is_accepted_with_its_fields(poc, engineer, api_as, fields,
                                                      target_text):
    response = api_as(engineer).post(f"/pocs/{poc.pk}/criteria", {**BASE, **fields})

    assert response.status_code == 201, response.content
    assert response.json()["target_text"] == target_text
    assert response.json()["comparator"] == fields["comparator"]


@pytest.mark.parametrize(("fields", "bad_fields"), [
    ({"comparator": "gte"}, ["target_value"]),
    ({"comparator": "gte", "target_value": "1", "tolerance": "1"}, ["tolerance"]),
    ({"comparator": "lte", "target_value": "1", "target_min": "0"}, ["target_min"]),
    ({"comparator": "lte", "target_value": "1", "unit": ""}, ["unit"]),
    ({"comparator": "eq", "tolerance": "1"}, ["target_value"]),
    ({"comparator": "between", "target_min": "1"}, ["target_max"]),
    ({"comparator": "between", "target_min": "5", "target_max": "5"}, ["target_max"]),
    ({"comparator": "between", "target_min": "1", "target_max": "5", "target_value": "3"},
     ["target_value"]),
    ({"comparator": "between", "target_min": "1", "target_max": "5", "tolerance": "1"},
     ["tolerance"]),
    ({"comparator": "pass_fail"}, ["pass_condition"]),
    ({"comparator": "pass_fail", "pass_condition": "Runs", "target_value": "1"},
     ["target_value"]),
    ({"comparator": "pass_fail", "pass_condition": "Runs", "aggregation": "mean"},
     ["aggregation"]),
    ({"comparator": "gte", "target_value": "1", "required_share": "50"}, ["required_share"]),
    ({"comparator": "gte", "target_value": "1", "aggregation": "share_passing"},
     ["required_share"]),
    ({"comparator": "gte", "target_value": "1", "measurement_method": " "},
     ["measurement_method"]),
    ({"comparator": "about", "target_value": "1"}, ["comparator"]),
    ({"comparator": "gte", "target_value": "NaN"}, ["target_value"]),
    ({"comparator": "gte", "target_value": "1", "importance": 6}, ["importance"]),
    ({"comparator": "gte", "target_value": "1", "colour": "red"}, ["colour"]),
])
def test_a_comparator_with_the_wrong_fields_is_refused(poc, engineer, api_as, fields,
                                                       bad_fields):
    before = criteria_state(poc)

    response = api_as(engineer).post(f"/pocs/{poc.pk}/criteria", {**BASE, **fields})

    assert response.status_code == 422, response.content
    assert sorted(response.json()["details"]["fields"]) == bad_fields
    assert criteria_state(poc) == before


# --- change, delete ----------------------------------------------------------------------------

def test_a_criterion_changes_comparator_when_its_target_is_cleared(poc, engineer, api_as):
    criterion = make_criterion(poc)
    api = api_as(engineer)
    path = f"/pocs/{poc.pk}/criteria/{criterion.pk}"

    refused = api.patch(path, {"comparator": "between", "target_min": "100"})
    response = api.patch(path, {"comparator": "between", "target_value": None,
                                "target_min": "100", "target_max": "140"})

    assert refused.status_code == 422
    assert sorted(refused.json()["details"]["fields"]) == ["target_max", "target_value"]
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["comparator"], body["target_value"], body["target_min"], body["target_max"],
            body["target_text"], body["title"], body["key"]) == (
        "between", None, "100", "140", "100–140 t/h", "Throughput", str(criterion.key))
    event = Event.objects.get(verb="criterion.changed")
    assert sorted(event.data["changes"]) == ["comparator", "target_max", "target_min",
                                             "target_value"]


@pytest.mark.parametrize(("body", "bad_fields"), [
    ({"measurement_method": ""}, ["measurement_method"]),
    ({"title": None}, ["title"]),
    ({"importance": 0}, ["importance"]),
    ({"key": str(uuid.uuid4())}, ["key"]),
])
def test_a_change_that_breaks_the_criterion_is_refused(poc, engineer, api_as, body, bad_fields):
    criterion = make_criterion(poc)
    before = criteria_state(poc)

    response = api_as(engineer).patch(f"/pocs/{poc.pk}/criteria/{criterion.pk}", body)

    assert response.status_code == 422
    assert sorted(response.json()["details"]["fields"]) == bad_fields
    assert criteria_state(poc) == before


def test_a_criterion_is_deleted(poc, engineer, api_as):
    criterion = make_criterion(poc)
    api = api_as(engineer)
    path = f"/pocs/{poc.pk}/criteria/{criterion.pk}"

    response = api.delete(path)

    assert (response.status_code, response.content) == (204, b"")
    assert not Criterion.objects.exists()
    assert api.get(path).status_code == 404
    assert api.delete(path).status_code == 404


def test_another_poc_s_criterion_is_not_found_through_this_poc(poc, opportunity, engineer,
                                                               api_as):
    other = POCFactory(opportunity=opportunity, owner=engineer)
    criterion = make_criterion(other)

    response = api_as(engineer).get(f"/pocs/{poc.pk}/criteria/{criterion.pk}")

    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_a_closed_poc_s_criteria_no_longer_change(poc, engineer, api_as):
    criterion = make_criterion(poc)
    type(poc).objects.filter(pk=poc.pk).update(status="walked_away")
    before = criteria_state(poc)

    response = api_as(engineer).patch(f"/pocs/{poc.pk}/criteria/{criterion.pk}",
                                      {"title": "Late"})

    assert (response.status_code, response.json()["code"]) == (409, "poc_closed")
    assert criteria_state(poc) == before


# --- order, copies, library --------------------------------------------------------------------

def test_the_criteria_are_reordered_by_key(poc, engineer, api_as):
    criteria = [make_criterion(poc, title=title) for title in ("A", "B", "C")]
    api = api_as(engineer)
    keys = [str(criterion.key) for criterion in reversed(criteria)]

    response = api.post(f"/pocs/{poc.pk}/criteria/reorder", {"keys": keys})

    assert response.status_code == 200, response.content
    assert [(item["title"], item["position"]) for item in response.json()] == [
        ("C", 1), ("B", 2), ("A", 3)]
    before = criteria_state(poc)
    refused = api.post(f"/pocs/{poc.pk}/criteria/reorder", {"keys": keys[:2]})
    assert refused.status_code == 422
    assert refused.json()["details"]["fields"] == {
        "keys": ["Give every criterion of this POC exactly once."]}
    assert api.post(f"/pocs/{poc.pk}/criteria/reorder",
                    {"keys": ["not-a-key"]}).status_code == 422
    assert criteria_state(poc) == before


def test_a_criterion_goes_to_the_library_and_starts_another_poc(poc, opportunity, team,
                                                                  engineer, api_as):
    criterion = make_criterion(poc)
    api = api_as(engineer)

    saved = api.post(f"/pocs/{poc.pk}/criteria/{criterion.pk}/save-to-library",
                     {"industry": "Mining"})

    assert saved.status_code == 201, saved.content
    template = saved.json()
    assert (template["title"], template["industry"], template["team"], template["target_text"],
            template["must_have"]) == (
        "Throughput", "Mining", {"id": team.pk, "name": "Lighting"}, "≥ 120 t/h", True)
    listed = api.get("/criteria-templates", {"q": "through", "team": team.pk}).json()
    assert listed == {"items": [template], "count": 1}
    assert api.get("/criteria-templates", {"q": "noise"}).json()["count"] == 0
    assert api.get(f"/criteria-templates/{template['id']}").json() == template

    other = POCFactory(opportunity=opportunity, owner=engineer)
    added = api.post(f"/pocs/{other.pk}/criteria/from-templates",
                     {"template_ids": [template["id"]]})

    assert added.status_code == 201, added.content
    [copy] = added.json()
    assert (copy["title"], copy["target_value"], copy["position"]) == ("Throughput", "120", 1)
    assert copy["key"] != str(criterion.key)
    assert Criterion.objects.filter(poc=other).count() == 1


@pytest.mark.parametrize("template_ids", [[], [10**6]])
def test_templates_must_be_of_the_library(poc, engineer, api_as, template_ids):
    before = criteria_state(poc)

    response = api_as(engineer).post(f"/pocs/{poc.pk}/criteria/from-templates",
                                     {"template_ids": template_ids})

    assert response.status_code == 422
    assert list(response.json()["details"]["fields"]) == ["template_ids"]
    assert criteria_state(poc) == before


def test_another_team_s_library_is_invisible(poc, other_team, engineer, outsider, api_as):
    foreign = CriterionTemplate.objects.create(
        team=other_team, title="Secret", metric="m", unit="u", target_value=1,
        measurement_method="m")
    api = api_as(engineer)

    assert api.get("/criteria-templates").json()["count"] == 0
    assert api.get(f"/criteria-templates/{foreign.pk}").status_code == 404
    assert api.delete(f"/criteria-templates/{foreign.pk}").status_code == 404
    refused = api.post(f"/pocs/{poc.pk}/criteria/from-templates", {"template_ids": [foreign.pk]})
    assert refused.json()["details"]["fields"] == {
        "template_ids": ["Choose criteria of this team's library."]}
    assert api_as(outsider).get("/criteria-templates").json()["count"] == 1


def test_only_its_author_or_a_manager_removes_a_library_criterion(poc, engineer, sales, manager,
                                                                  api_as):
    criterion = make_criterion(poc)
    template_id = api_as(engineer).post(
        f"/pocs/{poc.pk}/criteria/{criterion.pk}/save-to-library", {}).json()["id"]
    before = criteria_state(poc)

    refused = api_as(sales).delete(f"/criteria-templates/{template_id}")
    removed = api_as(manager).delete(f"/criteria-templates/{template_id}")

    assert (refused.status_code, refused.json()["code"]) == (403, "permission_denied")
    assert before[1] != []
    assert removed.status_code == 204
    assert not CriterionTemplate.objects.exists()
    assert Event.objects.filter(verb="criterion_template.deleted").count() == 1


def test_another_poc_s_criteria_are_copied(poc, opportunity, other_team, engineer, api_as):
    source = POCFactory(opportunity=opportunity, owner=engineer, title="Earlier pilot")
    make_criterion(source, title="Uptime")
    make_criterion(source, title="Noise")
    make_criterion(poc, title="Existing")
    api = api_as(engineer)

    response = api.post(f"/pocs/{poc.pk}/criteria/copy", {"source_poc_id": source.pk})

    assert response.status_code == 201, response.content
    assert [(item["title"], item["position"]) for item in response.json()] == [
        ("Uptime", 2), ("Noise", 3)]
    foreign = POCFactory(opportunity__account__team=other_team)
    make_criterion(foreign)
    before = criteria_state(poc)
    for source_id, message in ((foreign.pk, "Choose a POC of your team."),
                               (poc.pk, "Choose another POC.")):
        refused = api.post(f"/pocs/{poc.pk}/criteria/copy", {"source_poc_id": source_id})
        assert refused.status_code == 422
        assert refused.json()["details"]["fields"] == {"source_poc_id": [message]}
    assert criteria_state(poc) == before
