import datetime

import pytest

from pocdesk.core.errors import PermissionDenied, ValidationFailed
from pocdesk.core.models import Event
from pocdesk.stakeholders.models import Engagement, Stakeholder
from pocdesk.stakeholders.selectors import decision_chain, stakeholder_list
from pocdesk.stakeholders.services import engagement_record, stakeholder_create, stakeholder_update
from tests.factories import AccountFactory, POCFactory


@pytest.fixture
def sponsor(account, opportunity, engineer):
    return stakeholder_create(actor=engineer, account=account, opportunity=opportunity,
                              name="Hélène Marchand", title="Directrice du patrimoine",
                              role="executive_sponsor", influence="high", attitude="supporter",
                              needs_deep="Leave a legacy: the museum lit for the next century.")


def test_creating_a_stakeholder_writes_an_event(sponsor, account):
    assert (sponsor.team_id, sponsor.account) == (account.team_id, account)
    assert Event.objects.get().verb == "stakeholder.created"


@pytest.mark.parametrize(("field", "value"), [("role", "king"), ("attitude", "hostile"),
                                              ("influence", "huge"), ("email", "not-an-email")])
def test_bad_values_name_the_field(account, engineer, field, value):
    with pytest.raises(ValidationFailed) as refusal:
        stakeholder_create(actor=engineer, account=account, name="X", **{field: value})

    assert list(refusal.value.fields) == [field]
    assert not Stakeholder.objects.exists()


def test_reports_to_must_be_at_the_same_account(sponsor, engineer, team):
    elsewhere = AccountFactory(team=team, name="Other museum")

    with pytest.raises(ValidationFailed) as refusal:
        stakeholder_create(actor=engineer, account=elsewhere, name="Paul", reports_to=sponsor)

    assert list(refusal.value.fields) == ["reports_to"]


def test_reporting_loops_are_refused(sponsor, account, engineer):
    deputy = stakeholder_create(actor=engineer, account=account, name="Deputy", reports_to=sponsor)

    with pytest.raises(ValidationFailed) as refusal:
        stakeholder_update(actor=engineer, stakeholder=sponsor, reports_to=deputy)

    assert list(refusal.value.fields) == ["reports_to"]
    sponsor.refresh_from_db()
    assert sponsor.reports_to is None


def test_the_opportunity_must_belong_to_the_account(engineer, team, opportunity):
    elsewhere = AccountFactory(team=team, name="Other museum")

    with pytest.raises(ValidationFailed) as refusal:
        stakeholder_create(actor=engineer, account=elsewhere, opportunity=opportunity, name="X")

    assert list(refusal.value.fields) == ["opportunity"]


def test_recording_an_engagement(sponsor, poc, engineer):
    engagement = engagement_record(actor=engineer, stakeholder=sponsor, poc=poc,
                                   date=datetime.date(2026, 11, 20), kind="site_visit",
                                   note="Walked the east wing")

    assert (engagement.stakeholder, engagement.poc, engagement.kind) == (sponsor, poc, "site_visit")
    event = Event.objects.get(verb="stakeholder.engaged")
    assert event.poc == poc
    assert "Site visit" in event.description


def test_an_engagement_must_be_with_someone_of_the_poc_customer(sponsor, engineer, team):
    foreign_poc = POCFactory(opportunity__account__team=team)

    with pytest.raises(ValidationFailed) as refusal:
        engagement_record(actor=engineer, stakeholder=sponsor, poc=foreign_poc)

    assert list(refusal.value.fields) == ["stakeholder"]
    assert not Engagement.objects.exists()


@pytest.mark.parametrize(("actor_name", "allowed"), [
    ("anonymous", False), ("outsider", False), ("engineer", True), ("sales", True),
    ("manager", True), ("admin", True)])
def test_who_records_stakeholders(account, actors, actor_name, allowed):
    if allowed:
        stakeholder_create(actor=actors[actor_name], account=account, name="Someone")
        assert Stakeholder.objects.count() == 1
    else:
        with pytest.raises(PermissionDenied):
            stakeholder_create(actor=actors[actor_name], account=account, name="Someone")
        assert not Stakeholder.objects.exists()


def test_the_decision_chain_is_drawn_from_reports_to(sponsor, account, engineer, poc):
    champion = stakeholder_create(actor=engineer, account=account, name="Amir", role="champion",
                                  reports_to=sponsor)
    blocker = stakeholder_create(actor=engineer, account=account, name="Bruno", role="blocker",
                                 attitude="skeptic", reports_to=sponsor)
    vendor = stakeholder_create(actor=engineer, account=account, name="Our CTO", side="vendor")
    engagement_record(actor=engineer, stakeholder=champion, poc=poc)

    chain = decision_chain(stakeholders=list(stakeholder_list(user=engineer, account_id=account.pk)),
                           engaged_ids={champion.pk})

    assert [node["stakeholder"] for node in chain] == [sponsor, vendor]
    assert chain[0]["is_sponsor"] is True
    children = chain[0]["children"]
    assert [(n["stakeholder"], n["is_champion"], n["is_blocker"], n["engaged"]) for n in children] == [
        (champion, True, False, True), (blocker, False, True, False)]
