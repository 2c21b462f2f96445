"""The end of the generated POCs (`scale`): every closed one has its results, a submitted
retrospective with one to three lessons and a few actual costs, so that the portfolio and the
results pages carry a realistic load (SPEC §3, §9, §11.1).

The technical result is the one the criteria give (`results.derive`, on the statuses of the
readings `scale_execution` generated), now and then overridden with a reason, as teams do; the
commercial result was drawn with the deal's stage (`scale._stage`: won about 40 percent, lost
30, no decision 20, qualified out or abandoned 10), except that most won deals whose POC failed
were lost on the results after all (their stage follows). A reason from the taxonomy explains
every result but won; a won deal has its order, most often a little under the deal's amount. Costs are a presales engineer's hours at an internal
rate, travel and materials or logistics, in the deal's currency, sometimes shared with the
customer: about 3 percent of the deal, now and then well above the 5 percent warning.

Written with `bulk_create`, like the rest of the generated data, with its own random generator so
that the deals themselves stay the same; no Event rows.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import F
from django.utils import timezone

from pocdesk.opportunities.models import Opportunity
from pocdesk.pocs.models import Status
from pocdesk.results.derive import DEFAULT_SUCCESS_THRESHOLD, derive_from_statuses
from pocdesk.results.models import (
    CostEntry,
    Lesson,
    LossReason,
    PocResult,
    ResultsPolicy,
    Retrospective,
)

OVERRIDE = {"success": "partial", "partial": "success", "failed": "partial"}
REASONS = {
    "lost": ["price", "price", "competitor", "competitor", "missing_capability", "timing"],
    "no_decision": ["no_decision", "no_decision", "no_budget", "no_sponsor", "timing"],
    "qualified_out": ["no_budget", "scope_change", "technical_fit"],
    "abandoned": ["scope_change", "relationship", "other"],
}
HOURLY = {"EUR": 90, "USD": 95, "GBP": 80, "CNY": 620}

TEXTS = {
    "en": {
        "strengths": ["Every must-have criterion measured on the customer's own site.",
                      "Readings shared weekly with the customer's evaluator.",
                      "The first run was witnessed by the sponsor."],
        "limitations": ["Some criteria were read less often than planned.",
                        "The run was shorter than the customer's full season."],
        "next_step": {"won": "Order placed; delivery planned with the customer's project team.",
                      "other": "No order: the account stays in the nurture plan."},
        "reason_detail": "See the retrospective.",
        "override": "The customer's evaluator weighed the criteria differently at the review.",
        "went_well": "Criteria agreed and signed before the run; regular readings.",
        "to_improve": "Ask earlier who signs the order and when.",
        "lessons": ["Meet the budget owner before the first reading.",
                    "Agree how each criterion is read before installing.",
                    "Put the follow-on in writing: a date, an order, a value.",
                    "Ask for the customer's baseline data as a resource before the start."],
        "labour": "Presales engineer: set-up, readings and reviews",
        "travel": "Site visits",
        "materials": "Samples and consumables",
        "logistics": "Shipping of the samples",
    },
    "fr": {
        "strengths": ["Chaque critère obligatoire mesuré sur le site du client.",
                      "Relevés partagés chaque semaine avec l'évaluateur du client."],
        "limitations": ["Certains critères ont été relevés moins souvent que prévu."],
        "next_step": {"won": "Commande passée ; livraison planifiée avec l'équipe du client.",
                      "other": "Pas de commande : le compte reste suivi."},
        "reason_detail": "Voir le retour d'expérience.",
        "override": "L'évaluateur du client a pondéré les critères autrement lors de la revue.",
        "went_well": "Critères signés avant l'essai ; relevés réguliers.",
        "to_improve": "Demander plus tôt qui signe la commande, et quand.",
        "lessons": ["Rencontrer le détenteur du budget avant le premier relevé.",
                    "Convenir de la lecture de chaque critère avant l'installation.",
                    "Écrire la suite : une date, une commande, un montant."],
        "labour": "Ingénieur avant-vente : mise en place, relevés, revues",
        "travel": "Déplacements sur site",
        "materials": "Échantillons et consommables",
        "logistics": "Transport des échantillons",
    },
    "zh-hans": {
        "strengths": ["每项必达标准均在客户现场实测。", "每周与客户评估人共享读数。"],
        "limitations": ["部分标准的读数频次低于计划。"],
        "next_step": {"won": "客户已下单,交付计划与客户项目组确定。",
                      "other": "未下单:客户保留在培育计划中。"},
        "reason_detail": "详见复盘。",
        "override": "客户评估人在评审会上对各项标准的权重另有判断。",
        "went_well": "试点前签署成功标准;读数按时记录。",
        "to_improve": "更早确认谁签采购单、何时签。",
        "lessons": ["第一次读数前先见到预算负责人。", "安装前与客户约定每项标准的读法。",
                    "把后续安排写进协议:日期、订单、金额。"],
        "labour": "售前工程师:部署、读数与评审",
        "travel": "现场差旅",
        "materials": "样品与耗材",
        "logistics": "样品运输",
    },
}


class ResultsGenerator:
    def __init__(self, *, seed: int, now: datetime.datetime, today: datetime.date) -> None:
        self.rng = random.Random(seed * 7919 + 17)  # noqa: S311 - demo data, not secrets
        self.now = now
        self.today = today
        self._reasons: dict[str, int] | None = None
        self._thresholds: dict[int, Decimal] | None = None
        self.lost_on_results: list[int] = []  # won deals whose POC failed: lost after all

    def at(self, days_ago: float) -> datetime.datetime:
        return self.now - datetime.timedelta(days=days_ago)

    @property
    def reasons(self) -> dict[str, int]:
        if self._reasons is None:
            self._reasons = dict(LossReason.objects.values_list("code", "pk"))
        return self._reasons

    def threshold(self, team_id: int) -> Decimal:
        if self._thresholds is None:
            self._thresholds = dict(ResultsPolicy.objects.values_list("team_id",
                                                                      "success_threshold"))
        return self._thresholds.get(team_id, DEFAULT_SUCCESS_THRESHOLD)

    def derived(self, poc, statuses) -> str:
        rows = [SimpleNamespace(criterion=criterion, status=status, must_have=criterion.must_have)
                for criterion, status in statuses]
        return derive_from_statuses(rows, threshold=self.threshold(poc.team_id)).result

    def write(self, deals, chains, statuses: dict[int, list]) -> int:
        """Results, retrospectives, lessons and costs of a batch's closed POCs; returns how many
        POCs were closed."""
        opportunities = {poc.pk: opportunity for _account, opportunity, poc, _plan in deals}
        results, retrospectives, lessons, costs = [], [], [], []
        self.lost_on_results = []
        for poc, plan, sponsor, others, _engaged in chains:
            if plan.status != Status.CLOSED:
                continue
            opportunity = opportunities[poc.pk]
            texts = TEXTS.get(poc.language, TEXTS["en"])
            closed_ago = plan.last_ago
            results.append(self.result(poc, plan, opportunity, sponsor or next(iter(others), None),
                                       texts, self.derived(poc, statuses.get(poc.pk, ())),
                                       closed_ago))
            retrospective = Retrospective(
                poc=poc, went_well=texts["went_well"], to_improve=texts["to_improve"],
                submitted_at=self.at(closed_ago + 0.05), submitted_by_id=poc.owner_id,
                created_at=self.at(closed_ago + 1))
            retrospectives.append(retrospective)
            industry = opportunity.account.industry
            picked = self.rng.sample(texts["lessons"], self.rng.randint(1, 3))
            lessons.append([Lesson(kind="lesson", text=text, industry=industry,
                                   criterion_type=self.rng.choice(["", "integration",
                                                                   "throughput", "durability"]),
                                   position=position)
                            for position, text in enumerate(picked)])
            costs.extend(self.costs(poc, plan, opportunity, texts))
        PocResult.objects.bulk_create(results)
        Retrospective.objects.bulk_create(retrospectives)
        for retrospective, rows in zip(retrospectives, lessons, strict=True):
            for lesson in rows:
                lesson.retrospective = retrospective
        Lesson.objects.bulk_create([lesson for rows in lessons for lesson in rows])
        CostEntry.objects.bulk_create(costs)
        Opportunity.objects.filter(pk__in=self.lost_on_results).update(stage="closed_lost")
        # auto_now stamped "now" on insert; the generated timeline says otherwise.
        PocResult.objects.filter(pk__in=[r.pk for r in results]).update(
            updated_at=F("created_at"))
        Retrospective.objects.filter(pk__in=[r.pk for r in retrospectives]).update(
            updated_at=F("submitted_at"))
        return len(results)

    def result(self, poc, plan, opportunity, confirmer, texts, derived, closed_ago) -> PocResult:
        rng = self.rng
        technical, override = derived, ""
        if not derived or rng.random() < 0.08:
            technical = OVERRIDE.get(derived, "partial")
            override = texts["override"]
        commercial = plan.commercial or "lost"
        if commercial == "won" and technical == "failed" and rng.random() < 0.8:
            # A failed POC rarely wins: most of these deals were lost on the results.
            commercial = plan.commercial = "lost"
            opportunity.stage = "closed_lost"
            self.lost_on_results.append(opportunity.pk)
        reason_code = ""
        if commercial != "won":
            choices = REASONS[commercial]
            if technical == "failed" and commercial in ("lost", "qualified_out"):
                choices = [*choices, "technical_fit", "technical_fit", "technical_fit"]
            reason_code = rng.choice(choices)
        # Recorded two days before the close: the review, the confirmation and the order came
        # before, never after.
        recorded = self.at(closed_ago + 2)
        recorded_on = timezone.localdate(recorded)
        won = commercial == "won"
        order_value = None
        if won:
            share = Decimal(str(round(rng.uniform(0.55, 1.05), 2)))
            order_value = (opportunity.amount * share).quantize(Decimal("1000"))
        confirmed = confirmer is not None and rng.random() < 0.8
        order_lag = rng.randint(0, 20) if won else None
        strengths = "\n".join(rng.sample(texts["strengths"], min(2, len(texts["strengths"]))))
        limitations = rng.choice(texts["limitations"])
        review_lag = rng.randint(0, 4)
        return PocResult(
            poc=poc, derived_technical_result=derived, technical_result=technical,
            technical_override_reason=override,
            commercial_result=commercial, reason_id=self.reasons.get(reason_code),
            reason_detail="" if won else texts["reason_detail"], order_value=order_value,
            order_currency=opportunity.currency if won else "",
            order_date=recorded_on - datetime.timedelta(days=min(order_lag, review_lag))
            if won else None,
            customer_confirmed_by=confirmer if confirmed else None,
            customer_confirmed_on=recorded_on if confirmed else None,
            strengths=strengths, limitations=limitations,
            next_step=texts["next_step"]["won" if won else "other"],
            review_meeting_on=recorded_on - datetime.timedelta(days=review_lag),
            updated_by_id=poc.owner_id, created_at=recorded)

    def costs(self, poc, plan, opportunity, texts) -> list[CostEntry]:
        rng = self.rng
        currency = opportunity.currency
        hourly = Decimal(HOURLY.get(currency, 90))
        start = plan.start_ago or int(plan.last_ago) + 30
        rows = []

        def cost(category: str, amount: Decimal, days_ago: float, **fields) -> None:
            rows.append(CostEntry(
                poc=poc, kind="actual", category=category, description=texts[category],
                amount=amount.quantize(Decimal("0.01")), currency=currency,
                incurred_on=self.today - datetime.timedelta(days=int(days_ago)),
                recorded_by_id=poc.owner_id, created_at=self.at(days_ago), **fields))

        # The whole POC costs about 3 percent of the deal: half hours, the rest travel and
        # samples.
        total = opportunity.amount * Decimal(str(round(rng.lognormvariate(-3.5, 0.45), 4)))
        hours = max(Decimal(8), (total / 2 / hourly).quantize(Decimal("1")))
        cost("labour", hours * hourly, plan.last_ago + 1, role="Presales engineer",
             hours=hours, hourly_rate=hourly)
        travel = total * Decimal(str(round(rng.uniform(0.2, 0.35), 2)))
        cost("travel", travel, start)
        if rng.random() < 0.6:
            category = rng.choice(["materials", "logistics"])
            cost(category, total / 2 - travel, start + 5,
                 paid_by=rng.choice(["vendor", "vendor", "shared", "customer"]))
        return rows


def commercial_draw(draw: float) -> str:
    """The commercial result of a closed generated POC from one uniform draw (won a little
    more often than 40 percent: some of these deals are lost on a failed POC)."""
    if draw < 0.46:
        return "won"
    if draw < 0.72:
        return "lost"
    if draw < 0.91:
        return "no_decision"
    return "qualified_out" if draw < 0.96 else "abandoned"
