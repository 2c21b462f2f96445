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


def test_changed_fields_are_named_in_the_reader_language(poc, engineer):
    from pocdesk.pocs.services import poc_update

    poc_update(actor=engineer, poc=poc, title="Nouveau titre", poc_type="lab_test")
    event = Event.objects.get(verb="poc.changed")

    with translation.override("en"):
        assert event.description == "POC Nouveau titre changed: title, type"
    with translation.override("fr"):
        french = event.description
    assert "title" not in french
    assert "Nouveau titre" in french


def test_a_changed_relation_is_named_by_its_model(opportunity, sales):
    from pocdesk.opportunities.services import opportunity_update

    opportunity_update(actor=sales, opportunity=opportunity,
                       competitors=[{"name": "Philips", "position": "ahead"}])

    with translation.override("en"):
        description = Event.objects.get(verb="opportunity.changed").description
    assert description == "Opportunity Heritage lighting retrofit changed: competitors"
