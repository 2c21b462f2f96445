import datetime
from decimal import Decimal

import pytest

from pocdesk.core.errors import PermissionDenied, ValidationFailed
from pocdesk.core.models import Event
from pocdesk.opportunities.models import CloseDatePush, ExchangeRate, Opportunity
from pocdesk.opportunities.services import opportunity_create, opportunity_update

CLOSE = datetime.date(2027, 3, 31)


def test_an_opportunity_in_the_reporting_currency_has_rate_one(account, sales):
    opportunity = opportunity_create(
        actor=sales, account=account, name="Retrofit", amount=Decimal("120000"), currency="eur",
        expected_close_date=CLOSE,
        competitors=[{"name": "Signify", "position": "behind"}, {"name": "", "position": "ahead"}],
    )

    assert (opportunity.currency, opportunity.exchange_rate, opportunity.team_id) == (
        "EUR", Decimal("1"), account.team_id)
    assert [(c.name, c.position) for c in opportunity.competitors.all()] == [("Signify", "behind")]
    assert Event.objects.get(target_type="opportunity").verb == "opportunity.created"


def test_the_rate_in_force_is_fixed_at_entry(account, sales):
    ExchangeRate.objects.create(currency="CNY", reporting_currency="EUR", rate=Decimal("0.13"),
                                valid_from=datetime.date(2020, 1, 1))
    opportunity = opportunity_create(actor=sales, account=account, name="LED", amount=Decimal("1000000"),
                                     currency="CNY", expected_close_date=CLOSE)
    ExchangeRate.objects.create(currency="CNY", reporting_currency="EUR", rate=Decimal("0.10"),
                                valid_from=datetime.date(2021, 1, 1))

    opportunity.refresh_from_db()
    assert opportunity.exchange_rate == Decimal("0.13")
    assert opportunity.amount_in_reporting_currency == Decimal("130000.00")


def test_without_a_recorded_rate_the_user_must_give_one(account, sales):
    with pytest.raises(ValidationFailed) as refusal:
        opportunity_create(actor=sales, account=account, name="Mine", amount=Decimal("5"),
                           currency="USD", expected_close_date=CLOSE)

    assert list(refusal.value.fields) == ["exchange_rate"]
    assert not Opportunity.objects.exists()


@pytest.mark.parametrize(
    ("changes", "bad_field"),
    [({"amount": Decimal("-1")}, "amount"), ({"currency": "EURO"}, "currency"),
     ({"amount": Decimal("1e20")}, "amount"), ({"stage": "won"}, "stage"),
     ({"name": ""}, "name")],
)
def test_bad_input_names_the_field(account, sales, changes, bad_field):
    arguments = {"name": "Deal", "amount": Decimal("10"), "currency": "EUR",
                 "expected_close_date": CLOSE, **changes}

    with pytest.raises(ValidationFailed) as refusal:
        opportunity_create(actor=sales, account=account, **arguments)

    assert bad_field in refusal.value.fields
    assert not Opportunity.objects.exists()
    assert not Event.objects.exists()


def test_a_bad_competitor_position_is_refused(account, sales):
    with pytest.raises(ValidationFailed) as refusal:
        opportunity_create(actor=sales, account=account, name="Deal", amount=Decimal("10"),
                           currency="EUR", expected_close_date=CLOSE,
                           competitors=[{"name": "Acme", "position": "miles ahead"}])

    assert list(refusal.value.fields) == ["competitors"]
    assert not Opportunity.objects.exists()


def test_pushing_the_close_date_is_recorded(opportunity, sales):
    old_date = opportunity.expected_close_date
    new_date = old_date + datetime.timedelta(days=45)

    opportunity_update(actor=sales, opportunity=opportunity, expected_close_date=new_date,
                       close_date_reason="Board meeting moved")

    push = CloseDatePush.objects.get(opportunity=opportunity)
    assert (push.from_date, push.to_date, push.days, push.reason, push.pushed_by) == (
        old_date, new_date, 45, "Board meeting moved", sales)
    assert sorted(Event.objects.values_list("verb", flat=True)) == [
        "opportunity.changed", "opportunity.close_date_pushed"]


def test_replacing_competitors_is_one_change(opportunity, sales):
    opportunity_update(actor=sales, opportunity=opportunity,
                       competitors=[{"name": "Philips", "position": "ahead"}])
    opportunity_update(actor=sales, opportunity=opportunity,
                       competitors=[{"name": "Philips", "position": "ahead"}])

    assert list(opportunity.competitors.values_list("name", "position")) == [("Philips", "ahead")]
    assert Event.objects.filter(verb="opportunity.changed").count() == 1


@pytest.mark.parametrize(
    ("actor_name", "allowed"),
    [("anonymous", False), ("outsider", False), ("engineer", False), ("sales", True),
     ("manager", True), ("admin", True)],
)
def test_who_may_write_opportunities(account, opportunity, actors, actor_name, allowed):
    actor = actors[actor_name]
    before = (Opportunity.objects.count(), Event.objects.count())
    arguments = {"actor": actor, "account": account, "name": "Second deal", "amount": Decimal("5"),
                 "currency": "EUR", "expected_close_date": CLOSE, "owner": opportunity.owner}
    if allowed:
        opportunity_create(**arguments)
        opportunity_update(actor=actor, opportunity=opportunity, amount=Decimal("99"))
        assert Opportunity.objects.get(pk=opportunity.pk).amount == Decimal("99")
    else:
        with pytest.raises(PermissionDenied):
            opportunity_create(**arguments)
        with pytest.raises(PermissionDenied):
            opportunity_update(actor=actor, opportunity=opportunity, amount=Decimal("99"))
        assert (Opportunity.objects.count(), Event.objects.count()) == before
        assert Opportunity.objects.get(pk=opportunity.pk).amount == Decimal("250000.00")


def test_a_confirmed_budget_says_who_confirmed_it(opportunity, sales):
    with pytest.raises(ValidationFailed) as refusal:
        opportunity_update(actor=sales, opportunity=opportunity, budget_confirmed=True)

    assert list(refusal.value.fields) == ["budget_confirmed_by"]
    assert Opportunity.objects.get(pk=opportunity.pk).budget_confirmed is False


def test_confirming_the_budget_dates_it(opportunity, sales):
    opportunity = opportunity_update(actor=sales, opportunity=opportunity, budget_confirmed=True,
                                     budget_confirmed_by="CFO", budget_amount=Decimal("300000"),
                                     purchase_process="tender", purchase_reference="T-77")

    assert opportunity.budget_confirmed_on is not None
    assert (opportunity.purchase_process, opportunity.purchase_reference) == ("tender", "T-77")


@pytest.mark.parametrize(("actor_name", "allowed"), [
    ("anonymous", False), ("outsider", False), ("engineer", True), ("sales", True),
    ("manager", True)])
def test_any_team_member_records_red_flag_observations(opportunity, actors, actor_name, allowed):
    from pocdesk.opportunities.services import opportunity_red_flags_record

    if allowed:
        opportunity_red_flags_record(actor=actors[actor_name], opportunity=opportunity,
                                     customer_evasive=True, red_flag_notes="Changed the subject")
        assert Opportunity.objects.get(pk=opportunity.pk).customer_evasive is True
    else:
        with pytest.raises(PermissionDenied):
            opportunity_red_flags_record(actor=actors[actor_name], opportunity=opportunity,
                                         customer_evasive=True)
        assert Opportunity.objects.get(pk=opportunity.pk).customer_evasive is False


def test_the_engineer_cannot_change_commercial_fields_through_the_red_flag_service(opportunity, engineer):
    from pocdesk.opportunities.services import opportunity_red_flags_record

    with pytest.raises(ValidationFailed):
        opportunity_red_flags_record(actor=engineer, opportunity=opportunity, amount=Decimal("1"))
