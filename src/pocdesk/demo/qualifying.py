"""Helpers the stories use to qualify a deal through the services (SPEC §4).

Since the qualification gate guards draft → qualified, every story that goes past draft first
records what a real team would have gathered: the purchasing process and its reference, who
confirmed the budget, the decision date and the NDA (`opportunity_update`), the decision chain
(`stakeholder_create`), the sponsor and others meeting the POC (`engagement_record`) and the
customer's commitment with its evidence (`poc_commitment_set`).
"""

from __future__ import annotations

from dataclasses import dataclass

from pocdesk.stakeholders.models import Attitude, Influence, Side, Stakeholder, StakeholderRole
from pocdesk.stakeholders.services import engagement_record, stakeholder_create

from .story import day

SPONSOR = StakeholderRole.EXECUTIVE_SPONSOR
CHAMPION = StakeholderRole.CHAMPION
EVALUATOR = StakeholderRole.TECHNICAL_EVALUATOR
USER = StakeholderRole.BUSINESS_USER
PROCUREMENT = StakeholderRole.PROCUREMENT
INFLUENCER = StakeholderRole.INFLUENCER
BLOCKER = StakeholderRole.BLOCKER
HIGH, MEDIUM, LOW = Influence.HIGH, Influence.MEDIUM, Influence.LOW
SUPPORTER, NEUTRAL, SKEPTIC = Attitude.SUPPORTER, Attitude.NEUTRAL, Attitude.SKEPTIC


@dataclass(frozen=True)
class Person:
    """One person of a decision chain; `needs` are the surface, middle and deep needs, in the
    words the customer uses."""

    key: str
    name: str
    title: str
    role: str
    influence: str = MEDIUM
    attitude: str = NEUTRAL
    reports_to: str | None = None
    needs: tuple[str, str, str] = ("", "", "")
    side: str = Side.CUSTOMER
    email: str = ""
    notes: str = ""
    account_wide: bool = False  # in every deal of the account, not only this opportunity


def vendor(key: str, name: str, title: str, role: str = EVALUATOR, *,
           reports_to: str | None = None, notes: str = "") -> Person:
    """Someone on our side of the table (the Helix team working the deal)."""
    return Person(key, name, title, role, influence=MEDIUM, attitude=SUPPORTER,
                  reports_to=reports_to, side=Side.VENDOR, notes=notes)


def chain_create(*, actor, opportunity, people: tuple[Person, ...]) -> dict[str, Stakeholder]:
    """Create the decision chain in order (a boss before the people reporting to them)."""
    created: dict[str, Stakeholder] = {}
    for person in people:
        surface, middle, deep = person.needs
        created[person.key] = stakeholder_create(
            actor=actor, account=opportunity.account, name=person.name,
            opportunity=None if person.account_wide else opportunity, title=person.title,
            side=person.side, role=person.role, influence=person.influence,
            attitude=person.attitude,
            reports_to=created[person.reports_to] if person.reports_to else None,
            needs_surface=surface, needs_middle=middle, needs_deep=deep, email=person.email,
            notes=person.notes)
    return created


def engage(*, actor, poc, stakeholder: Stakeholder, days_ago: int, kind: str, note: str) -> None:
    engagement_record(actor=actor, stakeholder=stakeholder, poc=poc, date=day(-days_ago),
                      kind=kind, note=note)
