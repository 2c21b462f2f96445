"""/api/v1/accounts: create, read, change, list; refusals change nothing."""

import pytest

from pocdesk.accounts.models import Account
from pocdesk.core.models import Event
from tests.factories import AccountFactory, MembershipFactory, OpportunityFactory


def account_snapshot(account):
    account = Account.objects.get(pk=account.pk)
    return (account.name, account.country, account.currency, account.industry, account.notes,
            Event.objects.filter(target_type="account").count())


def test_an_account_executive_creates_and_reads_an_account(team, sales, api_as):
    api = api_as(sales)

    created = api.post("/accounts", {"name": "Airbus Toulouse", "country": "fr",
                                     "industry": "Aerospace", "size": "enterprise",
                                     "currency": "eur", "website": "https://www.airbus.com"})

    assert created.status_code == 201
    account = Account.objects.get()
    body = created.json()
    assert {key: body[key] for key in ("id", "name", "country", "country_name", "industry",
                                       "size", "currency", "website", "opportunity_count")} == {
        "id": account.pk, "name": "Airbus Toulouse", "country": "FR", "country_name": "France",
        "industry": "Aerospace", "size": "enterprise", "currency": "EUR",
        "website": "https://www.airbus.com", "opportunity_count": 0}
    assert body["team"] == {"id": team.pk, "name": "Lighting"}
    assert account.team == team
    assert api.get(f"/accounts/{account.pk}").json() == body


def test_the_team_must_be_named_when_the_user_has_several(team, other_team, sales, api_as):
    MembershipFactory(team=other_team, user=sales, role="account_executive")
    api = api_as(sales)

    without_team = api.post("/accounts", {"name": "Airbus"})
    with_team = api.post("/accounts", {"name": "Airbus", "team": other_team.pk})

    assert without_team.status_code == 422
    assert without_team.json()["details"]["fields"] == {"team": ["This field is required."]}
    assert with_team.status_code == 201
    assert Account.objects.get().team == other_team


def test_a_team_of_others_is_refused(team, other_team, sales, api_as):
    response = api_as(sales).post("/accounts", {"name": "Airbus", "team": other_team.pk})

    assert response.status_code == 422
    assert list(response.json()["details"]["fields"]) == ["team"]
    assert Account.objects.count() == 0


def test_an_engineer_may_not_create_an_account(team, engineer, api_as):
    response = api_as(engineer).post("/accounts", {"name": "Airbus"})

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert Account.objects.count() == 0


@pytest.mark.parametrize(("body", "bad_fields"), [
    ({"name": "Airbus", "currency": "EURO"}, ["currency"]),
    ({"name": "Airbus", "currency": "XYZ"}, ["currency"]),
    ({"name": "Airbus", "country": "France"}, ["country"]),
    ({"name": "Airbus", "size": "huge"}, ["size"]),
    ({"name": "Airbus", "website": "not a url"}, ["website"]),
    ({"name": ""}, ["name"]),
    ({"name": ["Airbus"]}, ["name"]),
    ({}, ["name"]),
])
def test_bad_account_fields_are_named(team, sales, api_as, body, bad_fields):
    response = api_as(sales).post("/accounts", body)

    assert response.status_code == 422
    assert list(response.json()["details"]["fields"]) == bad_fields
    assert Account.objects.count() == 0


def test_a_duplicate_name_in_the_team_is_refused(account, sales, api_as):
    response = api_as(sales).post("/accounts", {"name": "Musée du Louvre"})

    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    assert Account.objects.count() == 1


def test_patch_changes_only_the_fields_sent(account, sales, api_as):
    response = api_as(sales).patch(f"/accounts/{account.pk}", {"notes": "Met the CIO"})

    assert response.status_code == 200
    assert (response.json()["notes"], response.json()["name"]) == ("Met the CIO", "Musée du Louvre")
    account.refresh_from_db()
    assert (account.notes, account.name, account.country) == ("Met the CIO", "Musée du Louvre", "FR")
    assert Event.objects.get(target_type="account").data == {"changes": {"notes": ["", "Met the CIO"]}}


def test_patch_refusals_change_nothing(account, sales, engineer, outsider, api_as):
    before = account_snapshot(account)

    forbidden = api_as(engineer).patch(f"/accounts/{account.pk}", {"name": "Louvre"})
    invisible = api_as(outsider).patch(f"/accounts/{account.pk}", {"name": "Louvre"})
    invalid = api_as(sales).patch(f"/accounts/{account.pk}", {"currency": "ZZZ"})
    unknown_field = api_as(sales).patch(f"/accounts/{account.pk}", {"team": 3})

    assert [forbidden.status_code, invisible.status_code, invalid.status_code,
            unknown_field.status_code] == [403, 404, 422, 422]
    assert list(unknown_field.json()["details"]["fields"]) == ["team"]
    assert account_snapshot(account) == before


def test_the_list_filters_and_counts_opportunities(account, other_team, sales, api_as):
    AccountFactory(team=account.team, name="Siemens", country="DE", industry="Industry")
    AccountFactory(team=other_team, name="Rio Tinto", country="AU")
    OpportunityFactory(account=account, owner=sales)
    api = api_as(sales)

    everything = api.get("/accounts").json()
    german = api.get("/accounts", {"country": "de"}).json()
    searched = api.get("/accounts", {"q": "louvre"}).json()
    by_country = api.get("/accounts", {"ordering": "-country"}).json()

    assert everything["count"] == 2
    assert [(item["name"], item["opportunity_count"]) for item in everything["items"]] == [
        ("Musée du Louvre", 1), ("Siemens", 0)]
    assert [item["name"] for item in german["items"]] == ["Siemens"]
    assert [item["name"] for item in searched["items"]] == ["Musée du Louvre"]
    assert [item["country"] for item in by_country["items"]] == ["FR", "DE"]


def test_another_team_account_is_not_found(account, outsider, api_as):
    assert api_as(outsider).get(f"/accounts/{account.pk}").status_code == 404
