"""/api/v1/opportunities/{id}/assessments: the contract of the win assessments' endpoints."""

import datetime

import pytest
from django.utils import timezone

from pocdesk.core.models import Event
from pocdesk.insights.models import Assessment
from pocdesk.opportunities.models import Opportunity
from tests.api.conftest import ApiClient
from tests.factories import OpportunityFactory, POCFactory

from .assessment_factories import make_assessment, make_history

BODY = {"activity": "demo", "probability": 55, "confidence": "high",
        "rationale": "The economic buyer joined the demo and asked about rollout."}


def _url(opportunity, *rest) -> str:
    return "/".join([f"/opportunities/{opportunity.pk}/assessments", *map(str, rest)])


# -- POST -------------------------------------------------------------------------------------

def test_record_answers_201_with_the_assessment(api_as, engineer, opportunity, poc):
    response = api_as(engineer).post(_url(opportunity), {
        **BODY, "activity_date": "2026-01-15", "poc": poc.pk})

    assert response.status_code == 201, response.json()
    body = response.json()
    assessment = Assessment.objects.get()
    assert body == {
        "id": assessment.pk, "opportunity": opportunity.pk,
        "poc": {"id": poc.pk, "title": poc.title},
        "activity": "demo", "activity_label": "Demo", "activity_date": "2026-01-15",
        "probability": 55, "confidence": "high", "confidence_label": "High",
        "rationale": BODY["rationale"],
        "assessed_by": {"id": engineer.pk, "username": "engineer", "name": "Engineer"},
        "created_at": body["created_at"]}
    assert Event.objects.filter(verb="assessment.recorded").count() == 1


def test_record_defaults_to_today_and_medium_confidence(api_as, engineer, opportunity):
    response = api_as(engineer).post(_url(opportunity), {
        "activity": "meeting", "probability": 0, "rationale": "No budget this year."})

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["activity_date"], body["confidence"], body["poc"]) == (
        timezone.localdate().isoformat(), "medium", None)


@pytest.mark.parametrize(("change", "field"), [
    ({"probability": 101}, "probability"),
    ({"probability": -3}, "probability"),
    ({"probability": 62.5}, "probability"),
    ({"probability": "60"}, "probability"),
    ({"probability": None}, "probability"),
    ({"activity": "golf"}, "activity"),
    ({"confidence": "sure"}, "confidence"),
    ({"activity_date": "yesterday"}, "activity_date"),
    ({"rationale": ""}, "rationale"),
    ({"rationale": "x" * 4001}, "rationale"),
    ({"poc": 0}, "poc"),
    ({"mood": "good"}, "mood"),
])
def test_bad_fields_answer_422_naming_them(api_as, engineer, opportunity, change, field):
    response = api_as(engineer).post(_url(opportunity), {**BODY, **change})

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert list(body["details"]["fields"]) == [field]
    assert body["details"]["fields"][field][0]
    assert not Assessment.objects.exists()


def test_a_missing_field_is_named(api_as, engineer, opportunity):
    response = api_as(engineer).post(_url(opportunity), {"activity": "demo"})

    assert response.status_code == 422
    assert response.json()["details"]["fields"] == {
        "probability": ["This field is required."], "rationale": ["This field is required."]}


def test_a_future_date_and_another_deals_poc_are_refused(api_as, engineer, opportunity,
                                                          account):
    other_poc = POCFactory(opportunity=OpportunityFactory(account=account))
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = api_as(engineer).post(_url(opportunity), {
        **BODY, "activity_date": tomorrow.isoformat(), "poc": other_poc.pk})

    assert response.status_code == 422
    assert response.json()["details"]["fields"] == {
        "activity_date": ["The activity date cannot be in the future."],
        "poc": ["Choose a POC of this opportunity."]}


def test_a_closed_deal_answers_409(api_as, engineer, opportunity):
    Opportunity.objects.filter(pk=opportunity.pk).update(stage="closed_won")

    response = api_as(engineer).post(_url(opportunity), BODY)

    assert response.status_code == 409
    assert response.json()["code"] == "opportunity_closed"
    assert not Assessment.objects.exists()


def test_another_team_gets_404_and_nothing_is_written(api_as, outsider, opportunity):
    response = api_as(outsider).post(_url(opportunity), BODY)

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert not Assessment.objects.exists()


def test_without_credentials_401(opportunity):
    response = ApiClient().post(_url(opportunity), BODY)

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


# -- GET --------------------------------------------------------------------------------------

def test_list_is_paginated_newest_first(api_as, engineer, opportunity):
    make_history(opportunity, assessed_by=engineer, count=3)

    response = api_as(engineer).get(_url(opportunity), {"page_size": 2})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert [item["probability"] for item in body["items"]] == [14, 12]
    assert api_as(engineer).get(_url(opportunity), {"page": 2, "page_size": 2}).json()[
        "items"][0]["probability"] == 10


def test_list_of_another_team_is_404(api_as, outsider, engineer, opportunity):
    make_assessment(opportunity, assessed_by=engineer)

    assert api_as(outsider).get(_url(opportunity)).status_code == 404


def test_list_of_an_unknown_opportunity_is_404(api_as, engineer, db):
    response = api_as(engineer).get("/opportunities/999999/assessments")

    assert response.status_code == 404


def test_list_costs_the_same_queries_however_many(api_as, engineer, opportunity):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = api_as(engineer)
    make_history(opportunity, assessed_by=engineer, count=1)
    api.get(_url(opportunity))  # the token's first use writes its last-used time
    with CaptureQueriesContext(connection) as one:
        assert len(api.get(_url(opportunity)).json()["items"]) == 1
    make_history(opportunity, assessed_by=engineer, count=20,
                 start=timezone.localdate() - datetime.timedelta(days=60))
    with CaptureQueriesContext(connection) as twenty_one:
        assert len(api.get(_url(opportunity)).json()["items"]) == 21

    assert len(twenty_one) == len(one) <= 10


# -- DELETE -----------------------------------------------------------------------------------

def test_the_author_deletes_and_gets_204(api_as, engineer, opportunity):
    api = api_as(engineer)
    created = api.post(_url(opportunity), BODY).json()

    response = api.delete(_url(opportunity, created["id"]))

    assert response.status_code == 204
    assert not Assessment.objects.exists()
    assert Event.objects.filter(verb="assessment.deleted").count() == 1


def test_another_member_gets_403_and_a_late_author_409(api_as, engineer, sales, manager,
                                                       opportunity):
    assessment = make_assessment(opportunity, assessed_by=engineer,
                                 created_at=timezone.now() - datetime.timedelta(days=2))

    refused = api_as(sales).delete(_url(opportunity, assessment.pk))
    late = api_as(engineer).delete(_url(opportunity, assessment.pk))

    assert (refused.status_code, refused.json()["code"]) == (403, "permission_denied")
    assert (late.status_code, late.json()["code"]) == (409, "delete_window_passed")
    assert Assessment.objects.count() == 1
    assert api_as(manager).delete(_url(opportunity, assessment.pk)).status_code == 204


def test_delete_through_another_opportunity_is_404(api_as, manager, engineer, opportunity,
                                                   account):
    elsewhere = OpportunityFactory(account=account)
    assessment = make_assessment(opportunity, assessed_by=engineer)

    response = api_as(manager).delete(_url(elsewhere, assessment.pk))

    assert response.status_code == 404
    assert Assessment.objects.count() == 1


def test_delete_by_another_team_is_404(api_as, outsider, engineer, opportunity):
    assessment = make_assessment(opportunity, assessed_by=engineer)

    assert api_as(outsider).delete(_url(opportunity, assessment.pk)).status_code == 404
    assert Assessment.objects.count() == 1
