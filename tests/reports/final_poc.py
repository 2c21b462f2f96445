"""A POC with everything the final report shows: criteria of every kind with readings and
evidence, an agreement, milestones, transitions, results, costs and risk costs."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from pocdesk.agreements.models import Agreement
from pocdesk.core.models import Event, StoredFile
from pocdesk.execution.models import Evidence, Measurement
from pocdesk.results.models import CostEntry, PocResult, RiskCost
from tests.factories import make_closable, make_criterion, make_milestone

START = datetime.datetime(2026, 3, 2, 8, tzinfo=datetime.UTC)

TITLES = {
    "en": ["Throughput at peak load", "Colour temperature", "Dust ingress test",
           "Flicker (lab)", "Energy saving", "Noise level"],
    "fr": ["Débit en charge de pointe", "Température de couleur", "Essai de poussière",
           "Papillotement (labo)", "Économie d'énergie", "Niveau sonore"],
    "zh-hans": ["高峰负荷吞吐量", "色温", "防尘测试", "频闪（实验室）", "节能", "噪声"],
}

# title index → (criterion fields, readings)
KINDS = [
    ({"unit": "t/h", "comparator": "gte", "target_value": Decimal("120"),
      "aggregation": "mean", "must_have": True}, "series"),
    ({"unit": "K", "comparator": "between", "target_min": Decimal("2600"),
      "target_max": Decimal("2800"), "aggregation": "mean", "must_have": False,
      "importance": 3}, "long"),
    ({"unit": "", "comparator": "pass_fail", "pass_condition": "No dust inside",
      "target_value": None, "aggregation": "share_passing", "required_share": Decimal("90"),
      "must_have": True}, "pass_fail"),
    ({"unit": "%", "comparator": "lte", "target_value": Decimal("5"), "aggregation": "max",
      "must_have": False, "importance": 2}, "few"),
    ({"unit": "%", "comparator": "gte", "target_value": Decimal("40"), "aggregation": "latest",
      "must_have": False, "importance": 3}, "few_failing"),
    ({"unit": "dB", "comparator": "lte", "target_value": Decimal("45"), "aggregation": "mean",
      "must_have": False, "importance": 1}, "none"),
]


def _readings(criterion, kind: str, scale: int) -> None:
    rows = []
    if kind == "series":
        rows = [(START + datetime.timedelta(hours=i), Decimal(118 + (i * 7) % 13), None)
                for i in range(30 * scale)]
    elif kind == "long":
        rows = [(START + datetime.timedelta(minutes=20 * i), Decimal(2650 + (i * 37) % 120), None)
                for i in range(250 * scale)]
    elif kind == "pass_fail":
        rows = [(START + datetime.timedelta(hours=3 * i), None, i % 17 != 0)
                for i in range(40 * scale)]
    elif kind == "few":
        rows = [(START + datetime.timedelta(days=i), Decimal(v), None)
                for i, v in enumerate(["3.1", "4.2", "3.8"])]
    elif kind == "few_failing":
        rows = [(START + datetime.timedelta(days=2 * i), Decimal(v), None)
                for i, v in enumerate(["31", "36"])]
    Measurement.objects.bulk_create([
        Measurement(poc=criterion.poc, criterion=criterion, measured_at=at, value=value,
                    passed=passed) for at, value, passed in rows])


def _evidence(poc, name: str, **values) -> Evidence:
    key = default_storage.save(f"evidence/{name}", ContentFile(b"ok\n"))
    stored = StoredFile.objects.create(team=poc.team, storage_key=key, original_name=name,
                                       content_type="text/plain", size=3, sha256="0" * 64)
    return Evidence.objects.create(poc=poc, file=stored, **values)


def make_report_poc(poc, *, language: str = "en", criteria: int = 6, scale: int = 1,
                    closed: bool = True):
    """`poc`, evaluated (or closed) with `criteria` criteria (at most 6) and their readings."""
    poc.language = language
    poc.objective = "Prove that the luminaires hold their colour and save energy."
    poc.start_date, poc.end_date = datetime.date(2026, 3, 2), datetime.date(2026, 3, 31)
    poc.conditional_po_reference = "PO-2026-118"
    poc.conditional_po_value = Decimal("180000")
    poc.status = "closed" if closed else "evaluating"
    poc.save()
    Agreement.objects.create(poc=poc, scope_included="Two halls, 40 luminaires.",
                             scope_excluded="Outdoor lighting.", follow_on_kind="conditional_po",
                             follow_on="The customer orders the full site when all "
                                       "must-haves pass.",
                             start_date=datetime.date(2026, 3, 2),
                             end_date=datetime.date(2026, 3, 31))
    made = []
    for index in range(criteria):
        fields, kind = KINDS[index % len(KINDS)]
        title = TITLES[language][index % 6] + ("" if index < 6 else f" {index + 1}")
        criterion = make_criterion(poc, title=title, **fields)
        _readings(criterion, kind, scale)
        made.append(criterion)
    first_reading = Measurement.objects.filter(criterion=made[0]).first()
    photo = _evidence(poc, "weighbridge-export.csv")
    first_reading.evidence.add(photo)
    _evidence(poc, "lab-report.pdf", criterion=made[min(3, len(made) - 1)])
    make_milestone(poc, kind="kickoff", title="Kickoff", sequence=0,
                   due_date=datetime.date(2026, 3, 2), status="done",
                   completed_on=datetime.date(2026, 3, 3))
    make_milestone(poc, kind="final_review", title="Final review", sequence=0,
                   due_date=datetime.date(2026, 3, 31))
    for when, source, target in ((datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC),
                                  "agreed", "running"),
                                 (datetime.datetime(2026, 4, 3, 9, tzinfo=datetime.UTC),
                                  "running", "evaluating")):
        Event.objects.create(poc=poc, team=poc.team, verb="poc.transitioned",
                             target_type="pocs.poc", target_id=str(poc.pk), created_at=when,
                             data={"from": source, "to": target})
    if closed:
        make_closable(poc, commercial_result="won")
        PocResult.objects.filter(poc=poc).update(
            strengths="Colour held within 40 K over the month.",
            limitations="Dust test done at 30 °C only.",
            improvements="Cut the flicker below 3 percent with the new driver.",
            next_step="Order for the whole site by June.",
            customer_confirmed_on=datetime.date(2026, 4, 8))
    CostEntry.objects.create(poc=poc, kind="actual", category="travel",
                             description="Site visits", amount=Decimal("2400"), currency="EUR",
                             paid_by="vendor")
    RiskCost.objects.create(poc=poc, description="Colour drift in the first year",
                            probability=Decimal("30"), impact=Decimal("60000"), currency="EUR")
    return made
