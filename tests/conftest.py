"""Shared fixtures: a team with one user of each role, another team, an admin, and their data."""

import pytest

from pocdesk.people.models import Role

from .factories import (
    AccountFactory,
    MembershipFactory,
    OpportunityFactory,
    POCFactory,
    TeamFactory,
    UserFactory,
    make_qualifiable,
)


@pytest.fixture
def team(db):
    return TeamFactory(name="Lighting", slug="lighting")


@pytest.fixture
def other_team(db):
    return TeamFactory(name="Mining", slug="mining")


def _member(team, username, role):
    user = UserFactory(username=username)
    MembershipFactory(team=team, user=user, role=role)
    return user


@pytest.fixture
def engineer(team):
    return _member(team, "engineer", Role.PRESALES_ENGINEER)


@pytest.fixture
def sales(team):
    return _member(team, "sales", Role.ACCOUNT_EXECUTIVE)


@pytest.fixture
def manager(team):
    return _member(team, "manager", Role.MANAGER)


@pytest.fixture
def outsider(other_team):
    """A manager of another team: sees nothing of `team`."""
    return _member(other_team, "outsider", Role.MANAGER)


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def account(team):
    return AccountFactory(team=team, name="Musée du Louvre")


@pytest.fixture
def opportunity(account, sales):
    return OpportunityFactory(account=account, owner=sales, name="Heritage lighting retrofit")


@pytest.fixture
def poc(opportunity, engineer):
    return POCFactory(opportunity=opportunity, owner=engineer, title="Luminaires on the BMS")


@pytest.fixture
def qualifiable_poc(poc, engineer):
    """`poc`, with everything the qualification gate's mandatory checks ask for."""
    return make_qualifiable(poc, actor=engineer)


@pytest.fixture
def actors(db, engineer, sales, manager, outsider, admin_user):
    """Everyone by name, for parametrised permission tests ("anonymous" is None)."""
    return {"anonymous": None, "engineer": engineer, "sales": sales, "manager": manager,
            "outsider": outsider, "admin": admin_user}
