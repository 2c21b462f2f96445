"""The gate on the lifecycle, manager overrides, the commitment ladder and the team policy."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pocdesk.core.errors import PermissionDenied, TransitionRefused, ValidationFailed
from pocdesk.core.models import Event, StoredFile
from pocdesk.pocs.models import POC
from pocdesk.pocs.services import poc_transition
from pocdesk.qualification.models import QualificationOverride, QualificationPolicy
from pocdesk.qualification.services import (
    poc_commitment_set,
    qualification_override,
    qualification_policy_update,
)


def test_the_gate_refuses_draft_to_qualified_with_the_failed_mandatory_checks(poc, engineer):
    with pytest.raises(TransitionRefused) as refusal:
        poc_transition(actor=engineer, poc=poc, to="qualified")

    assert sorted(refusal.value.details["unmet"]) == [
        "budget_confirmed", "commitment_level", "executive_sponsor", "purchase_process",
        "success_criteria"]
    assert POC.objects.get(pk=poc.pk).status == "draft"
    assert not Event.objects.filter(poc=poc).exists()


def test_the_gate_refuses_a_poc_without_success_criteria(qualifiable_poc, engineer):
    qualifiable_poc.criteria.all().delete()

    with pytest.raises(TransitionRefused) as refusal:
        poc_transition(actor=engineer, poc=qualifiable_poc, to="qualified")

    assert refusal.value.details["unmet"] == ["success_criteria"]
    assert "No success criteria drafted" in refusal.value.message
    assert POC.objects.get(pk=qualifiable_poc.pk).status == "draft"


def test_a_poc_that_passes_the_gate_qualifies(qualifiable_poc, engineer):
    assert poc_transition(actor=engineer, poc=qualifiable_poc, to="qualified").status == "qualified"


def test_walking_away_is_never_blocked_by_the_gate(poc, engineer):
    assert poc_transition(actor=engineer, poc=poc, to="walked_away",
                          reason="No budget, no sponsor").status == "walked_away"


def test_a_manager_overrides_the_gate_with_a_justification(poc, manager):
    poc = qualification_override(actor=manager, poc=poc,
                                 justification="Strategic logo; the CEO sponsors it personally.")

    assert poc.status == "qualified"
    override = QualificationOverride.objects.get(poc=poc)
    assert override.overridden_by == manager
    assert sorted(override.unmet) == ["budget_confirmed", "commitment_level", "executive_sponsor",
                                      "purchase_process", "success_criteria"]
    verbs = list(Event.objects.filter(poc=poc).order_by("id").values_list("verb", flat=True))
    assert verbs == ["poc.qualification_overridden", "poc.transitioned"]
    assert "CEO sponsors it" in Event.objects.get(verb="poc.qualification_overridden").description


@pytest.mark.parametrize("actor_name", ["anonymous", "engineer", "sales", "outsider"])
def test_only_managers_override_and_a_refusal_changes_nothing(poc, actors, actor_name):
    with pytest.raises(PermissionDenied):
        qualification_override(actor=actors[actor_name], poc=poc,
                               justification="Please let this one through.")

    assert POC.objects.get(pk=poc.pk).status == "draft"
    assert not QualificationOverride.objects.exists()
    assert not Event.objects.exists()


@pytest.mark.parametrize("justification", ["", "   ", "ok"])
def test_an_override_needs_a_written_justification(poc, manager, justification):
    with pytest.raises(ValidationFailed) as refusal:
        qualification_override(actor=manager, poc=poc, justification=justification)

    assert list(refusal.value.fields) == ["justification"]
    assert POC.objects.get(pk=poc.pk).status == "draft"
    assert not QualificationOverride.objects.exists()


def test_an_admin_may_override(poc, admin_user):
    qualification_override(actor=admin_user, poc=poc, justification="Board decision 2026-11.")

    assert POC.objects.get(pk=poc.pk).status == "qualified"


# --- commitment ladder ------------------------------------------------------------------------


@pytest.mark.parametrize(("level", "evidence", "missing"), [
    (1, {}, ["commitment_reference"]),
    (2, {}, ["funded_amount"]),
    (3, {"conditional_po_reference": "PO-1"}, ["conditional_po_value", "conditional_po_criteria"]),
])
def test_each_level_needs_its_evidence(poc, sales, level, evidence, missing):
    with pytest.raises(ValidationFailed) as refusal:
        poc_commitment_set(actor=sales, poc=poc, level=level, **evidence)

    assert sorted(refusal.value.fields) == sorted(missing)
    assert POC.objects.get(pk=poc.pk).commitment_level == 0
    assert not Event.objects.exists()


@pytest.mark.parametrize(("level", "evidence"), [
    (1, {"commitment_reference": "Collaboration agreement CA-12"}),
    (2, {"funded_share": "50"}),
    (2, {"funded_amount": "20000"}),
    (3, {"conditional_po_reference": "PO-SBM-0412", "conditional_po_value": "4800000",
         "conditional_po_criteria": "Every must-have criterion passes."}),
])
def test_a_level_with_its_evidence_is_recorded(poc, sales, level, evidence):
    poc = poc_commitment_set(actor=sales, poc=poc, level=level, **evidence)

    assert poc.commitment_level == level
    event = Event.objects.get(verb="poc.commitment_changed")
    assert (event.data["from_level"], event.data["to_level"]) == (0, level)


def test_the_funded_share_is_a_percentage(poc, sales):
    with pytest.raises(ValidationFailed) as refusal:
        poc_commitment_set(actor=sales, poc=poc, level=2, funded_share="150")

    assert list(refusal.value.fields) == ["funded_share"]


def test_level_one_evidence_can_be_an_uploaded_document(poc, sales):
    document = SimpleUploadedFile("agreement.pdf", b"%PDF-1.7\n...", content_type="application/pdf")

    poc = poc_commitment_set(actor=sales, poc=poc, level=1, document=document)

    stored = StoredFile.objects.get()
    assert (poc.commitment_document, stored.content_type, stored.original_name) == (
        stored, "application/pdf", "agreement.pdf")
    assert stored.storage_key.startswith("commitments/")
    assert stored.storage_key.endswith(".pdf")


def test_a_disguised_executable_is_refused(poc, sales):
    document = SimpleUploadedFile("agreement.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00",
                                  content_type="application/pdf")

    with pytest.raises(ValidationFailed) as refusal:
        poc_commitment_set(actor=sales, poc=poc, level=1, document=document)

    assert list(refusal.value.fields) == ["commitment_document"]
    assert not StoredFile.objects.exists()


def test_uploads_over_the_size_limit_are_refused(poc, sales, settings):
    settings.POCDESK_MAX_UPLOAD_MB = 1
    document = SimpleUploadedFile("big.txt", b"a" * (1024 * 1024 + 1))

    with pytest.raises(ValidationFailed) as refusal:
        poc_commitment_set(actor=sales, poc=poc, level=1, document=document)

    assert "larger than 1 MB" in refusal.value.fields["commitment_document"][0]


@pytest.mark.parametrize(("actor_name", "allowed"), [
    ("anonymous", False), ("outsider", False), ("engineer", False), ("sales", True),
    ("manager", True), ("admin", True)])
def test_who_sets_the_commitment_level(poc, actors, actor_name, allowed):
    arguments = {"actor": actors[actor_name], "poc": poc, "level": 1,
                 "commitment_reference": "LOI"}
    if allowed:
        assert poc_commitment_set(**arguments).commitment_level == 1
    else:
        with pytest.raises(PermissionDenied):
            poc_commitment_set(**arguments)
        assert POC.objects.get(pk=poc.pk).commitment_level == 0


# --- policy ---------------------------------------------------------------------------------


def test_a_manager_edits_the_team_policy(team, manager):
    policy = qualification_policy_update(actor=manager, team=team, max_open_days=365,
                                         mandatory_checks=["budget_confirmed"])

    assert (policy.max_open_days, policy.mandatory_checks) == (365, ["budget_confirmed"])
    assert Event.objects.get().verb == "policy.qualification_changed"


def test_unknown_check_codes_are_refused(team, manager):
    with pytest.raises(ValidationFailed) as refusal:
        qualification_policy_update(actor=manager, team=team, mandatory_checks=["horoscope"])

    assert list(refusal.value.fields) == ["mandatory_checks"]
    assert not QualificationPolicy.objects.exists()


def test_an_engineer_cannot_edit_the_policy(team, engineer):
    with pytest.raises(PermissionDenied):
        qualification_policy_update(actor=engineer, team=team, max_open_days=1)

    assert not QualificationPolicy.objects.exists()


def test_money_evidence_is_decimal(poc, sales):
    poc = poc_commitment_set(actor=sales, poc=poc, level=2, funded_amount="12500.50")

    assert POC.objects.get(pk=poc.pk).funded_amount == Decimal("12500.50")
