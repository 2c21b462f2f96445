from django.utils import translation

from pocdesk.core.models import Event
from pocdesk.pocs.services import poc_transition


def test_event_descriptions_are_written_in_the_reader_language(qualifiable_poc, engineer):
    poc_transition(actor=engineer, poc=qualifiable_poc, to="qualified")
    event = Event.objects.get(verb="poc.transitioned")

    with translation.override("en"):
        english = event.description
    with translation.override("fr"):
        french = event.description
    with translation.override("zh-hans"):
        chinese = event.description

    assert english == "Status changed from Draft to Qualified"
    assert french != english
    assert chinese != english


def test_unknown_verbs_fall_back_to_the_verb(poc):
    event = Event.objects.create(poc=poc, verb="integration.sync", target_type="poc",
                                 target_id=str(poc.pk))

    assert event.description == "integration.sync"
