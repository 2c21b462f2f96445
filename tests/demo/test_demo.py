"""`pocdesk demo`: the demo company, its seven stories, idempotence, --scale, --reset, refusal."""

import io

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import RequestFactory

from pocdesk.accounts.models import Account
from pocdesk.core.models import Event
from pocdesk.demo.people import DEMO_PEOPLE, DEMO_USERNAMES
from pocdesk.demo.stories import BUREAU_ACCOUNT, PILOT_ACCOUNT, SEVEN_STORIES
from pocdesk.opportunities.models import CloseDatePush, Competitor, ExchangeRate, Opportunity
from pocdesk.people.models import Membership, Profile, Team
from pocdesk.pocs.models import POC, Status
from pocdesk.pocs.selectors import poc_list

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

COUNTED = [get_user_model(), Profile, Team, Membership, ExchangeRate, Account, Opportunity,
           Competitor, CloseDatePush, POC, Event]


def demo(*arguments) -> str:
    out = io.StringIO()
    call_command("demo", "--no-serve", *arguments, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.fixture(scope="class")
def seeded(django_db_setup, django_db_blocker):
    """One seeding shared by the read-only tests of a class, rolled back after them: each
    seeding costs about a second, and these tests only look."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield demo()
        transaction.set_rollback(True)


@pytest.mark.usefixtures("seeded")
class TestTheSeededCompany:
    def test_every_demo_login_signs_in_with_the_demo_password(self, seeded):
        users = get_user_model().objects.select_related("profile")
        assert sorted(users.values_list("username", flat=True)) == sorted(DEMO_USERNAMES)
        for person in DEMO_PEOPLE:
            request = RequestFactory().post("/accounts/login/")
            user = authenticate(request=request, username=person.username, password="demo")
            assert user is not None, person.username
            assert user.profile.language == person.language
            assert user.is_staff == (person.username == "admin")
            assert person.username in seeded
        assert "http://127.0.0.1:8000/" in seeded
        assert {"zh-hans", "fr", "en"} == {person.language for person in DEMO_PEOPLE}

    def test_every_role_holds_its_teams(self):
        roles = set(Membership.objects.values_list("user__username", "team__slug", "role"))
        expected = {(person.username, slug, person.role) for person in DEMO_PEOPLE
                    for slug in person.teams}
        assert roles == expected
        assert {role for _user, _team, role in roles} == {"manager", "presales_engineer",
                                                         "account_executive"}
        assert Team.objects.count() == 4

    def test_every_poc_status_appears(self):
        assert set(POC.objects.values_list("status", flat=True)) == set(Status.values)

    @pytest.mark.parametrize("story", SEVEN_STORIES, ids=lambda story: story.key)
    def test_each_of_the_seven_stories_is_there_in_its_state_and_language(self, story):
        poc = POC.objects.get(opportunity__account__name=story.account, status=story.status)
        assert poc.language == story.language
        assert poc.objective
        assert Event.objects.filter(poc=poc, verb="poc.created").count() == 1

    def test_the_french_pilot_drifted_from_3_to_12_months(self):
        poc = POC.objects.get(opportunity__account__name=PILOT_ACCOUNT)
        pushes = CloseDatePush.objects.filter(opportunity=poc.opportunity)
        assert poc.status == Status.PAUSED
        assert poc.duration_days == 365
        assert pushes.count() == 4
        assert all(push.reason for push in pushes)
        first, last = (poc.events.order_by("created_at").values_list("created_at", flat=True)
                       .first(), poc.status_changed_at)
        assert (last - first).days >= 360

    def test_the_credit_bureau_was_walked_away_from_as_poc_fodder(self):
        pocs = POC.objects.filter(opportunity__account__name=BUREAU_ACCOUNT)
        walked = pocs.get(status=Status.WALKED_AWAY)
        transition = walked.events.get(verb="poc.transitioned")
        assert transition.data["to"] == Status.WALKED_AWAY
        assert "POC fodder" in transition.data["reason"]
        assert sorted(pocs.values_list("status", flat=True)) == [Status.CLOSED, Status.WALKED_AWAY]

    def test_every_demo_user_sees_demo_pocs(self):
        for user in get_user_model().objects.all():
            assert poc_list(user=user).exists(), user.username
        manager = get_user_model().objects.get(username="manager")
        assert poc_list(user=manager).count() == POC.objects.count()


def test_running_it_twice_changes_nothing():
    demo()
    before = counts()

    output = demo()

    assert counts() == before
    assert "already seeded" in output


def test_scale_adds_exactly_n_deals_on_top_of_the_demo():
    demo()
    before = counts()

    output = demo("--scale", "50")

    after = counts()
    assert {name: after[name] - before[name] for name in ("Account", "Opportunity", "POC")} == {
        "Account": 50, "Opportunity": 50, "POC": 50}
    assert Event.objects.filter(verb="poc.created").count() == before["POC"] + 50
    assert after["User"] == before["User"]
    assert "Added 50 generated opportunities" in output
    manager = get_user_model().objects.get(username="manager")
    assert poc_list(user=manager).count() == after["POC"]


def test_scale_runs_add_up_with_unique_account_names():
    demo("--scale", "5")
    demo("--scale", "7")

    assert POC.objects.count() == 11 + 12
    assert Account.objects.values("team", "name").distinct().count() == Account.objects.count()


@pytest.mark.django_db(transaction=True)  # PostgreSQL cannot TRUNCATE inside the test's transaction
def test_reset_empties_the_database_and_seeds_again():
    demo()
    fresh = counts()
    demo("--scale", "5")

    output = demo("--reset")

    assert counts() == fresh
    assert "Database emptied." in output


def test_it_serves_after_seeding_unless_told_not_to(monkeypatch):
    from pocdesk.demo.management.commands import demo as command

    served = []
    real_call_command = command.call_command

    def fake_call_command(name, *args, **options):
        if name == "runserver":
            served.append((args, options))
            return None
        return real_call_command(name, *args, **options)

    monkeypatch.setattr(command, "call_command", fake_call_command)

    call_command("demo", stdout=io.StringIO())

    assert served == [(("127.0.0.1:8000",), {"use_reloader": False})]


def test_it_refuses_without_allow_demo_and_changes_nothing(settings):
    settings.POCDESK_ALLOW_DEMO = False

    with pytest.raises(CommandError) as refused:
        demo()

    assert refused.value.returncode == 2
    assert "POCDESK_ALLOW_DEMO" in str(refused.value)
    assert get_user_model().objects.count() == 0


def test_it_refuses_a_half_demo_and_points_at_reset():
    UserFactory(username="admin")

    with pytest.raises(CommandError) as refused:
        demo()

    assert refused.value.returncode == 2
    assert "--reset" in str(refused.value)
    assert Team.objects.count() == 0
