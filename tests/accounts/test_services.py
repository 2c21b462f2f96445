import pytest

from pocdesk.accounts.models import Account
from pocdesk.accounts.services import account_create, account_update
from pocdesk.core.errors import PermissionDenied, ValidationFailed
from pocdesk.core.models import Event


def test_creating_an_account_normalises_codes_and_writes_an_event(team, sales):
    account = account_create(actor=sales, team=team, name="Fashion Brand Inc.", country="us",
                             currency="usd", industry="Apparel")

    assert (account.country, account.currency, account.team) == ("US", "USD", team)
    assert Event.objects.get().verb == "account.created"


@pytest.mark.parametrize(("field", "value"), [("country", "XX"), ("currency", "ABC"),
                                              ("name", ""), ("website", "not a url")])
def test_bad_input_names_the_field_and_creates_nothing(team, sales, field, value):
    arguments = {"name": "Mine Co", "country": "ID", "currency": "IDR", field: value}

    with pytest.raises(ValidationFailed) as refusal:
        account_create(actor=sales, team=team, **arguments)

    assert list(refusal.value.fields) == [field]
    assert not Account.objects.exists()


def test_account_names_are_unique_within_a_team(account, sales):
    with pytest.raises(ValidationFailed) as refusal:
        account_create(actor=sales, team=account.team, name=account.name)

    assert "non_field_errors" in refusal.value.fields
    assert Account.objects.count() == 1


def test_update_records_the_diff(account, sales):
    account_update(actor=sales, account=account, industry="Museums")

    assert Event.objects.get().data == {"changes": {"industry": ["Manufacturing", "Museums"]}}


@pytest.mark.parametrize(
    ("actor_name", "allowed"),
    [("anonymous", False), ("outsider", False), ("engineer", False), ("sales", True),
     ("manager", True), ("admin", True)],
)
def test_who_may_write_accounts(team, account, actors, actor_name, allowed):
    actor = actors[actor_name]
    if allowed:
        account_create(actor=actor, team=team, name="Another customer")
        account_update(actor=actor, account=account, industry="Museums")
        assert Account.objects.count() == 2
    else:
        with pytest.raises(PermissionDenied):
            account_create(actor=actor, team=team, name="Another customer")
        with pytest.raises(PermissionDenied):
            account_update(actor=actor, account=account, industry="Museums")
        assert Account.objects.count() == 1
        assert Account.objects.get().industry == "Manufacturing"
        assert not Event.objects.exists()
