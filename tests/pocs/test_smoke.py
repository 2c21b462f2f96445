from pocdesk.pocs.models import Status
from pocdesk.pocs.services import poc_transition


def test_engineer_qualifies_a_draft_poc(poc, engineer):
    poc = poc_transition(actor=engineer, poc=poc, to=Status.QUALIFIED)
    assert poc.status == Status.QUALIFIED
    assert poc.events.get().verb == "poc.transitioned"
