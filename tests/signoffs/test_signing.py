"""Versions, two-party signatures, hashes and seals, diffs, and the qualified → agreed guard."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pocdesk.core.errors import ApplicationError, PermissionDenied, TransitionRefused
from pocdesk.criteria.services import criterion_update
from pocdesk.pocs.services import poc_transition
from pocdesk.signoffs.canonical import content_hash
from pocdesk.signoffs.models import PlanVersion, Signature
from pocdesk.signoffs.selectors import plan_diff, plan_state, version_verify
from pocdesk.signoffs.services import plan_version_submit, signoff_record
from tests.factories import make_agreement, make_criterion, make_plan_signed, sign_both


@pytest.fixture
def qualified_poc(qualifiable_poc, engineer):
    return poc_transition(actor=engineer, poc=qualifiable_poc, to="qualified")


def test_sign_edit_new_version_and_the_old_hash_still_verifies(qualified_poc, engineer):
    versions = make_plan_signed(qualified_poc, actor=engineer)
    v1 = versions["criteria"]
    assert v1.status == "signed" and v1.signed_at is not None
    assert {s.content_hash for s in v1.signatures.all()} == {v1.content_hash}

    criterion = qualified_poc.criteria.get()
    criterion_update(actor=engineer, criterion=criterion, target_value="130")
    state = plan_state(poc=qualified_poc)["criteria"]
    assert state.draft_changed and not state.signed and state.draft_number == 2

    v2 = plan_version_submit(actor=engineer, poc=qualified_poc, kind="criteria")
    assert v2.number == 2 and v2.status == "awaiting_signature"
    assert v2.content_hash != v1.content_hash
    v1.refresh_from_db()
    assert v1.status == "signed" and version_verify(v1).valid

    rows = plan_diff(poc=qualified_poc, kind="criteria", old=1, new=2)
    assert rows == [{"change": "changed", "section": "Success criteria", "item": "Throughput",
                     "field": "target_value", "label": "target", "old": "120", "new": "130"}]


def test_tampering_with_a_signed_version_or_signature_is_detected(qualified_poc, engineer):
    version = make_plan_signed(qualified_poc, actor=engineer)["criteria"]
    assert version_verify(version).valid

    content = version.content
    content["lists"]["criteria"][0]["target_value"] = "12"
    PlanVersion.objects.filter(pk=version.pk).update(content=content)
    version.refresh_from_db()
    problems = version_verify(version).problems
    assert len(problems) == 3  # the version's hash and both signatures' content hashes

    agreement = PlanVersion.objects.get(poc=qualified_poc, kind="agreement")
    Signature.objects.filter(version=agreement, side="customer").update(signer_name="Someone else")
    agreement.refresh_from_db()
    result = version_verify(agreement)
    assert not result.valid and len(result.problems) == 1
    assert plan_state(poc=qualified_poc)["agreement"].signed is False


def test_the_guard_needs_both_documents_signed_by_both_sides(qualified_poc, engineer):
    make_agreement(qualified_poc, actor=engineer)
    with pytest.raises(TransitionRefused) as refused:
        poc_transition(actor=engineer, poc=qualified_poc, to="agreed")
    assert refused.value.details["unmet"] == ["criteria_signed", "agreement_signed"]

    criteria = plan_version_submit(actor=engineer, poc=qualified_poc, kind="criteria")
    signoff_record(actor=engineer, version=criteria, side="vendor", method="in_app")
    agreement = sign_both(plan_version_submit(actor=engineer, poc=qualified_poc,
                                              kind="agreement"), actor=engineer)
    with pytest.raises(TransitionRefused) as refused:
        poc_transition(actor=engineer, poc=qualified_poc, to="agreed")
    assert refused.value.details["unmet"] == ["criteria_signed"]
    assert "customer" in refused.value.details["checks"][0]["message"]

    scan = SimpleUploadedFile("s.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    signoff_record(actor=engineer, version=criteria, side="customer", method="scan",
                   signer_name="Dana Sponsor", scan=scan)
    assert agreement.status == "signed"
    poc = poc_transition(actor=engineer, poc=qualified_poc, to="agreed")
    assert poc.status == "agreed"


def test_an_edit_after_signing_blocks_the_guard_until_signed_again(qualified_poc, engineer):
    make_plan_signed(qualified_poc, actor=engineer)
    make_criterion(qualified_poc, title="Noise", metric="noise", unit="dB(A)", comparator="lte",
                   target_value="85", must_have=False)
    with pytest.raises(TransitionRefused) as refused:
        poc_transition(actor=engineer, poc=qualified_poc, to="agreed")
    assert refused.value.details["unmet"] == ["criteria_signed"]
    assert qualified_poc.status == "qualified"


def test_signing_refusals(qualified_poc, engineer, outsider):
    make_criterion(qualified_poc, title="Noise", metric="noise", unit="dB(A)",
                   comparator="lte", target_value="85")
    version = plan_version_submit(actor=engineer, poc=qualified_poc, kind="criteria")
    with pytest.raises(ApplicationError) as error:
        plan_version_submit(actor=engineer, poc=qualified_poc, kind="criteria")
    assert error.value.code == "plan_unchanged"
    with pytest.raises(PermissionDenied):
        signoff_record(actor=outsider, version=version, side="vendor", method="in_app")
    with pytest.raises(ApplicationError) as error:
        signoff_record(actor=engineer, version=version, side="customer", method="in_app")
    assert error.value.details["fields"]["method"]
    with pytest.raises(ApplicationError) as error:
        signoff_record(actor=engineer, version=version, side="customer", method="scan",
                       signer_name="")
    assert set(error.value.details["fields"]) == {"signer_name", "scan"}
    with pytest.raises(ApplicationError) as error:
        signoff_record(actor=engineer, version=version, side="vendor", method="in_app",
                       signed_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    assert error.value.details["fields"]["signed_at"]
    signoff_record(actor=engineer, version=version, side="vendor", method="in_app")
    with pytest.raises(ApplicationError) as error:
        signoff_record(actor=engineer, version=version, side="vendor", method="in_app")
    assert error.value.code == "already_signed"
    assert Signature.objects.filter(version=version).count() == 1

    # A newer version supersedes one still awaiting signatures.
    criterion_update(actor=engineer, criterion=qualified_poc.criteria.first(), importance=1)
    plan_version_submit(actor=engineer, poc=qualified_poc, kind="criteria")
    version.refresh_from_db()
    assert version.status == "superseded"
    with pytest.raises(ApplicationError) as error:
        signoff_record(actor=engineer, version=version, side="customer", method="scan",
                       signer_name="X", scan=SimpleUploadedFile("s.pdf", b"%PDF-1.4\n%%EOF\n"))
    assert error.value.code == "version_not_awaiting"


def test_the_hash_is_sha256_of_the_canonical_json(qualified_poc, engineer):
    version = plan_version_submit(actor=engineer, poc=qualified_poc, kind="criteria")
    import hashlib
    import json

    text = json.dumps(version.content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert version.content_hash == hashlib.sha256(text.encode()).hexdigest()
    assert version.content_hash == content_hash(version.content)
