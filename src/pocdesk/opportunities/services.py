from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pocdesk.core.errors import ValidationFailed
from pocdesk.core.events import event_record, register_event_verbs
from pocdesk.core.files import stored_file_create
from pocdesk.core.permissions import require_perm
from pocdesk.core.services import apply_changes, validate_instance
from pocdesk.people.roles import require_team_member

from .models import (
    CLOSED_STAGES,
    CloseDatePush,
    Competitor,
    CompetitorPosition,
    ExchangeRate,
    Opportunity,
)

register_event_verbs({
    "opportunity.created": gettext_lazy("Opportunity %(target)s created"),
    "opportunity.changed": gettext_lazy("Opportunity %(target)s changed: %(changes)s"),
    "opportunity.close_date_pushed": gettext_lazy(
        "Expected close date of %(target)s moved from %(from_date)s to %(to_date)s"),
})

EDITABLE_FIELDS = {"name", "amount", "currency", "exchange_rate", "expected_close_date", "stage",
                   "owner", "source", "description",
                   # qualification (§4)
                   "purchase_process", "purchase_reference", "budget_confirmed", "budget_amount",
                   "budget_confirmed_by", "budget_confirmed_on", "decision_date", "nda_signed",
                   "nda_reference"}
RED_FLAG_FIELDS = {"customer_evasive", "free_production_use", "red_flag_notes"}
QUALIFICATION_FIELDS = {"purchase_process", "purchase_reference", "budget_confirmed",
                        "budget_amount", "budget_confirmed_by", "budget_confirmed_on",
                        "decision_date", "nda_signed", "nda_reference"}


def exchange_rate_lookup(*, currency: str, reporting_currency: str,
                         on: datetime.date | None = None) -> Decimal | None:
    """The rate in force on `on` (today by default), or None when none is recorded."""
    if currency == reporting_currency:
        return Decimal("1")
    on = on or timezone.localdate()
    return (
        ExchangeRate.objects.filter(currency=currency, reporting_currency=reporting_currency,
                                    valid_from__lte=on)
        .order_by("-valid_from").values_list("rate", flat=True).first()
    )


def _resolve_exchange_rate(*, team, currency: str, exchange_rate) -> Decimal:
    if exchange_rate not in (None, ""):
        try:
            return Decimal(str(exchange_rate))
        except (InvalidOperation, ValueError) as error:
            raise ValidationFailed({"exchange_rate": [_("Enter a number.")]}) from error
    rate = exchange_rate_lookup(currency=currency, reporting_currency=team.reporting_currency)
    if rate is None:
        raise ValidationFailed({"exchange_rate": [
            _("No exchange rate from %(currency)s to %(reporting)s is recorded: enter the rate.")
            % {"currency": currency, "reporting": team.reporting_currency}
        ]})
    return rate




def _clean_competitors(competitors: Iterable[dict]) -> list[Competitor]:
    cleaned: dict[str, Competitor] = {}
    errors: list[str] = []
    for competitor in competitors:
        name = (competitor.get("name") or "").strip()
        position = competitor.get("position") or CompetitorPosition.UNKNOWN
        if not name:
            continue
        if position not in CompetitorPosition.values:
            errors.append(_("“%(position)s” is not a valid position for %(name)s.")
                          % {"position": position, "name": name})
            continue
        cleaned[name.casefold()] = Competitor(name=name[:120], position=position)
    if errors:
        raise ValidationFailed({"competitors": errors})
    return list(cleaned.values())


def _replace_competitors(opportunity: Opportunity, competitors: list[Competitor]) -> None:
    opportunity.competitors.all().delete()
    for competitor in competitors:
        competitor.opportunity = opportunity
    Competitor.objects.bulk_create(competitors)


def _validate_budget(opportunity: Opportunity, *, actor) -> None:
    if opportunity.budget_confirmed:
        if not opportunity.budget_confirmed_by.strip():
            raise ValidationFailed({"budget_confirmed_by": [
                _("Say who at the customer confirmed the budget.")]})
        if opportunity.budget_confirmed_on is None:
            opportunity.budget_confirmed_on = timezone.localdate()


@transaction.atomic
def opportunity_red_flags_record(*, actor, opportunity: Opportunity, **observations) -> Opportunity:
    """The engineer's red-flag observations (§4.2): any member of the deal's team records them."""
    require_perm(actor, "pocdesk.edit_poc", opportunity)
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    diff = apply_changes(opportunity, observations, allowed=RED_FLAG_FIELDS)
    if diff:
        validate_instance(opportunity)
        opportunity.save()
        event_record(actor=actor, verb="opportunity.changed", target=opportunity,
                     data={"changes": diff})
    return opportunity


@transaction.atomic
def opportunity_create(*, actor, account, name: str, amount, currency: str,
                       expected_close_date: datetime.date, owner=None, stage: str | None = None,
                       source: str = "", description: str = "", exchange_rate=None,
                       competitors: Iterable[dict] = (), **qualification) -> Opportunity:
    """`qualification`: the §4 fields and the red-flag observations, known from the start."""
    team = account.team
    require_perm(actor, "pocdesk.edit_commercial", team)
    unknown = sorted(set(qualification) - QUALIFICATION_FIELDS - RED_FLAG_FIELDS)
    if unknown:
        raise ValidationFailed({name: [_("This field cannot be changed here.")] for name in unknown})
    owner = owner or actor
    currency = (currency or "").upper()
    opportunity = Opportunity(
        team=team, account=account, name=(name or "").strip(), amount=amount, currency=currency,
        expected_close_date=expected_close_date, owner=owner, source=source or "",
        description=description or "",
    )
    if stage:
        opportunity.stage = stage
    for name, value in qualification.items():
        setattr(opportunity, name, value)
    _validate_budget(opportunity, actor=actor)
    validate_instance(opportunity, exclude=["exchange_rate"])
    require_team_member(field="owner", team=team, user=owner)
    opportunity.exchange_rate = _resolve_exchange_rate(team=team, currency=currency,
                                                       exchange_rate=exchange_rate)
    validate_instance(opportunity)
    competitor_rows = _clean_competitors(competitors)
    opportunity.save()
    _replace_competitors(opportunity, competitor_rows)
    event_record(actor=actor, verb="opportunity.created", target=opportunity,
                 data={"amount": str(opportunity.amount), "currency": currency})
    return opportunity


@transaction.atomic
def opportunity_update(*, actor, opportunity: Opportunity, competitors: Iterable[dict] | None = None,
                       close_date_reason: str = "", purchase_document=None,
                       **changes) -> Opportunity:
    require_perm(actor, "pocdesk.edit_commercial", opportunity)
    opportunity = Opportunity.objects.select_for_update().select_related("team").get(pk=opportunity.pk)
    if "currency" in changes:
        changes["currency"] = (changes["currency"] or "").upper()
    old_close_date = opportunity.expected_close_date
    diff = apply_changes(opportunity, changes, allowed=EDITABLE_FIELDS)
    if "currency" in diff and "exchange_rate" not in changes:
        opportunity.exchange_rate = _resolve_exchange_rate(
            team=opportunity.team, currency=opportunity.currency, exchange_rate=None)
        diff["exchange_rate"] = [None, str(opportunity.exchange_rate)]
    if "owner" in diff:
        require_team_member(field="owner", team=opportunity.team, user=opportunity.owner)
    if purchase_document is not None:
        opportunity.purchase_document = stored_file_create(
            actor=actor, team=opportunity.team, uploaded=purchase_document,
            field="purchase_document", folder="purchasing")
        diff["purchase_document"] = [None, opportunity.purchase_document.original_name]
    _validate_budget(opportunity, actor=actor)
    validate_instance(opportunity)
    competitor_rows = _clean_competitors(competitors) if competitors is not None else None
    if competitor_rows is not None:
        before = sorted((c.name, c.position) for c in opportunity.competitors.all())
        after = sorted((c.name, c.position) for c in competitor_rows)
        if before != after:
            diff["competitors"] = [[name for name, _p in before], [name for name, _p in after]]
    if not diff:
        return opportunity
    opportunity.save()
    if competitor_rows is not None and "competitors" in diff:
        _replace_competitors(opportunity, competitor_rows)
    if "expected_close_date" in diff:
        push = CloseDatePush.objects.create(
            opportunity=opportunity, from_date=old_close_date,
            to_date=opportunity.expected_close_date, reason=(close_date_reason or "")[:255],
            pushed_by=actor,
        )
        event_record(actor=actor, verb="opportunity.close_date_pushed", target=opportunity,
                     data={"from_date": push.from_date, "to_date": push.to_date,
                           "days": push.days, "reason": push.reason})
    event_record(actor=actor, verb="opportunity.changed", target=opportunity,
                 data={"changes": diff})
    if "stage" in diff and opportunity.stage in CLOSED_STAGES:
        from pocdesk.insights.scoring import enqueue_scores_recompute

        enqueue_scores_recompute(opportunity.team_id)  # one more closed deal to learn from
    return opportunity
