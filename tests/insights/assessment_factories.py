"""Win assessments for the tests, written through the model (the services are under test)."""

import datetime

from django.utils import timezone

from pocdesk.insights.models import Assessment


def make_assessment(opportunity, *, assessed_by, **overrides) -> Assessment:
    values = {"activity": "demo", "activity_date": timezone.localdate(), "probability": 60,
              "confidence": "medium", "rationale": "The sponsor asked for the pricing sheet.",
              "created_at": timezone.now()}
    values.update(overrides)
    return Assessment.objects.create(opportunity=opportunity, assessed_by=assessed_by, **values)


def make_history(opportunity, *, assessed_by, count: int, start=None) -> list[Assessment]:
    """`count` assessments a day apart, the last one today; probabilities 10, 12, 14…"""
    start = start or timezone.localdate() - datetime.timedelta(days=count - 1)
    return [make_assessment(opportunity, assessed_by=assessed_by,
                            activity_date=start + datetime.timedelta(days=index),
                            probability=(10 + 2 * index) % 101,
                            confidence=("low", "medium", "high")[index % 3])
            for index in range(count)]
