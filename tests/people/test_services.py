import pytest

from pocdesk.core.errors import NotFound, PermissionDenied, ValidationFailed
from pocdesk.people.models import ApiToken, Membership, Role
from pocdesk.people.services import (
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
    profile_update,
    team_member_add,
)


def test_a_user_sets_their_own_language_and_time_zone(engineer):
    profile_update(actor=engineer, user=engineer, language="zh-hans", time_zone="Asia/Shanghai")

    engineer.profile.refresh_from_db()
    assert (engineer.profile.language, engineer.profile.time_zone) == ("zh-hans", "Asia/Shanghai")


def test_an_unknown_language_is_refused(engineer):
    with pytest.raises(ValidationFailed) as refusal:
        profile_update(actor=engineer, user=engineer, language="de")

    assert list(refusal.value.fields) == ["language"]
    engineer.profile.refresh_from_db()
    assert engineer.profile.language == "en"


def test_nobody_else_changes_my_profile(engineer, sales):
    with pytest.raises(PermissionDenied):
        profile_update(actor=sales, user=engineer, language="fr")

    engineer.profile.refresh_from_db()
    assert engineer.profile.language == "en"


def test_a_token_authenticates_until_revoked(engineer):
    token, key = api_token_create(actor=engineer, user=engineer, name="laptop")

    assert ApiToken.objects.get().key_hash != key
    assert api_token_authenticate(key=key) == engineer
    assert api_token_authenticate(key=key + "x") is None

    api_token_revoke(actor=engineer, token=token)
    assert api_token_authenticate(key=key) is None


def test_a_user_cannot_revoke_someone_elses_token(engineer, sales):
    token, key = api_token_create(actor=engineer, user=engineer)

    with pytest.raises(NotFound):
        api_token_revoke(actor=sales, token=token)
    assert api_token_authenticate(key=key) == engineer


@pytest.mark.parametrize(
    ("actor_name", "allowed"),
    [("anonymous", False), ("outsider", False), ("engineer", False), ("sales", False),
     ("manager", True), ("admin", True)],
)
def test_only_managers_and_admins_add_team_members(team, actors, actor_name, allowed):
    from tests.factories import UserFactory

    newcomer = UserFactory(username="newcomer")
    actor = actors[actor_name]
    if allowed:
        team_member_add(actor=actor, team=team, user=newcomer, role=Role.ACCOUNT_EXECUTIVE)
        assert Membership.objects.get(user=newcomer).role == "account_executive"
    else:
        with pytest.raises(PermissionDenied):
            team_member_add(actor=actor, team=team, user=newcomer, role=Role.ACCOUNT_EXECUTIVE)
        assert not Membership.objects.filter(user=newcomer).exists()
