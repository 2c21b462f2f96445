"""The win probability card of the opportunity page: the latest assessment, the chart's data,
the history, the form (errors under their fields), deleting, and a constant number of
queries."""

import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pocdesk.core.models import Event
from pocdesk.insights.models import Assessment
from pocdesk.opportunities.models import Opportunity

from .assessment_factories import make_assessment, make_history
from .priorities_factories import score


def _page(opportunity) -> str:
    return reverse("web:opportunity_detail", args=[opportunity.pk])


def _record_url(opportunity) -> str:
    return reverse("web:opportunity_assessment_record", args=[opportunity.pk])


def _form(**overrides) -> dict:
    values = {"activity": "demo", "activity_date": timezone.localdate().isoformat(),
              "probability": "72", "confidence": "high", "poc": "",
              "rationale": "The plant manager asked for a rollout plan."}
    values.update(overrides)
    return values


def _chart(response) -> dict:
    match = re.search(r'<script id="assessment-chart" type="application/json">(.*?)</script>',
                      response.content.decode())
    return json.loads(match.group(1))


def test_the_page_shows_the_latest_assessment_chart_and_history(client, engineer, manager,
                                                                 opportunity):
    make_assessment(opportunity, assessed_by=engineer, probability=40, confidence="low",
                    activity="meeting", rationale="Early days <b>really</b>.",
                    activity_date=timezone.localdate() - datetime.timedelta(days=10))
    make_assessment(opportunity, assessed_by=manager, probability=75, confidence="high",
                    activity="workshop", rationale="Budget confirmed in the workshop.")
    client.force_login(engineer)

    response = client.get(_page(opportunity))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="assessment-card"' in html
    assert re.search(r'data-testid="assessment-latest-probability">75<', html)
    assert "Confidence: High" in html
    assert "Manager after: Workshop" in html
    assert html.count('data-testid="assessment-row"') == 2
    assert "Early days &lt;b&gt;really&lt;/b&gt;." in html
    assert 'data-testid="win-score-none"' in html  # not scored yet: offered on demand
    assert "web/assessments.js" in html and "chart.umd.min.js" in html
    chart = _chart(response)
    assert chart["probabilities"] == [40, 75]
    assert [point["author"] for point in chart["points"]] == ["Engineer", "Manager"]
    assert [point["confidence"] for point in chart["points"]] == ["low", "high"]
    assert chart["colours"] == {"low": "secondary", "medium": "info", "high": "primary"}
    assert 'data-testid="assessment-form"' in html


def test_a_deal_without_assessments_offers_the_form_only(client, engineer, opportunity):
    client.force_login(engineer)

    html = client.get(_page(opportunity)).content.decode()

    assert "No win probability assessed yet." in html
    assert 'data-testid="assessment-chart"' not in html
    assert "chart.umd.min.js" not in html
    assert 'data-testid="assessment-form"' in html
    assert 'type="range"' in html


def test_posting_the_form_records_and_returns_to_the_card(client, engineer, opportunity, poc):
    client.force_login(engineer)

    response = client.post(_record_url(opportunity), _form(poc=str(poc.pk)))

    assert response.status_code == 302
    assert response["Location"] == _page(opportunity) + "#win-probability"
    assessment = Assessment.objects.get()
    assert (assessment.probability, assessment.confidence, assessment.activity,
            assessment.poc, assessment.assessed_by) == (72, "high", "demo", poc, engineer)
    assert Event.objects.filter(verb="assessment.recorded").count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Win probability of 72% recorded." in page


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"probability": "140"}, "probability", "Enter a whole number from 0 to 100."),
    ({"probability": ""}, "probability", "This field is required."),
    ({"rationale": "   "}, "rationale", "Say why: the rationale is required."),
    ({"rationale": "x" * 4001}, "rationale", "At most 4000 characters."),
    ({"activity_date": (timezone.localdate() + datetime.timedelta(days=2)).isoformat()},
     "activity_date", "The activity date cannot be in the future."),
    ({"activity": "golf"}, "activity", "Select a valid choice."),
])
def test_errors_are_shown_under_their_fields(client, engineer, opportunity, overrides, field,
                                             message):
    client.force_login(engineer)

    response = client.post(_record_url(opportunity), _form(**overrides))

    assert response.status_code == 400
    html = response.content.decode()
    errors = re.search(rf'<div class="invalid-feedback[^"]*" id="id_{field}_errors">(.*?)</div>',
                       html, re.S)
    assert errors and message in errors.group(1)
    assert 'aria-invalid="true"' in html
    assert not Assessment.objects.exists()


def test_a_refused_form_keeps_what_was_typed(client, engineer, opportunity):
    client.force_login(engineer)

    html = client.post(_record_url(opportunity),
                       _form(probability="101", rationale="Kept as typed")).content.decode()

    assert "Kept as typed</textarea>" in html
    assert 'value="101"' in html


def test_a_closed_deal_shows_no_form_and_refuses_a_post(client, engineer, opportunity):
    make_assessment(opportunity, assessed_by=engineer)
    Opportunity.objects.filter(pk=opportunity.pk).update(stage="closed_won")
    client.force_login(engineer)

    html = client.get(_page(opportunity)).content.decode()
    assert 'data-testid="assessment-form"' not in html
    assert "its win probability is no longer assessed" in html

    response = client.post(_record_url(opportunity), _form(), follow=True)
    assert response.redirect_chain[-1][0] == _page(opportunity) + "#win-probability"
    assert "This opportunity is closed" in response.content.decode()
    assert Assessment.objects.count() == 1


def test_another_team_gets_404(client, outsider, opportunity):
    client.force_login(outsider)

    assert client.post(_record_url(opportunity), _form()).status_code == 404
    assert not Assessment.objects.exists()


def test_the_author_deletes_from_the_card_and_others_see_no_button(client, engineer, sales,
                                                                   opportunity):
    mine = make_assessment(opportunity, assessed_by=engineer)
    delete_url = reverse("web:opportunity_assessment_delete", args=[opportunity.pk, mine.pk])
    client.force_login(sales)
    assert 'data-testid="assessment-delete"' not in client.get(_page(opportunity)).content.decode()
    assert client.post(delete_url).status_code == 403

    client.force_login(engineer)
    assert 'data-testid="assessment-delete"' in client.get(_page(opportunity)).content.decode()
    response = client.post(delete_url)

    assert response.status_code == 302
    assert not Assessment.objects.exists()


def test_the_author_sees_no_button_after_a_day(client, engineer, manager, opportunity):
    make_assessment(opportunity, assessed_by=engineer,
                    created_at=timezone.now() - datetime.timedelta(days=2))

    client.force_login(engineer)
    assert 'data-testid="assessment-delete"' not in client.get(_page(opportunity)).content.decode()
    client.force_login(manager)
    assert 'data-testid="assessment-delete"' in client.get(_page(opportunity)).content.decode()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_page_costs_the_same_queries_for_1_and_30_assessments(client, engineer, manager,
                                                                  opportunity, poc):
    client.force_login(engineer)
    make_assessment(opportunity, assessed_by=engineer, poc=poc)
    with_1 = _queries(client, _page(opportunity))
    make_history(opportunity, assessed_by=manager, count=29,
                 start=timezone.localdate() - datetime.timedelta(days=90))
    Assessment.objects.filter(opportunity=opportunity).update(poc=poc)

    with_30 = _queries(client, _page(opportunity))

    assert with_1 == with_30


# -- the model's score set by hand ------------------------------------------------------------

def _override_url(opportunity) -> str:
    return reverse("web:opportunity_score_override", args=[opportunity.pk])


@pytest.fixture
def scored(opportunity):
    return score(opportunity, 0.3)


def test_an_override_is_set_and_handed_back(client, engineer, opportunity, scored):
    client.force_login(engineer)

    response = client.post(_override_url(opportunity), {
        "override_probability": "40", "override_reason": "Their budget was cut."})

    assert response.status_code == 302
    assert response["Location"] == _page(opportunity) + "#win-probability"
    scored.refresh_from_db()
    assert (scored.override_probability, scored.override_reason, scored.overridden_by) == (
        40, "Their budget was cut.", engineer)
    html = client.get(_page(opportunity)).content.decode()
    assert 'data-testid="win-score-overridden"' in html
    assert re.search(r'name="override_probability" value="40"', html)

    client.post(_override_url(opportunity), {"clear": "1"})

    scored.refresh_from_db()
    assert (scored.override_probability, scored.override_reason) == (None, "")
    assert [event.verb for event in Event.objects.order_by("pk")] == [
        "score.overridden", "score.override_cleared"]


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"override_probability": "140", "override_reason": "Budget cut."}, "override_probability",
     "Ensure this value is less than or equal to 100."),
    ({"override_probability": "", "override_reason": "Budget cut."}, "override_probability",
     "This field is required."),
    ({"override_probability": "40", "override_reason": "   "}, "override_reason",
     "This field is required."),
])
def test_a_refused_override_shows_its_errors_under_the_fields(client, engineer, opportunity,
                                                              scored, values, field, message):
    client.force_login(engineer)

    response = client.post(_override_url(opportunity), values)

    assert response.status_code == 400
    html = response.content.decode()
    override_form = re.search(r'<details class="small" open>.*?</details>', html, re.S)
    assert override_form, "the refused override form is shown open"
    errors = re.search(rf'<div class="invalid-feedback" id="id_{field}_errors">(.*?)</div>',
                       override_form.group(0), re.S)
    assert errors and errors.group(1).strip() == message
    scored.refresh_from_db()
    assert (scored.override_probability, scored.override_reason, scored.overridden_by) == (
        None, "", None)
    assert not Event.objects.exists()


def test_another_team_cannot_override(client, outsider, opportunity, scored):
    client.force_login(outsider)

    assert client.post(_override_url(opportunity), {
        "override_probability": "40", "override_reason": "Mine now."}).status_code == 404
    scored.refresh_from_db()
    assert scored.override_probability is None
