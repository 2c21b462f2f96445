"""A hand-computed portfolio for the prioritisation tests (§10).

Team Lighting (EUR, policy: at most 2 running POCs, 50 hours left on a deal without a plan):

| deal    | amount              | probability        | hours left                 | EV     | €/h  |
| Airport | 100,000 EUR         | 0.6                | 100 planned − 40 logged    | 60,000 | 1000 |
| Bridge  | 200,000 USD × 0.9   | 0.3, overridden 50 | no POC: 50 (estimated)     | 90,000 | 1800 |
| Campus  | 50,000 EUR          | 0.8                | max(20 − 30, 0) + 10 = 10  | 40,000 | 4000 |
| Depot   | 70,000 EUR          | not scored         | running POC, no plan: 50   | —      | —    |

The engineer runs 4 POCs (Airport, Campus ×2, Depot): overloaded; a second presales engineer
runs none. A won deal and another team's deal must never appear.
"""

import datetime
from decimal import Decimal

from pocdesk.insights.models import InsightsPolicy, WinScore
from pocdesk.people.models import Role

from ..factories import (
    AccountFactory,
    MembershipFactory,
    OpportunityFactory,
    POCFactory,
    UserFactory,
    make_cost_entry,
)


def score(opportunity, probability, **overrides):
    values = {"estimator": "logistic", "data_sufficiency": "medium"}
    values.update(overrides)
    return WinScore.objects.create(opportunity=opportunity, probability=probability, **values)


def labour(poc, hours, kind="actual"):
    return make_cost_entry(poc, kind=kind, category="labour", role="Engineer",
                           hours=Decimal(hours), hourly_rate=Decimal("100"),
                           amount=Decimal(hours) * 100)


def deal(account, owner, name, amount, close, **overrides):
    return OpportunityFactory(account=account, owner=owner, name=name, amount=Decimal(amount),
                              expected_close_date=close, **overrides)


def make_portfolio(team, other_team, *, engineer, sales):
    InsightsPolicy.objects.create(team=team, max_running_pocs=2, default_remaining_hours=50)
    idle = UserFactory(username="idle")
    MembershipFactory(team=team, user=idle, role=Role.PRESALES_ENGINEER)
    account = AccountFactory(team=team, name="Aéroport de Lyon")
    airport = deal(account, sales, "Airport", "100000", datetime.date(2027, 1, 15))
    score(airport, 0.6)
    airport_poc = POCFactory(opportunity=airport, owner=engineer, status="running",
                             planned_effort_hours=Decimal("100"))
    labour(airport_poc, "40")
    labour(airport_poc, "10", kind="planned")  # planned labour is not time spent
    make_cost_entry(airport_poc)  # nor is travel

    bridge = deal(account, sales, "Bridge", "200000", datetime.date(2027, 2, 10),
                  currency="USD", exchange_rate=Decimal("0.9"))
    score(bridge, 0.3, override_probability=50, estimator="naive_bayes",
          data_sufficiency="low")

    campus = deal(account, sales, "Campus", "50000", datetime.date(2027, 1, 20))
    score(campus, 0.8)
    overspent = POCFactory(opportunity=campus, owner=engineer, status="running",
                           planned_effort_hours=Decimal("20"))
    labour(overspent, "30")
    POCFactory(opportunity=campus, owner=engineer, status="running",
               planned_effort_hours=Decimal("10"))
    POCFactory(opportunity=campus, owner=engineer, status="closed",
               planned_effort_hours=Decimal("100"))

    depot = deal(account, sales, "Depot", "70000", datetime.date(2027, 3, 1))
    POCFactory(opportunity=depot, owner=engineer, status="running")

    won = deal(account, sales, "Won already", "900000", datetime.date(2027, 1, 5),
               stage="closed_won")
    score(won, 0.9)
    foreign = deal(AccountFactory(team=other_team, name="Mine"), sales, "Foreign", "10000",
                   datetime.date(2027, 1, 25), currency="USD")
    score(foreign, 0.5)
    return {"airport": airport, "bridge": bridge, "campus": campus, "depot": depot,
            "won": won, "foreign": foreign, "idle": idle}


def make_many(team, sales, engineer, count):
    """`count` deals of one account, two in three scored, each with a running POC of the
    engineer (30 hours planned, 5 logged): for the query counts."""
    account = AccountFactory(team=team)
    for number in range(count):
        opportunity = deal(account, sales, f"Deal {number}", 1000 + number,
                           datetime.date(2027, 1 + number % 12, 1))
        if number % 3:
            score(opportunity, 0.4, override_probability=70 if number % 2 else None)
        poc = POCFactory(opportunity=opportunity, owner=engineer, status="running",
                         planned_effort_hours=Decimal("30"))
        labour(poc, "5")
