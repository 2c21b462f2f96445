"""Amounts in the team's reporting currency: the one conversion rule of the results app.

An amount in the deal's own currency uses the rate the opportunity fixed when its amount was
entered, so that a POC's cost ratio does not move with the market; any other currency uses
the latest recorded `ExchangeRate` (none recorded: the amount cannot be converted, None).

`to_reporting` applies the rule in Python (one POC's cost summary); `reporting_amount_sql`
applies it inside the database (the portfolio's sums over many POCs). Change them together.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Case, DecimalField, ExpressionWrapper, F, Q, Value, When
from django.utils import timezone

CENT = Decimal("0.01")
DEFAULT_CURRENCY = "EUR"
MONEY_SQL = DecimalField(max_digits=28, decimal_places=6)


def rates_to(reporting_currency: str, on: datetime.date | None = None, *,
             currencies: Iterable[str] | None = None) -> dict[str, Decimal]:
    """The latest rate in force on `on` (today by default) of each currency into
    `reporting_currency`, in one query; the reporting currency itself is 1."""
    from pocdesk.opportunities.models import ExchangeRate

    on = on or timezone.localdate()
    rows = ExchangeRate.objects.filter(reporting_currency=reporting_currency, valid_from__lte=on)
    if currencies is not None:
        rows = rows.filter(currency__in=sorted(set(currencies)))
    rates: dict[str, Decimal] = {}
    for currency, rate in rows.order_by("currency", "-valid_from").values_list("currency",
                                                                                "rate"):
        rates.setdefault(currency, rate)
    rates[reporting_currency] = Decimal("1")
    return rates


def most_used_currency(currencies: Iterable[str]) -> str:
    """The currency that occurs most often (the first by code on a tie); EUR when none."""
    counts = Counter(currencies)
    if not counts:
        return DEFAULT_CURRENCY
    return min(counts.items(), key=lambda item: (-item[1], item[0]))[0]


def company_currency() -> str:
    """The one currency of figures that mix every team: the reporting currency most teams use
    (one query)."""
    from pocdesk.people.models import Team

    return most_used_currency(Team.objects.values_list("reporting_currency", flat=True))


def to_reporting(amount, currency: str, *, opportunity, rates: dict[str, Decimal] | None = None,
                 reporting_currency: str | None = None) -> Decimal | None:
    """`amount` of `currency` in the reporting currency (2 places), or None without a rate.

    `rates` (from `rates_to`) avoids a query per call; without it the rate is looked up.
    """
    if amount is None:
        return None
    amount = Decimal(amount)
    reporting = reporting_currency or opportunity.team.reporting_currency
    if currency == reporting:
        rate = Decimal("1")
    elif currency == opportunity.currency and opportunity.exchange_rate:
        rate = opportunity.exchange_rate
    elif rates is not None:
        rate = rates.get(currency)
    else:
        from pocdesk.opportunities.services import exchange_rate_lookup

        rate = exchange_rate_lookup(currency=currency, reporting_currency=reporting)
    if rate is None:
        return None
    return (amount * Decimal(rate)).quantize(CENT)


def rate_case_sql(currency_field: str, rates: dict[str, Decimal]):
    """The rate (from `rates_to`) of the currency held by the field `currency_field`, as an
    SQL expression; NULL for a currency without one."""
    whens = [When(**{currency_field: code}, then=Value(rate, output_field=MONEY_SQL))
             for code, rate in sorted(rates.items())]
    return Case(*whens, default=Value(None, output_field=MONEY_SQL), output_field=MONEY_SQL)


def reporting_amount_sql(amount, currency: str, *, poc: str, rates: dict[str, Decimal]):
    """`to_reporting`'s rule as an SQL expression: `amount` in the currency held by the field
    `currency`, in the currency of `rates` (from `rates_to`), NULL without a rate.

    `poc` is the lookup prefix from the row to its POC ("" on a POC). The POC team's reporting
    currency and the deal's currency (at the deal's fixed rate) go through the team's reporting
    currency, so several teams' amounts can be summed in one currency; any other currency
    converts at its latest rate. Amounts are not rounded to the cent one by one, as
    `to_reporting` rounds them: the sum is rounded once.
    """
    team_rate = rate_case_sql(f"{poc}team__reporting_currency", rates)
    rate = Case(
        When(Q(**{currency: F(f"{poc}team__reporting_currency")}), then=team_rate),
        When(Q(**{f"{poc}opportunity__exchange_rate__gt": 0,
                  currency: F(f"{poc}opportunity__currency")}),
             then=ExpressionWrapper(F(f"{poc}opportunity__exchange_rate") * team_rate,
                                    output_field=MONEY_SQL)),
        *[When(**{currency: code}, then=Value(value, output_field=MONEY_SQL))
          for code, value in sorted(rates.items())],
        default=Value(None, output_field=MONEY_SQL), output_field=MONEY_SQL)
    return ExpressionWrapper(amount * rate, output_field=MONEY_SQL)


class Converter:
    """Converts many amounts for one opportunity with at most one query for the rates.

    `prepare(currencies)` reads the rates of the currencies that need one (neither the
    reporting currency nor the deal's); `convert` then never queries and records the currencies
    it could not convert in `missing`.
    """

    def __init__(self, opportunity, *, reporting_currency: str | None = None,
                 rates: dict[str, Decimal] | None = None) -> None:
        self.opportunity = opportunity
        self.reporting_currency = reporting_currency or opportunity.team.reporting_currency
        self.rates: dict[str, Decimal] = dict(rates or {})
        self.missing: set[str] = set()
        self._read: set[str] = set(self.rates)

    def _needs_rate(self, currency: str) -> bool:
        return (currency != self.reporting_currency
                and not (currency == self.opportunity.currency
                         and self.opportunity.exchange_rate))

    def prepare(self, currencies: Iterable[str]) -> None:
        wanted = {c for c in currencies if c and self._needs_rate(c)} - self._read
        if wanted:
            self.rates.update({currency: rate for currency, rate in rates_to(
                self.reporting_currency, currencies=wanted).items() if currency in wanted})
            self._read |= wanted

    def convert(self, amount, currency: str) -> Decimal | None:
        if amount is None:
            return None
        if self._needs_rate(currency) and currency not in self._read:
            self.prepare([currency])
        value = to_reporting(amount, currency, opportunity=self.opportunity, rates=self.rates,
                             reporting_currency=self.reporting_currency)
        if value is None:
            self.missing.add(currency)
        return value


def total(values: Iterable[Decimal | None]) -> Decimal | None:
    """The sum, or None when one value is unknown (a missing rate)."""
    result = Decimal("0.00")
    for value in values:
        if value is None:
            return None
        result += value
    return result.quantize(CENT)
