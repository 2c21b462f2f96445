"""`pocdesk demo --scale N`: N generated opportunities, each with its account and one POC.

The stories go through the services: one permission check, one validation and several queries
per row, which is right for a handful of believable deals but would take minutes for 10,000.
Generated rows tell no story worth validating, so they are written with `bulk_create` in
batches — speed is the only reason — together with the Event rows the services would have
written (account, opportunity and POC created, every status change), so that lists, filters and
timelines carry a realistic load. Like any bulk write they skip django-simple-history.
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
from pocdesk.opportunities.models import Competitor, ExchangeRate, Opportunity
from pocdesk.people.models import Membership, Role
from pocdesk.pocs.models import POC, PocType, Status

from . import vocabulary as words
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


@dataclass
class _Plan:
    """When things happened, in days before now (larger is earlier)."""

    status: str
    created_ago: float
    steps: list[tuple[str, float]]
    start_ago: int | None = None
    duration: int = 0

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
        self.rates = {}
        for rate in ExchangeRate.objects.filter(valid_from__lte=self.today).order_by("valid_from"):
            self.rates[(rate.currency, rate.reporting_currency)] = rate.rate
        self.statuses = list(STATUS_WEIGHTS)
        self.weights = list(STATUS_WEIGHTS.values())

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
        opportunity = Opportunity(
            team=team, name=words.opportunity_name(product, company, language)[:200],
            amount=amount, currency=currency, exchange_rate=rate,
            expected_close_date=self._close_date(plan, end_date), stage=self._stage(plan),
            owner=seller, source=rng.choice(words.SOURCES), description="",
            created_at=self.at(opportunity_ago))
        poc = POC(
            team=team, title=words.poc_title(product, company, language)[:200],
            objective=words.objective(rng, product, language), owner=engineer,
            poc_type=rng.choice(PocType.values), status=plan.status, language=language,
            commitment_level=rng.choice([0, 1, 1, 2, 3]) if plan.steps else 0,
            start_date=start_date, end_date=end_date, created_at=self.at(plan.created_ago),
            status_changed_at=self.at(plan.last_ago))
        return account, opportunity, poc, plan

    def _close_date(self, plan: _Plan, end_date: datetime.date | None) -> datetime.date:
        if plan.status == Status.CLOSED:
            return self.date(int(plan.last_ago)) + datetime.timedelta(days=self.rng.randint(0, 30))
        if end_date is not None:
            return end_date + datetime.timedelta(days=self.rng.randint(14, 90))
        return self.today + datetime.timedelta(days=self.rng.randint(30, 240))

    def _stage(self, plan: _Plan) -> str:
        if plan.status == Status.CLOSED:
            return "closed_won" if self.rng.random() < 0.55 else "closed_lost"
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
        for account, opportunity, poc, plan in deals:
            kind = words.TEAM_KIND.get(account.team.slug, "software")
            competitors.extend(generator.competitors(opportunity, kind))
            events.extend(generator.events(account, opportunity, poc, plan))
        Competitor.objects.bulk_create(competitors)
        Event.objects.bulk_create(events)
        events_written += len(events)
        # auto_now stamped "now" on insert; the generated timeline says otherwise.
        Account.objects.filter(pk__in=[a.pk for a in accounts]).update(updated_at=F("created_at"))
        Opportunity.objects.filter(pk__in=[o.pk for o in opportunities]).update(
            updated_at=F("created_at"))
        POC.objects.filter(pk__in=[p.pk for p in pocs]).update(updated_at=F("status_changed_at"))
    return ScaleResult(opportunities=count, events=events_written,
                       seconds=time.perf_counter() - started)
