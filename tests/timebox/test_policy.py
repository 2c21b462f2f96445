"""The team's timebox policy: defaults until a manager edits it, then the team's own values."""

import pytest

from pocdesk.core.errors import PermissionDenied, ValidationFailed
from pocdesk.core.models import Event
from pocdesk.timebox.models import TimeboxPolicy
from pocdesk.timebox.policy import policy_for_team
from pocdesk.timebox.services import timebox_policy_update


def values(policy):
    return (policy.max_duration_days, policy.checkpoint_cadence_days, policy.max_extensions,
            policy.exit_grace_days, policy.scope_creep_threshold)


def test_a_team_without_a_policy_gets_the_defaults_unsaved(team):
    policy = policy_for_team(team.pk)

    assert values(policy) == (90, 14, 2, 30, 20)
    assert policy.pk is None and not TimeboxPolicy.objects.exists()


def test_a_manager_sets_the_teams_policy_and_it_is_recorded(team, manager):
    policy = timebox_policy_update(actor=manager, team=team, max_duration_days=60,
                                   max_extensions=1)

    assert values(policy_for_team(team.pk)) == (60, 14, 1, 30, 20)
    event = Event.objects.get(verb="policy.timebox_changed")
    assert (event.team, event.actor) == (team, manager)
    assert set(event.data["changes"]) == {"max_duration_days", "max_extensions"}
    assert policy.pk is not None


@pytest.mark.parametrize("actor_name", ["anonymous", "outsider", "engineer", "sales"])
def test_only_managers_set_it(team, actors, actor_name):
    with pytest.raises(PermissionDenied):
        timebox_policy_update(actor=actors[actor_name], team=team, max_duration_days=365)

    assert not TimeboxPolicy.objects.exists()
    assert not Event.objects.exists()


@pytest.mark.parametrize(("changes", "field"), [
    ({"max_duration_days": 0}, "max_duration_days"),
    ({"checkpoint_cadence_days": 91}, "checkpoint_cadence_days"),
    ({"exit_grace_days": 0}, "exit_grace_days"),
    ({"scope_creep_threshold": 0}, "scope_creep_threshold"),
])
def test_out_of_range_values_are_refused_and_nothing_is_saved(team, manager, changes, field):
    with pytest.raises(ValidationFailed) as refusal:
        timebox_policy_update(actor=manager, team=team, **changes)

    assert list(refusal.value.fields) == [field]
    assert not TimeboxPolicy.objects.exists()
