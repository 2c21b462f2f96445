"""Permission predicates. Objects are a Team or anything with a `team_id`."""

import rules

from .models import Role, Team
from .roles import is_admin_user, team_roles


def _team_id(obj):
    if obj is None:
        return None
    if isinstance(obj, Team):
        return obj.pk
    return getattr(obj, "team_id", None)


@rules.predicate
def is_admin(user):
    return is_admin_user(user)


@rules.predicate
def is_team_member(user, obj):
    return _team_id(obj) in team_roles(user)


def has_team_role(*roles):
    @rules.predicate(name=f"has_team_role({', '.join(roles)})")
    def predicate(user, obj):
        return team_roles(user).get(_team_id(obj)) in roles

    return predicate


is_manager = has_team_role(Role.MANAGER)
is_commercial = has_team_role(Role.ACCOUNT_EXECUTIVE, Role.MANAGER)
is_poc_runner = has_team_role(Role.PRESALES_ENGINEER, Role.MANAGER)

# Seeing anything of a team.
rules.add_perm("pocdesk.view_team_object", is_admin | is_team_member)
# Accounts and opportunities: the deal's commercial side.
rules.add_perm("pocdesk.edit_commercial", is_admin | is_commercial)
# Creating a POC and editing its descriptive fields: anybody working the deal.
rules.add_perm("pocdesk.edit_poc", is_admin | is_team_member)
# Moving a POC through its lifecycle: the engineers who run it and their manager.
rules.add_perm("pocdesk.transition_poc", is_admin | is_poc_runner)
# Team administration: members and policies.
rules.add_perm("pocdesk.manage_team", is_admin | is_manager)
