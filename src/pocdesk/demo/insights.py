"""The demo's win probability: a CRM export of the heavy-equipment team's past deals imported
through the real services, the engineers' assessments on open deals, and every open deal
scored by the model.

The export is generated here (seeded, so the demo is the same every time): qualification
answers whose effect on winning is what presales teams report — a met decision maker and an
allocated budget help, several competitors and a tender hurt — with the noise of real deals.
"""

from __future__ import annotations

import csv
import datetime
import io
import math
import random

from django.core.files.base import ContentFile
from django.utils import timezone

from pocdesk.insights.assessments import assessment_record
from pocdesk.insights.history import history_import_run, history_import_start, history_source_save
from pocdesk.insights.scoring import scores_recompute_all
from pocdesk.opportunities.models import CLOSED_STAGES, Opportunity
from pocdesk.people.models import Role

from .company import Cast

HISTORY_MAPPING = """name = "crm-2024"

[file]
format = "csv"
separator = ","

[outcome]
column = "Status"
won = ["Closed Won"]
lost = ["Closed Lost"]
open = ["Open"]

[columns]
id = "Deal ID"
name = "Deal"
amount = "Amount (USD)"
owner = "Owner"
opened = "Created"
closed = "Closed"

[defaults]
currency = "USD"

[features]
categorical = ["Decision maker met", "Budget", "Competitors", "Tender", "Region", "Deal type"]
numeric = ["Site visits"]
exclude = ["Closed", "Loss reason"]
"""

ANSWERS = {
    "Decision maker met": (("Yes", 0.9), ("No", -0.7)),
    "Budget": (("Allocated", 0.8), ("Planned", 0.1), ("Unknown", -0.6)),
    "Competitors": (("None", 0.6), ("One", 0.0), ("Several", -0.8)),
    "Tender": (("No", 0.3), ("Yes", -0.5)),
    "Region": (("Americas", 0.0), ("Europe", 0.1), ("Asia-Pacific", -0.1), ("Africa", 0.0)),
    "Deal type": (("New customer", -0.3), ("Expansion", 0.5), ("Replacement", 0.1)),
}
OWNERS = ("Sam Okafor", "Olivia Grant", "Daniel Becker")
LOSS_REASONS = ("Price", "Competitor chosen", "No decision", "Timing")


def history_export(*, closed: int = 260, open_deals: int = 14, seed: int = 2024) -> bytes:
    """The CSV a CRM would export: closed deals with their outcome, and a few open ones."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible demo, not a secret
    today = timezone.localdate()
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\r\n")
    writer.writerow(["Deal ID", "Deal", "Owner", "Amount (USD)", "Created", "Closed", "Status",
                     *ANSWERS, "Site visits", "Loss reason"])
    for number in range(closed + open_deals):
        answers = {question: rng.choice(options) for question, options in ANSWERS.items()}
        visits = rng.randint(0, 4)
        logit = -0.2 + sum(effect for _answer, effect in answers.values()) + 0.25 * visits
        won = rng.random() < 1 / (1 + math.exp(-logit))
        created = today - datetime.timedelta(days=rng.randint(60, 900))
        is_open = number >= closed
        closed_on = "" if is_open else (created + datetime.timedelta(
            days=rng.randint(30, 200))).isoformat()
        status = "Open" if is_open else ("Closed Won" if won else "Closed Lost")
        writer.writerow([
            f"HX-{10_400 + number}", f"Crusher line {number + 1}", rng.choice(OWNERS),
            f"{rng.randrange(80, 1_400) * 1_000}", created.isoformat(), closed_on, status,
            *(answer for answer, _effect in answers.values()), visits,
            "" if is_open or won else rng.choice(LOSS_REASONS)])
    return output.getvalue().encode("utf-8")


ASSESSMENTS = {
    "en": [("meeting", 45, "medium", "First meeting went well; the plant manager wants a "
            "trial but the budget owner was not in the room."),
           ("demo", 55, "medium", "Demo answered the throughput question; procurement asked "
            "for references from two similar sites."),
           ("poc_checkpoint", 70, "high", "Mid-point review: all must-have criteria on track, "
            "the sponsor joined the call and confirmed the budget.")],
    "zh-hans": [("meeting", 40, "low", "首次拜访：客户技术负责人感兴趣，但预算尚未确认。"),
                ("workshop", 60, "medium", "需求研讨会后，客户确认了三项成功标准，决策人参与。"),
                ("poc_checkpoint", 65, "high", "中期检查：关键指标达标，客户同意推进采购流程。")],
    "fr": [("meeting", 35, "low", "Premier rendez-vous : besoin réel, mais un concurrent est "
            "déjà en place."),
           ("demo", 50, "medium", "La démonstration a convaincu l'équipe technique ; le "
            "sponsor reste à rencontrer.")],
}


def insights_seed(cast: Cast) -> None:
    _history_seed(cast)
    _assessments_seed(cast)
    scores_recompute_all()


def _history_seed(cast: Cast) -> None:
    manager = cast.user("manager")
    source = history_source_save(actor=manager, team=cast.team("heavy-equipment"),
                                 name="crm-2024", mapping=HISTORY_MAPPING)
    history_import = history_import_start(
        actor=manager, source=source, file=ContentFile(history_export(), name="crm-2024.csv"),
        file_name="crm-2024.csv", queue=False)
    history_import_run(history_import.pk)


def _assessments_seed(cast: Cast) -> None:
    today = timezone.localdate()
    for team in cast.teams.values():
        engineers = [membership.user for membership in team.memberships.select_related(
            "user__profile").filter(role__in=[Role.PRESALES_ENGINEER, Role.MANAGER])
            .order_by("role", "user__username")]
        if not engineers:
            continue
        open_deals = (Opportunity.objects.filter(team=team).exclude(stage__in=CLOSED_STAGES)
                      .order_by("pk")[:3])
        for index, opportunity in enumerate(open_deals):
            author = engineers[index % len(engineers)]
            language = getattr(getattr(author, "profile", None), "language", "en") or "en"
            steps = ASSESSMENTS.get(language, ASSESSMENTS["en"])
            for step, (activity, probability, confidence, rationale) in enumerate(steps):
                assessment_record(
                    actor=author, opportunity=opportunity, activity=activity,
                    activity_date=today - datetime.timedelta(days=42 - 14 * step - index),
                    probability=probability, confidence=confidence, rationale=rationale)
