import pytest

from pocdesk.core.errors import NotFound
from pocdesk.pocs.selectors import poc_get, poc_list
from tests.factories import POCFactory


@pytest.fixture
def foreign_poc(other_team):
    return POCFactory(opportunity__account__team=other_team, title="Crusher in the mine")


def test_members_see_only_their_team_pocs(poc, foreign_poc, engineer, outsider, admin_user):
    assert list(poc_list(user=engineer)) == [poc]
    assert list(poc_list(user=outsider)) == [foreign_poc]
    assert set(poc_list(user=admin_user)) == {poc, foreign_poc}


def test_another_team_poc_is_not_found(foreign_poc, engineer):
    with pytest.raises(NotFound):
        poc_get(user=engineer, poc_id=foreign_poc.pk)


def test_search_matches_title_opportunity_and_account(poc, engineer):
    assert list(poc_list(user=engineer, q="luminaires")) == [poc]
    assert list(poc_list(user=engineer, q="retrofit")) == [poc]
    assert list(poc_list(user=engineer, q="louvre")) == [poc]
    assert list(poc_list(user=engineer, q="crusher")) == []


def test_unknown_ordering_falls_back_to_the_default(poc, engineer):
    assert list(poc_list(user=engineer, ordering="password")) == [poc]
