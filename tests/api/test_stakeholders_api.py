"""/api/v1/stakeholders and /api/v1/pocs/{id}/engagements: the decision chain through the API."""

import datetime

import pytest

from pocdesk.core.models import Event
from pocdesk.stakeholders.models import Engagement, Stakeholder
from tests.factories import AccountFactory, OpportunityFactory, POCFactory


@pytest.fixture
def sponsor(account, opportunity, team):
    return Stakeholder.objects.create(
        team=team, account=account, opportunity=opportunity, name="Claire Martin",
        title="COO", role="executive_sponsor", influence="high", attitude="supporter")


@pytest.fixture
def foreign_stakeholder(other_team):
    account = AccountFactory(team=other_team, name="Mine of Kiruna")
    return Stakeholder.objects.create(team=other_team, account=account, name="Lars Berg")


def stakeholder_snapshot():
    return (list(Stakeholder.objects.order_by("pk").values_list()),
            list(Engagement.objects.order_by("pk").values_list()), Event.objects.count())


def test_a_stakeholder_is_created_with_every_field_and_read_back(
        account, opportunity, sponsor, engineer, api_as):
    api = api_as(engineer)

    response = api.post("/stakeholders", {
        "account": account.pk, "opportunity": opportunity.pk, "name": "Hugo Petit",
        "title": "Lighting engineer", "side": "customer", "role": "technical_evaluator",
        "influence": "low", "attitude": "skeptic", "reports_to": sponsor.pk,
        "needs_surface": "A dimmable luminaire", "needs_middle": "Energy targets",
        "needs_deep": "His promotion", "email": "hugo@louvre.example", "phone": "+33 1 40",
        "notes": "Prefers e-mail"})

    assert response.status_code == 201, response.content
    body = response.json()
    stakeholder = Stakeholder.objects.get(name="Hugo Petit")
    assert body["id"] == stakeholder.pk
    assert body["team"] == {"id": account.team_id, "name": "Lighting"}
    assert body["account"] == {"id": account.pk, "name": "Musée du Louvre"}
    assert body["opportunity"] == {"id": opportunity.pk, "name": "Heritage lighting retrofit"}
    assert body["reports_to"] == {"id": sponsor.pk, "name": "Claire Martin"}
    assert (body["name"], body["title"], body["side"], body["role"], body["influence"],
            body["attitude"]) == ("Hugo Petit", "Lighting engineer", "customer",
                                  "technical_evaluator", "low", "skeptic")
    assert (body["needs_surface"], body["needs_middle"], body["needs_deep"]) == (
        "A dimmable luminaire", "Energy targets", "His promotion")
    assert (body["email"], body["phone"], body["notes"]) == (
        "hugo@louvre.example", "+33 1 40", "Prefers e-mail")
    assert api.get(f"/stakeholders/{stakeholder.pk}").json() == body
    event = Event.objects.get(verb="stakeholder.created")
    assert (event.actor, event.target_id) == (engineer, str(stakeholder.pk))


def test_the_list_is_filtered_and_limited_to_the_user_teams(
        account, opportunity, sponsor, foreign_stakeholder, team, engineer, api_as):
    champion = Stakeholder.objects.create(team=team, account=account, name="Alice Champion",
                                          role="champion")  # every deal of the account
    other_account = AccountFactory(team=team, name="Opéra Garnier")
    other_deal = OpportunityFactory(account=other_account, owner=opportunity.owner)
    vendor = Stakeholder.objects.create(team=team, account=other_account, opportunity=other_deal,
                                        name="Victor Vendor", side="vendor", title="Partner CEO")
    api = api_as(engineer)

    def ids(**params):
        answer = api.get("/stakeholders", params).json()
        assert answer["count"] == len(answer["items"])
        return [item["id"] for item in answer["items"]]

    assert ids() == [champion.pk, sponsor.pk, vendor.pk]
    assert ids(account=account.pk) == [champion.pk, sponsor.pk]
    assert ids(opportunity=opportunity.pk) == [champion.pk, sponsor.pk]
    assert ids(opportunity=other_deal.pk) == [vendor.pk]
    assert ids(role="executive_sponsor") == [sponsor.pk]
    assert ids(side="vendor") == [vendor.pk]
    assert ids(q="partner") == [vendor.pk]
    assert ids(account=foreign_stakeholder.account_id) == []


def test_one_account_stakeholder_is_listed_once_for_a_deal_among_several(
        account, opportunity, sponsor, sales, engineer, api_as):
    OpportunityFactory(account=account, owner=sales)
    OpportunityFactory(account=account, owner=sales)

    answer = api_as(engineer).get("/stakeholders", {"opportunity": opportunity.pk}).json()

    assert (answer["count"], [item["id"] for item in answer["items"]]) == (1, [sponsor.pk])


def test_patch_changes_only_the_fields_sent(sponsor, engineer, api_as):
    response = api_as(engineer).patch(f"/stakeholders/{sponsor.pk}",
                                      {"attitude": "neutral", "opportunity": None})

    assert response.status_code == 200
    assert (response.json()["attitude"], response.json()["opportunity"]) == ("neutral", None)
    sponsor.refresh_from_db()
    assert (sponsor.attitude, sponsor.opportunity_id, sponsor.role, sponsor.name) == (
        "neutral", None, "executive_sponsor", "Claire Martin")
    assert Event.objects.get(verb="stakeholder.changed").data["changes"]["attitude"] == [
        "supporter", "neutral"]


@pytest.mark.parametrize("method", ["get", "patch"])
def test_another_team_stakeholder_is_not_found(foreign_stakeholder, engineer, api_as, method):
    api = api_as(engineer)
    before = stakeholder_snapshot()

    if method == "get":
        response = api.get(f"/stakeholders/{foreign_stakeholder.pk}")
    else:
        response = api.patch(f"/stakeholders/{foreign_stakeholder.pk}", {"name": "Hacked"})

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert stakeholder_snapshot() == before


def test_anonymous_callers_are_refused(sponsor, anonymous_api):
    assert anonymous_api.get("/stakeholders").status_code == 401
    assert anonymous_api.get(f"/stakeholders/{sponsor.pk}").status_code == 401


@pytest.mark.parametrize(("body", "bad_fields"), [
    ({"role": "kingmaker"}, ["role"]),
    ({"side": "both"}, ["side"]),
    ({"influence": "huge", "attitude": "hostile"}, ["influence", "attitude"]),
    ({"name": ""}, ["name"]),
    ({"email": "not an e-mail"}, ["email"]),
    ({"nickname": "Cla"}, ["nickname"]),
    ({"phone": "1" * 41}, ["phone"]),
])
def test_bad_stakeholder_fields_are_named(account, engineer, api_as, body, bad_fields):
    api = api_as(engineer)
    before = stakeholder_snapshot()

    response = api.post("/stakeholders", {"account": account.pk, "name": "Somebody", **body})

    assert response.status_code == 422, response.content
    assert sorted(response.json()["details"]["fields"]) == sorted(bad_fields)
    assert stakeholder_snapshot() == before


def test_reports_to_must_be_someone_of_the_same_account(account, team, sponsor, engineer, api_as):
    elsewhere = Stakeholder.objects.create(
        team=team, account=AccountFactory(team=team, name="Opéra Garnier"), name="Other boss")
    api = api_as(engineer)
    before = stakeholder_snapshot()

    created = api.post("/stakeholders", {"account": account.pk, "name": "Hugo",
                                         "reports_to": elsewhere.pk})
    changed = api.patch(f"/stakeholders/{sponsor.pk}", {"reports_to": elsewhere.pk})

    for response in (created, changed):
        assert response.status_code == 422
        assert response.json()["details"]["fields"] == {
            "reports_to": ["Choose someone of the same account."]}
    assert stakeholder_snapshot() == before


def test_a_reporting_loop_is_refused(account, team, sponsor, engineer, api_as):
    deputy = Stakeholder.objects.create(team=team, account=account, name="Deputy",
                                        reports_to=sponsor)

    response = api_as(engineer).patch(f"/stakeholders/{sponsor.pk}", {"reports_to": deputy.pk})

    assert response.status_code == 422
    assert list(response.json()["details"]["fields"]) == ["reports_to"]
    assert Stakeholder.objects.get(pk=sponsor.pk).reports_to_id is None


def test_links_to_other_teams_objects_are_refused_by_name(
        account, foreign_stakeholder, sponsor, engineer, api_as):
    foreign_deal = OpportunityFactory(account=foreign_stakeholder.account)
    api = api_as(engineer)
    before = stakeholder_snapshot()

    other_account = api.post("/stakeholders", {"account": foreign_stakeholder.account_id,
                                               "name": "Spy"})
    other_deal = api.post("/stakeholders", {"account": account.pk, "name": "Spy",
                                            "opportunity": foreign_deal.pk})
    other_boss = api.patch(f"/stakeholders/{sponsor.pk}",
                           {"reports_to": foreign_stakeholder.pk})

    assert [list(response.json()["details"]["fields"])
            for response in (other_account, other_deal, other_boss)] == [
        ["account"], ["opportunity"], ["reports_to"]]
    assert {response.status_code for response in (other_account, other_deal, other_boss)} == {422}
    assert stakeholder_snapshot() == before


# --- engagements -----------------------------------------------------------------------------

def test_an_engagement_is_recorded_and_listed(poc, sponsor, engineer, api_as):
    api = api_as(engineer)

    response = api.post(f"/pocs/{poc.pk}/engagements", {
        "stakeholder": sponsor.pk, "date": "2026-03-02", "kind": "workshop",
        "note": "Opened the kick-off"})

    assert response.status_code == 201, response.content
    body = response.json()
    engagement = Engagement.objects.get()
    assert body == {
        "id": engagement.pk, "stakeholder": {"id": sponsor.pk, "name": "Claire Martin"},
        "date": "2026-03-02", "kind": "workshop", "note": "Opened the kick-off",
        "recorded_by": {"id": engineer.pk, "username": "engineer", "name": "Engineer"},
        "recorded_at": body["recorded_at"]}
    assert (engagement.poc, engagement.date) == (poc, datetime.date(2026, 3, 2))
    listed = api.get(f"/pocs/{poc.pk}/engagements").json()
    assert (listed["count"], listed["items"]) == (1, [body])
    event = Event.objects.get(verb="stakeholder.engaged")
    assert (event.poc, event.actor, event.data["kind"]) == (poc, engineer, "workshop")


def test_an_engagement_defaults_to_a_meeting_today(poc, sponsor, engineer, api_as):
    response = api_as(engineer).post(f"/pocs/{poc.pk}/engagements", {"stakeholder": sponsor.pk})

    assert response.status_code == 201
    assert (response.json()["kind"], response.json()["date"]) == (
        "meeting", datetime.date.today().isoformat())


def test_only_people_of_the_poc_customer_engage(poc, team, sponsor, foreign_stakeholder,
                                                  engineer, api_as):
    stranger = Stakeholder.objects.create(
        team=team, account=AccountFactory(team=team, name="Opéra Garnier"), name="Stranger")
    api = api_as(engineer)
    before = stakeholder_snapshot()

    other_customer = api.post(f"/pocs/{poc.pk}/engagements", {"stakeholder": stranger.pk})
    other_team = api.post(f"/pocs/{poc.pk}/engagements", {"stakeholder": foreign_stakeholder.pk})
    bad_kind = api.post(f"/pocs/{poc.pk}/engagements", {"stakeholder": sponsor.pk,
                                                        "kind": "dinner"})

    assert [(response.status_code, list(response.json()["details"]["fields"]))
            for response in (other_customer, other_team, bad_kind)] == [
        (422, ["stakeholder"]), (422, ["stakeholder"]), (422, ["kind"])]
    assert stakeholder_snapshot() == before


def test_another_team_poc_engagements_are_not_found(other_team, sponsor, engineer, api_as):
    foreign_poc = POCFactory(opportunity__account__team=other_team)
    api = api_as(engineer)

    assert api.get(f"/pocs/{foreign_poc.pk}/engagements").status_code == 404
    assert api.post(f"/pocs/{foreign_poc.pk}/engagements",
                    {"stakeholder": sponsor.pk}).status_code == 404
    assert not Engagement.objects.exists()
