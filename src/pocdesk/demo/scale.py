"""`pocdesk demo --scale N`: N generated opportunities, each with its account and one POC.

The stories go through the services: one permission check, one validation and several queries
per row, which is right for a handful of believable deals but would take minutes for 10,000.
Generated rows tell no story worth validating, so they are written with `bulk_create` in
batches — speed is the only reason — together with the Event rows the services would have
written (account, opportunity and POC created, every status change), so that lists, filters and
timelines carry a realistic load. Like any bulk write they skip django-simple-history.

Each deal also carries qualification data (SPEC §4) with a believable spread, so the gate gives
varied verdicts: most POCs past draft were qualified on a documented process, a confirmed budget
and an engaged executive sponsor; some lack pieces (those that went past draft anyway carry a
manager's override, as the gate would have demanded); walked-away deals mostly show the red flags.
Two to four customer stakeholders per deal (sponsor, champion, evaluator, sometimes procurement)
and their engagements in the POC are bulk-created too; stakeholders get no events.

Every POC that went past draft has one to three measurable success criteria in its draft (the
gate's `success_criteria` check), and about half of the drafts have started theirs; criteria are
bulk-created without events. Generated POCs carry no agreement and no plan versions or
signatures: those at agreed or beyond skipped the qualified → agreed sign-off, which only the
stories go through.

POCs with dates also get a timebox and a scope (`scale_timebox`): a planned effort, the fixed
milestones of the §6 proposal, approved and pending extensions, the customer's requests and a few
promises, so the list's drift and scope-creep columns show varied values under load.

POCs that ran also get readings for their criteria, an execution log, meetings and action items
(`scale_execution`), so the execution and governance pages carry a realistic load; closed ones
get their results, a submitted retrospective and their actual costs (`scale_results`).
"""

from __future__ import annotations

import datetime
import random
import re
import time
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from pocdesk.accounts.models import Account
from pocdesk.core.models import Event
from pocdesk.criteria.models import Criterion
from pocdesk.opportunities.models import Competitor, ExchangeRate, Opportunity
from pocdesk.people.models import Membership, Role
from pocdesk.pocs.models import POC, PocType, Status
from pocdesk.qualification.models import QualificationOverride
from pocdesk.stakeholders.models import Engagement, Stakeholder, StakeholderRole

from . import vocabulary as words
from .scale_execution import ExecutionGenerator
from .scale_results import ResultsGenerator, commercial_draw
from .scale_timebox import TimeboxGenerator
from .seed import demo_teams

BATCH = 1000
GENERATED_NUMBER = re.compile(r" #(\d+)$")

STATUS_WEIGHTS = {
    Status.DRAFT: 12, Status.QUALIFIED: 12, Status.AGREED: 10, Status.RUNNING: 22,
    Status.PAUSED: 4, Status.EVALUATING: 10, Status.CLOSED: 24, Status.WALKED_AWAY: 6,
}
PATHS = {
    Status.DRAFT: [],
    Status.QUALIFIED: [Status.QUALIFIED],
    Status.AGREED: [Status.QUALIFIED, Status.AGREED],
    Status.RUNNING: [Status.QUALIFIED, Status.AGREED, Status.RUNNING],
    Status.PAUSED: [Status.QUALIFIED, Status.AGREED, Status.RUNNING, Status.PAUSED],
    Status.EVALUATING: [Status.QUALIFIED, Status.AGREED, Status.RUNNING, Status.EVALUATING],
    Status.CLOSED: [Status.QUALIFIED, Status.AGREED, Status.RUNNING, Status.EVALUATING,
                    Status.CLOSED],
}


@dataclass
class ScaleResult:
    opportunities: int
    events: int
    seconds: float
    readings: int = 0


@dataclass
class _Qualification:
    """What the team gathered before qualifying (or not)."""

    process: str
    budget: bool
    sponsor: bool  # an executive sponsor among the customer's stakeholders
    sponsor_engaged: bool
    champion: bool
    procurement: bool
    commitment: int
    evasive: bool = False
    free_use: bool = False
    criteria: int = 0  # success criteria drafted

    def unmet(self) -> list[str]:
        """The gate's mandatory checks this data fails (the opportunity is active then)."""
        unmet = []
        if self.process == "none":
            unmet.append("purchase_process")
        if not self.budget:
            unmet.append("budget_confirmed")
        if not (self.sponsor and self.sponsor_engaged):
            unmet.append("executive_sponsor")
        if self.criteria < 1:
            unmet.append("success_criteria")
        if self.commitment < 1:
            unmet.append("commitment_level")
        return unmet


@dataclass
class _Plan:
    """When things happened, in days before now (larger is earlier)."""

    status: str
    created_ago: float
    steps: list[tuple[str, float]]
    start_ago: int | None = None
    duration: int = 0
    qualification: _Qualification | None = None
    timebox: object = None  # scale_timebox.Timebox, for POCs with dates
    commercial: str = ""  # closed POCs: the commercial result (see `scale_results`)

    @property
    def last_ago(self) -> float:
        return self.steps[-1][1] if self.steps else self.created_ago


def _plan(status: str, rng: random.Random) -> _Plan:
    duration = rng.randint(30, 90)
    fixed: list[float | None]
    start_ago = None
    if status == Status.DRAFT:
        return _Plan(status, rng.uniform(1, 120), [])
    if status == Status.QUALIFIED:
        created = rng.uniform(10, 150)
        fixed = [rng.uniform(1, created - 5)]
    elif status == Status.WALKED_AWAY:
        created = rng.uniform(10, 400)
        walked = rng.uniform(1, created - 5)
        path = [Status.QUALIFIED, Status.WALKED_AWAY] if rng.random() < 0.5 else [Status.WALKED_AWAY]
        return _Plan(status, created, list(zip(path, _spread(created, [None] * (len(path) - 1)
                                                               + [walked]), strict=True)))
    elif status == Status.AGREED:
        start_ago = -rng.randint(3, 30)
        created = rng.uniform(20, 150)
        fixed = [None, rng.uniform(1, created / 2)]
    else:
        if status in (Status.RUNNING, Status.PAUSED):
            start_ago = rng.randint(20 if status == Status.PAUSED else 1, 120)
            fixed = [None, None, float(start_ago)]
            if status == Status.PAUSED:
                fixed.append(rng.uniform(1, start_ago - 10))
        else:
            end_ago = rng.randint(1, 30) if status == Status.EVALUATING else rng.randint(20, 480)
            start_ago = end_ago + duration
            fixed = [None, None, float(start_ago), float(end_ago)]
            if status == Status.CLOSED:
                fixed.append(end_ago - rng.uniform(3, 15))
        created = start_ago + rng.uniform(15, 60)
    return _Plan(status, created, list(zip(PATHS[status], _spread(created, fixed), strict=True)),
                 start_ago=start_ago, duration=duration)


def _spread(first: float, fixed: list[float | None]) -> list[float]:
    """Fill the unknown times evenly between the known ones (the last one is always known)."""
    values = [first, *fixed]
    index = 1
    while index < len(values):
        if values[index] is None:
            known = index
            while values[known] is None:
                known += 1
            low, high, gap = values[index - 1], values[known], known - index + 1
            for position in range(index, known):
                values[position] = low - (low - high) * (position - index + 1) / gap
            index = known
        index += 1
    return values[1:]


class _Generator:
    def __init__(self, *, first_number: int, seed: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
        self.number = first_number
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.teams = demo_teams()
        if not self.teams:
            raise RuntimeError("Seed the demo company before adding generated data.")
        roles = list(Membership.objects.filter(team__in=self.teams).select_related("user"))
        self.sellers = {team.pk: [m.user for m in roles if m.team_id == team.pk and m.role in
                                  (Role.ACCOUNT_EXECUTIVE, Role.MANAGER)] for team in self.teams}
        self.engineers = {team.pk: [m.user for m in roles if m.team_id == team.pk and m.role in
                                    (Role.PRESALES_ENGINEER, Role.MANAGER)] for team in self.teams}
        self.managers = {team.pk: [m.user for m in roles if m.team_id == team.pk
                                   and m.role == Role.MANAGER] for team in self.teams}
        self.rates = {}
        for rate in ExchangeRate.objects.filter(valid_from__lte=self.today).order_by("valid_from"):
            self.rates[(rate.currency, rate.reporting_currency)] = rate.rate
        self.statuses = list(STATUS_WEIGHTS)
        self.weights = list(STATUS_WEIGHTS.values())
        self.timebox = TimeboxGenerator(seed=seed, now=self.now, today=self.today,
                                        managers=self.managers)
        self.execution = ExecutionGenerator(seed=seed, now=self.now, today=self.today)
        self.results = ResultsGenerator(seed=seed, now=self.now, today=self.today)

    def at(self, days_ago: float) -> datetime.datetime:
        return self.now - datetime.timedelta(days=days_ago)

    def date(self, days_ago: int) -> datetime.date:
        return self.today - datetime.timedelta(days=days_ago)

    def rate(self, currency: str, reporting: str) -> Decimal | None:
        return Decimal("1") if currency == reporting else self.rates.get((currency, reporting))

    def deal(self):
        """One account, opportunity and POC (unsaved), with the plan of its timeline."""
        rng = self.rng
        self.number += 1
        team = rng.choice(self.teams)
        kind = words.TEAM_KIND.get(team.slug, "software")
        currency = rng.choice(words.CURRENCIES[kind])
        rate = self.rate(currency, team.reporting_currency)
        if rate is None:
            currency, rate = team.reporting_currency, Decimal("1")
        country = rng.choice(words.COUNTRIES[currency])
        language = words.LANGUAGE_OF_COUNTRY.get(country, "en")
        company = words.company_name(rng, kind, language)
        product = rng.choice(words.PRODUCTS[kind][language])
        seller = rng.choice(self.sellers[team.pk])
        engineer = rng.choice(self.engineers[team.pk])
        plan = _plan(rng.choices(self.statuses, self.weights)[0], rng)
        opportunity_ago = plan.created_ago + rng.uniform(1, 20)
        account_ago = opportunity_ago + rng.uniform(0, 30)
        low, high = words.AMOUNTS[kind]
        amount_reporting = Decimal(rng.randint(low, high)) * 1000
        amount = (amount_reporting / rate).quantize(Decimal("1000"))

        account = Account(
            team=team, name=f"{company} #{self.number:06d}"[:200], country=country,
            industry=rng.choice(words.INDUSTRIES[kind][language]),
            size=rng.choice(["small", "medium", "large", "enterprise"]), currency=currency,
            created_at=self.at(account_ago))
        start_date = end_date = None
        if plan.start_ago is not None:
            start_date = self.date(plan.start_ago)
            end_date = start_date + datetime.timedelta(days=plan.duration)
            plan.timebox = self.timebox.shape(status=plan.status, start=start_date, end=end_date)
            end_date = plan.timebox.end
        expected_close_date = self._close_date(plan, end_date)
        qualification = plan.qualification = self._qualification(plan)
        opportunity = Opportunity(
            team=team, name=words.opportunity_name(product, company, language)[:200],
            amount=amount, currency=currency, exchange_rate=rate,
            expected_close_date=expected_close_date, stage=self._stage(plan),
            owner=seller, source=rng.choice(words.SOURCES), description="",
            created_at=self.at(opportunity_ago),
            **self._opportunity_qualification(qualification, amount, opportunity_ago,
                                              expected_close_date, language))
        poc = POC(
            team=team, title=words.poc_title(product, company, language)[:200],
            objective=words.objective(rng, product, language), owner=engineer,
            poc_type=rng.choice(PocType.values), status=plan.status, language=language,
            start_date=start_date, end_date=end_date, created_at=self.at(plan.created_ago),
            status_changed_at=self.at(plan.last_ago),
            **self._commitment(qualification.commitment, amount),
            **self.timebox.poc_fields(plan.timebox, start=start_date, team_id=team.pk))
        return account, opportunity, poc, plan

    def _qualification(self, plan: _Plan) -> _Qualification:
        """Good, patchy or poor qualification, depending on how far the POC went."""
        qualification = self._qualification_draw(plan)
        qualified = any(status == Status.QUALIFIED for status, _ago in plan.steps)
        started = 0.5 if plan.status == Status.DRAFT else 0.3  # walked away from draft
        if qualified or self.rng.random() < started:
            qualification.criteria = self.rng.randint(1, 3)
        return qualification

    def _qualification_draw(self, plan: _Plan) -> _Qualification:
        rng = self.rng
        qualified = any(status == Status.QUALIFIED for status, _ago in plan.steps)
        if plan.status == Status.WALKED_AWAY:
            odds = (0.15, 0.45) if qualified else (0.0, 0.25)
        elif plan.status == Status.DRAFT:
            odds = (0.35, 0.75)
        else:
            odds = (0.82, 0.97)
        draw = rng.random()
        processes = ["rfp", "rfq", "tender", "written_plan"]
        if draw < odds[0]:  # qualified on its merits
            return _Qualification(
                process=rng.choice(processes), budget=True, sponsor=True,
                sponsor_engaged=qualified or rng.random() < 0.5,
                champion=rng.random() < 0.8, procurement=rng.random() < 0.5,
                commitment=rng.choice([1, 1, 1, 2, 2, 3]) if qualified else rng.choice([0, 1]),
                evasive=rng.random() < 0.03)
        if draw < odds[1]:  # patchy: one or two pieces missing
            return _Qualification(
                process=rng.choice(processes + ["none"]), budget=rng.random() < 0.6,
                sponsor=rng.random() < 0.6, sponsor_engaged=rng.random() < 0.6,
                champion=rng.random() < 0.6, procurement=rng.random() < 0.3,
                commitment=rng.choice([0, 1, 1]), evasive=rng.random() < 0.15,
                free_use=rng.random() < 0.05)
        return _Qualification(  # tyre-kicking
            process="none" if rng.random() < 0.8 else rng.choice(processes), budget=False,
            sponsor=rng.random() < 0.2, sponsor_engaged=rng.random() < 0.3,
            champion=rng.random() < 0.5, procurement=False, commitment=0,
            evasive=rng.random() < 0.5, free_use=rng.random() < 0.25)

    def _opportunity_qualification(self, q: _Qualification, amount: Decimal, created_ago: float,
                                   close_date: datetime.date, language: str) -> dict:
        rng = self.rng
        fields: dict = {"purchase_process": q.process, "customer_evasive": q.evasive,
                        "free_production_use": q.free_use}
        if q.process != "none":
            fields["purchase_reference"] = (f"{words.PURCHASE_PREFIXES[q.process]}-"
                                            f"{self.date(int(created_ago)).year}-"
                                            f"{rng.randint(1, 999):03d}")
        if q.budget:
            fields.update(
                budget_confirmed=True,
                budget_amount=(amount * Decimal(str(rng.uniform(0.9, 1.25)))).quantize(
                    Decimal("1000")),
                budget_confirmed_by=words.person_name(rng, language),
                budget_confirmed_on=self.date(int(created_ago) - rng.randint(0, 10)))
        if q.budget or rng.random() < 0.3:
            fields["decision_date"] = close_date - datetime.timedelta(days=rng.randint(0, 30))
        if rng.random() < (0.85 if q.process != "none" else 0.3):
            fields.update(nda_signed=True, nda_reference=f"NDA-{rng.randint(1000, 9999)}")
        if q.evasive or q.free_use:
            fields["red_flag_notes"] = rng.choice(words.RED_FLAG_NOTES[language])
        return fields

    def _commitment(self, level: int, amount: Decimal) -> dict:
        rng = self.rng
        if level == 1:
            return {"commitment_level": 1,
                    "commitment_reference": f"LOI-{rng.randint(1000, 9999)}"}
        if level == 2:
            return {"commitment_level": 2, "funded_share": Decimal(rng.choice([20, 30, 50, 100])),
                    "commitment_reference": f"POC-AGR-{rng.randint(1000, 9999)}"}
        if level == 3:
            return {"commitment_level": 3,
                    "conditional_po_reference": f"PO-{rng.randint(10000, 99999)}",
                    "conditional_po_value": (amount * Decimal("0.3")).quantize(Decimal("1000")),
                    "conditional_po_criteria": "Every must-have criterion of the POC met."}
        return {"commitment_level": 0}

    def decision_chain(self, opportunity: Opportunity, poc: POC, plan: _Plan):
        """The customer's stakeholders (sponsor first: the others report to them) and who
        of them engaged in the POC; `reports_to` is filled in once the sponsor is saved."""
        rng, q, language = self.rng, plan.qualification, poc.language
        created = self.at(plan.created_ago + rng.uniform(0, 5))

        def person(role: str, attitude: str, influence: str) -> Stakeholder:
            titles = words.STAKEHOLDER_TITLES[role][language]
            return Stakeholder(team=opportunity.team, account=opportunity.account,
                               opportunity=opportunity, name=words.person_name(rng, language),
                               title=rng.choice(titles), role=role, attitude=attitude,
                               influence=influence, created_at=created)

        sponsor = person(StakeholderRole.EXECUTIVE_SPONSOR, rng.choice(
            ["supporter", "neutral", "neutral", "skeptic"]), "high") if q.sponsor else None
        others = [person(StakeholderRole.TECHNICAL_EVALUATOR,
                         rng.choice(["supporter", "neutral", "skeptic"]), "medium")]
        if q.champion:
            others.insert(0, person(StakeholderRole.CHAMPION, "supporter", "medium"))
        if q.procurement:
            others.append(person(StakeholderRole.PROCUREMENT, "neutral", "medium"))
        engaged = [sponsor] if sponsor is not None and q.sponsor_engaged else []
        engaged += [other for other in others if rng.random() < 0.7]
        return sponsor, others, engaged

    def criteria(self, poc: POC, plan: _Plan) -> list[Criterion]:
        """The POC's drafted success criteria, written before it was qualified."""
        count = plan.qualification.criteria
        if not count:
            return []
        rng = self.rng
        kind = words.TEAM_KIND.get(poc.team.slug, "software")
        first_step = plan.steps[0][1] if plan.steps else 0
        rows = []
        for position, row in enumerate(rng.sample(words.CRITERIA[kind][poc.language], count),
                                       start=1):
            title, metric, unit, comparator, target, aggregation, method = row
            spec = {"target_value": None, "target_min": None, "target_max": None,
                    "pass_condition": "", "required_share": None}
            if comparator == "pass_fail":
                spec["pass_condition"] = target
            elif comparator == "between":
                low, high = target.split(":")
                spec.update(target_min=Decimal(low), target_max=Decimal(high))
            else:
                spec["target_value"] = Decimal(target)
            if aggregation == "share_passing":
                spec["required_share"] = Decimal("100")
            rows.append(Criterion(
                poc=poc, position=position, title=title, metric=metric, unit=unit,
                comparator=comparator, aggregation=aggregation, measurement_method=method,
                owner_side=rng.choice(["vendor", "vendor", "customer"]),
                importance=rng.randint(2, 5), must_have=rng.random() < 0.5,
                created_at=self.at(rng.uniform(first_step, plan.created_ago)), **spec))
        return rows

    def engagements(self, poc: POC, plan: _Plan, engaged: list[Stakeholder]) -> list[Engagement]:
        first_step = plan.steps[0][1] if plan.steps else plan.created_ago / 2
        rows = []
        for stakeholder in engaged:
            days_ago = self.rng.uniform(first_step, plan.created_ago)
            rows.append(Engagement(
                stakeholder=stakeholder, poc=poc, date=self.date(int(days_ago)),
                kind=self.rng.choice(["meeting", "call", "workshop", "site_visit"]),
                recorded_by=poc.owner, recorded_at=self.at(days_ago)))
        return rows

    def override(self, poc: POC, plan: _Plan) -> tuple[QualificationOverride, Event] | None:
        """Past draft without meeting the gate: a manager overrode it, in writing."""
        unmet = plan.qualification.unmet()
        qualified_ago = next((ago for status, ago in plan.steps if status == Status.QUALIFIED),
                             None)
        if not unmet or qualified_ago is None or not self.managers[poc.team_id]:
            return None
        manager = self.rng.choice(self.managers[poc.team_id])
        justification = self.rng.choice(words.OVERRIDE_JUSTIFICATIONS[poc.language])
        moment = self.at(qualified_ago + 0.01)
        return (
            QualificationOverride(poc=poc, overridden_by=manager, justification=justification,
                                  unmet=unmet, created_at=moment),
            Event(created_at=moment, actor=manager, team=poc.team, poc=poc,
                  verb="poc.qualification_overridden", target_type="poc",
                  target_id=str(poc.pk), target_label=poc.title[:255],
                  data={"unmet": unmet, "justification": justification}))

    def _close_date(self, plan: _Plan, end_date: datetime.date | None) -> datetime.date:
        if plan.status == Status.CLOSED:
            return self.date(int(plan.last_ago)) + datetime.timedelta(days=self.rng.randint(0, 30))
        if end_date is not None:
            return end_date + datetime.timedelta(days=self.rng.randint(14, 90))
        return self.today + datetime.timedelta(days=self.rng.randint(30, 240))

    def _stage(self, plan: _Plan) -> str:
        if plan.status == Status.CLOSED:
            plan.commercial = commercial_draw(self.rng.random())
            return "closed_won" if plan.commercial == "won" else "closed_lost"
        if plan.status == Status.WALKED_AWAY:
            return "closed_lost" if self.rng.random() < 0.5 else "qualification"
        return {Status.DRAFT: "prospecting", Status.QUALIFIED: "qualification",
                Status.EVALUATING: "proposal"}.get(plan.status, "evaluation")

    def competitors(self, opportunity: Opportunity, kind: str) -> list[Competitor]:
        names = self.rng.sample(words.COMPETITORS[kind], self.rng.randint(0, 2))
        return [Competitor(opportunity=opportunity, name=name,
                           position=self.rng.choice(["ahead", "level", "behind", "unknown"]))
                for name in names]

    def events(self, account, opportunity, poc, plan: _Plan) -> list[Event]:
        rows = [
            Event(created_at=account.created_at, actor=opportunity.owner, team=account.team,
                  verb="account.created", target_type="account", target_id=str(account.pk),
                  target_label=account.name[:255]),
            Event(created_at=opportunity.created_at, actor=opportunity.owner, team=account.team,
                  verb="opportunity.created", target_type="opportunity",
                  target_id=str(opportunity.pk), target_label=opportunity.name[:255],
                  data={"amount": str(opportunity.amount), "currency": opportunity.currency}),
            Event(created_at=poc.created_at, actor=poc.owner, team=account.team, poc=poc,
                  verb="poc.created", target_type="poc", target_id=str(poc.pk),
                  target_label=poc.title[:255], data={"opportunity": opportunity.name}),
        ]
        previous = Status.DRAFT
        for status, days_ago in plan.steps:
            reason = ""
            if status in (Status.WALKED_AWAY, Status.PAUSED, Status.CLOSED):
                reason = self.rng.choice(words.REASONS[status][poc.language])
            rows.append(Event(
                created_at=self.at(days_ago), actor=poc.owner, team=account.team, poc=poc,
                verb="poc.transitioned", target_type="poc", target_id=str(poc.pk),
                target_label=poc.title[:255],
                data={"from": previous, "to": status, "reason": reason}))
            previous = status
        return rows


def _next_number() -> int:
    numbers = [
        int(match.group(1))
        for name in Account.objects.filter(name__contains=" #").values_list("name", flat=True)
        if (match := GENERATED_NUMBER.search(name))
    ]
    return max(numbers, default=0)


@transaction.atomic
def scale_add(*, count: int, seed: int | None = None) -> ScaleResult:
    """Add `count` generated deals to the demo teams; all or nothing."""
    started = time.perf_counter()
    first_number = _next_number()
    generator = _Generator(first_number=first_number,
                           seed=first_number if seed is None else seed)
    events_written = 0
    for batch_start in range(0, count, BATCH):
        deals = [generator.deal() for _ in range(min(BATCH, count - batch_start))]
        # bulk_create sets the primary keys on the objects it is given (SQLite ≥ 3.35,
        # PostgreSQL), so each level can point at the one saved before it.
        accounts = Account.objects.bulk_create([account for account, *_rest in deals])
        for account, opportunity, _poc, _plan in deals:
            opportunity.account = account
        opportunities = Opportunity.objects.bulk_create([deal[1] for deal in deals])
        for _account, opportunity, poc, _plan in deals:
            poc.opportunity = opportunity
        pocs = POC.objects.bulk_create([deal[2] for deal in deals])
        competitors: list[Competitor] = []
        events: list[Event] = []
        overrides: list[QualificationOverride] = []
        criteria: list[Criterion] = []
        chains = []
        for account, opportunity, poc, plan in deals:
            kind = words.TEAM_KIND.get(account.team.slug, "software")
            competitors.extend(generator.competitors(opportunity, kind))
            criteria.extend(generator.criteria(poc, plan))
            events.extend(generator.events(account, opportunity, poc, plan))
            chains.append((poc, plan, *generator.decision_chain(opportunity, poc, plan)))
            if (overridden := generator.override(poc, plan)) is not None:
                overrides.append(overridden[0])
                events.append(overridden[1])
        Competitor.objects.bulk_create(competitors)
        Event.objects.bulk_create(events)
        QualificationOverride.objects.bulk_create(overrides)
        Criterion.objects.bulk_create(criteria)
        Stakeholder.objects.bulk_create([sponsor for _p, _pl, sponsor, _o, _e in chains if sponsor])
        for _poc, _plan, sponsor, others, _engaged in chains:
            for other in others:
                other.reports_to = sponsor
        Stakeholder.objects.bulk_create([other for *_rest, others, _e in chains for other in others])
        Engagement.objects.bulk_create([row for poc, plan, _s, _o, engaged in chains
                                        for row in generator.engagements(poc, plan, engaged)])
        events_written += len(events) + generator.timebox.write(chains)
        generator.execution.write(chains, criteria)
        generator.results.write(deals, chains, generator.execution.statuses)
        # auto_now stamped "now" on insert; the generated timeline says otherwise.
        Account.objects.filter(pk__in=[a.pk for a in accounts]).update(updated_at=F("created_at"))
        Opportunity.objects.filter(pk__in=[o.pk for o in opportunities]).update(
            updated_at=F("created_at"))
        POC.objects.filter(pk__in=[p.pk for p in pocs]).update(updated_at=F("status_changed_at"))
    return ScaleResult(opportunities=count, events=events_written,
                       seconds=time.perf_counter() - started,
                       readings=generator.execution.readings_written)
