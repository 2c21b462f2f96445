"""The meeting cadence of a POC (§8.3): a weekly sync every 7 days and a steering meeting every
28 by default, 2 grace days; either may be switched off; changed by the team, recorded."""

import pytest

from pocdesk.core.errors import ApplicationError, PermissionDenied, ValidationFailed
from pocdesk.core.events import describe_event
from pocdesk.core.models import Event
from pocdesk.governance.models import Cadence
from pocdesk.governance.selectors import cadence_for
from pocdesk.governance.services import cadence_update
from pocdesk.pocs.models import POC


def test_the_default_cadence_is_not_stored(running_poc, django_assert_num_queries):
    with django_assert_num_queries(1):
        cadence = cadence_for(poc=running_poc)

    assert (cadence.pk, cadence.weekly_sync_days, cadence.steering_days,
            cadence.grace_days) == (None, 7, 28, 2)


def test_the_cadence_is_changed_and_recorded(running_poc, sales):
    cadence = cadence_update(actor=sales, poc=running_poc, weekly_sync_days=14,
                             steering_days=None, grace_days="3")

    assert cadence_for(poc=running_poc) == cadence
    assert (cadence.weekly_sync_days, cadence.steering_days, cadence.grace_days,
            cadence.updated_by) == (14, None, 3, sales)
    event = Event.objects.get(verb="cadence.changed")
    assert event.data == {"changes": {"weekly_sync_days": [7, 14], "steering_days": [28, None],
                                      "grace_days": [2, 3]}}
    prefix, _colon, fields = describe_event(event).partition(": ")
    assert (prefix, sorted(fields.split(", "))) == ("Meeting cadence changed", [
        "grace days", "steering meeting every (days)", "weekly sync every (days)"])


def test_the_same_cadence_again_changes_nothing(running_poc, engineer):
    cadence_update(actor=engineer, poc=running_poc, weekly_sync_days=7, steering_days=28,
                   grace_days=2)

    assert not Cadence.objects.exists()
    assert not Event.objects.exists()


@pytest.mark.parametrize(("values", "errors"), [
    ({"weekly_sync_days": 0}, {"weekly_sync_days": [
        "Ensure this value is greater than or equal to 1."]}),
    ({"weekly_sync_days": 91}, {"weekly_sync_days": [
        "Ensure this value is less than or equal to 90."]}),
    ({"steering_days": 181}, {"steering_days": [
        "Ensure this value is less than or equal to 180."]}),
    ({"grace_days": None}, {"grace_days": ["Give the grace days (0 for none)."]}),
    ({"grace_days": 31}, {"grace_days": ["Ensure this value is less than or equal to 30."]}),
    ({"grace_days": -1}, {"grace_days": ["Enter a whole number of days."]}),
    ({"steering_days": "weekly"}, {"steering_days": ["Enter a whole number of days."]}),
    ({"steering_days": True}, {"steering_days": ["Enter a whole number of days."]}),
])
def test_a_bad_cadence_is_named_and_stored_nowhere(running_poc, engineer, values, errors):
    arguments = {"weekly_sync_days": 7, "steering_days": 28, "grace_days": 2, **values}

    with pytest.raises(ValidationFailed) as refusal:
        cadence_update(actor=engineer, poc=running_poc, **arguments)

    assert refusal.value.fields == errors
    assert not Cadence.objects.exists()


def test_outsiders_and_closed_pocs_change_nothing(running_poc, engineer, outsider):
    with pytest.raises(PermissionDenied):
        cadence_update(actor=outsider, poc=running_poc, weekly_sync_days=3, steering_days=None,
                       grace_days=0)
    POC.objects.filter(pk=running_poc.pk).update(status="closed")
    with pytest.raises(ApplicationError) as closed:
        cadence_update(actor=engineer, poc=running_poc, weekly_sync_days=3, steering_days=None,
                       grace_days=0)

    assert closed.value.code == "poc_closed"
    assert not Cadence.objects.exists()
    assert not Event.objects.exists()
