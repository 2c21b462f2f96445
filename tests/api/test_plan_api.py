"""The POC plan's versions and sign-off through the API: submitting the drafts, both sides'
signatures (JSON and multipart), hashes that verify, diffs, the qualified → agreed guard, the
plan documents, and who may do what."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from pocdesk.agreements.models import Agreement
from pocdesk.core.models import Event
from pocdesk.criteria.models import Criterion
from pocdesk.pocs.models import POC
from pocdesk.pocs.services import poc_transition
from pocdesk.signoffs.canonical import content_hash
from pocdesk.signoffs.models import PlanVersion, Signature
from pocdesk.signoffs.services import plan_version_submit
from pocdesk.stakeholders.models import Stakeholder
from tests.factories import make_agreement, make_criterion, sign_both

PDF = b"%PDF-1.4\n% signed scan\n%%EOF\n"


@pytest.fixture
def qualified_poc(qualifiable_poc, engineer):
    return poc_transition(actor=engineer, poc=qualifiable_poc, to="qualified")


def scan(name="signed.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def plan_rows():
    """What a refused call must leave untouched."""
    return (list(Criterion.objects.order_by("pk").values_list()),
            list(Agreement.objects.order_by("pk").values_list()),
            list(PlanVersion.objects.order_by("pk").values_list()),
            list(Signature.objects.order_by("pk").values_list()),
            list(POC.objects.order_by("pk").values_list("status")),
            Event.objects.exclude(verb__startswith="token.").count())


def vendor_signature(kind="criteria", version=1, **extra):
    return {"kind": kind, "version": version, "side": "vendor", "method": "in_app",
            "signer_title": "Presales lead", **extra}


def customer_form(kind="criteria", version=1, **extra):
    return {"kind": kind, "version": version, "side": "customer", "method": "scan",
            "signer_name": "Dana Sponsor", "signer_title": "COO", "scan": scan(), **extra}


# --- submit, sign, verify ------------------------------------------------------------------------

def test_submit_then_both_sides_sign_and_the_version_verifies(qualified_poc, engineer, api_as):
    api = api_as(engineer)
    poc_id = qualified_poc.pk

    submitted = api.post(f"/pocs/{poc_id}/criteria/versions/1/submit")

    assert submitted.status_code == 201, submitted.content
    version = submitted.json()
    assert version == {
        "kind": "criteria", "number": 1, "status": "awaiting_signature",
        "content_hash": content_hash(version["content"]),
        "submitted_by": {"id": engineer.pk, "username": "engineer", "name": "Engineer"},
        "submitted_at": version["submitted_at"], "signed_at": None, "signatures": [],
        "verified": True, "problems": [], "content": version["content"]}
    assert version["content"]["fields"] == {"title": qualified_poc.title,
                                            "objective": qualified_poc.objective}
    [criterion] = version["content"]["lists"]["criteria"]
    assert (criterion["title"], criterion["target_value"], criterion["key"]) == (
        "Throughput", "120", str(qualified_poc.criteria.get().key))

    vendor = api.post(f"/pocs/{poc_id}/signoffs", vendor_signature())

    assert vendor.status_code == 201, vendor.content
    assert vendor.json() == {
        "kind": "criteria", "version": 1, "version_status": "awaiting_signature",
        "side": "vendor", "method": "in_app", "signer_name": "Engineer",
        "signer_title": "Presales lead", "stakeholder": None,
        "signed_at": vendor.json()["signed_at"], "content_hash": version["content_hash"],
        "scan": None}

    customer = api.post_form(f"/pocs/{poc_id}/signoffs", customer_form())

    assert customer.status_code == 201, customer.content
    body = customer.json()
    stored = Signature.objects.get(side="customer")
    assert (body["side"], body["method"], body["signer_name"], body["signer_title"],
            body["version_status"], body["scan"], body["content_hash"]) == (
        "customer", "scan", "Dana Sponsor", "COO", "signed",
        {"id": stored.scan_id, "name": "signed.pdf"}, version["content_hash"])

    listed = api.get(f"/pocs/{poc_id}/criteria/versions").json()
    assert listed["count"] == 1
    [signed] = listed["items"]
    assert (signed["status"], signed["verified"], signed["problems"]) == ("signed", True, [])
    assert signed["signed_at"] is not None
    assert [(s["side"], s["method"]) for s in signed["signatures"]] == [
        ("customer", "scan"), ("vendor", "in_app")]
    assert {s["content_hash"] for s in signed["signatures"]} == {version["content_hash"]}
    assert api.get(f"/pocs/{poc_id}/criteria/versions/1").json() == signed

    summary = api.get(f"/pocs/{poc_id}/signoffs").json()
    assert summary["documents"]["criteria"] == {
        "latest": 1, "status": "signed", "signed": True, "awaiting_sides": [],
        "draft_changed": False, "draft_number": 2, "hash": version["content_hash"],
        "draft_hash": version["content_hash"], "verified": True}
    assert summary["documents"]["agreement"] == {
        "latest": None, "status": None, "signed": False, "awaiting_sides": [],
        "draft_changed": True, "draft_number": 1, "hash": None,
        "draft_hash": summary["documents"]["agreement"]["draft_hash"], "verified": None}
    assert [(s["kind"], s["version"], s["side"]) for s in summary["signatures"]] == [
        ("criteria", 1, "customer"), ("criteria", 1, "vendor")]
    assert list(Event.objects.filter(verb__startswith="plan.").order_by("id")
                .values_list("verb", flat=True)) == [
        "plan.submitted", "plan.signed", "plan.signed", "plan.signed_by_both"]


def test_the_transition_to_agreed_waits_for_both_signed_documents(qualified_poc, engineer,
                                                                  api_as):
    api = api_as(engineer)
    path = f"/pocs/{qualified_poc.pk}/transition"

    refused = api.post(path, {"to": "agreed"})

    assert refused.status_code == 409
    assert refused.json()["code"] == "transition_refused"
    assert refused.json()["details"]["unmet"] == ["criteria_signed", "agreement_signed"]
    assert POC.objects.get(pk=qualified_poc.pk).status == "qualified"

    assert api.put(f"/pocs/{qualified_poc.pk}/agreement", {}).status_code == 201
    for kind in ("criteria", "agreement"):
        assert api.post(f"/pocs/{qualified_poc.pk}/{kind}/versions").status_code == 201
        assert api.post(f"/pocs/{qualified_poc.pk}/signoffs",
                        vendor_signature(kind)).status_code == 201
        if kind == "criteria":
            half = api.post(path, {"to": "agreed"}).json()["details"]["unmet"]
            assert half == ["criteria_signed", "agreement_signed"]
        assert api.post_form(f"/pocs/{qualified_poc.pk}/signoffs",
                             customer_form(kind)).status_code == 201

    response = api.post(path, {"to": "agreed"})

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "agreed"


def test_the_submitted_number_must_be_the_draft_s(qualified_poc, engineer, api_as):
    api = api_as(engineer)
    base = f"/pocs/{qualified_poc.pk}/criteria/versions"
    assert api.post(f"{base}/1/submit").status_code == 201
    before = plan_rows()

    again = api.post(f"{base}/1/submit")
    ahead = api.post(f"{base}/3/submit")
    unchanged = api.post(f"{base}/2/submit")
    plain = api.post(base)

    assert (again.status_code, again.json()["code"], again.json()["details"]) == (
        409, "version_mismatch", {"expected": 2})
    assert (ahead.status_code, ahead.json()["code"]) == (409, "version_mismatch")
    assert (unchanged.status_code, unchanged.json()["code"]) == (409, "plan_unchanged")
    assert (plain.status_code, plain.json()["code"]) == (409, "plan_unchanged")
    assert plan_rows() == before


def test_an_empty_draft_cannot_be_submitted(poc, engineer, api_as):
    api = api_as(engineer)

    criteria = api.post(f"/pocs/{poc.pk}/criteria/versions")
    agreement = api.post(f"/pocs/{poc.pk}/agreement/versions/1/submit")

    assert (criteria.status_code, criteria.json()["code"]) == (409, "plan_incomplete")
    assert criteria.json()["details"]["problems"] == [
        "Write at least one success criterion before submitting them for signature."]
    assert (agreement.status_code, agreement.json()["code"]) == (409, "plan_incomplete")
    assert not PlanVersion.objects.exists()


def test_a_new_draft_supersedes_the_awaiting_version(qualified_poc, engineer, api_as):
    api = api_as(engineer)
    api.post(f"/pocs/{qualified_poc.pk}/criteria/versions")
    make_criterion(qualified_poc, title="Noise", metric="noise", unit="dB(A)", comparator="lte",
                   target_value="85")

    response = api.post(f"/pocs/{qualified_poc.pk}/criteria/versions/2/submit")

    assert response.status_code == 201
    listed = api.get(f"/pocs/{qualified_poc.pk}/criteria/versions").json()["items"]
    assert [(item["number"], item["status"]) for item in listed] == [
        (2, "awaiting_signature"), (1, "superseded")]
    late = api.post(f"/pocs/{qualified_poc.pk}/signoffs", vendor_signature(version=1))
    assert (late.status_code, late.json()["code"]) == (409, "version_not_awaiting")


# --- diffs ---------------------------------------------------------------------------------------

def test_the_diff_names_what_changed_since_a_version(qualified_poc, engineer, api_as):
    api = api_as(engineer)
    api.post(f"/pocs/{qualified_poc.pk}/criteria/versions")
    criterion = qualified_poc.criteria.get()
    api.patch(f"/pocs/{qualified_poc.pk}/criteria/{criterion.pk}", {"target_value": "130"})
    make_criterion(qualified_poc, title="Noise", metric="noise", unit="dB(A)", comparator="lte",
                   target_value="85")
    base = f"/pocs/{qualified_poc.pk}/criteria/versions/diff"

    response = api.get(base, {"old": "1", "new": "draft"})

    assert response.status_code == 200, response.content
    assert response.json() == {"old": "1", "new": "draft", "changes": [
        {"change": "changed", "section": "Success criteria", "item": "Throughput",
         "field": "target_value", "label": "target", "old": "120", "new": "130"},
        {"change": "added", "section": "Success criteria", "item": "Noise", "field": "",
         "label": "", "old": "", "new": ""}]}
    assert api.get(base, {"old": "1"}).json()["new"] == "draft"
    assert api.get(base, {"old": "1", "new": "1"}).json()["changes"] == []
    assert api.get(base, {"old": "7"}).status_code == 404
    for bad in ({"old": "latest"}, {"old": "0"}, {}, {"old": "1", "new": "-1"}):
        refused = api.get(base, bad)
        assert refused.status_code == 422, bad
        assert list(refused.json()["details"]["fields"]) in (["old"], ["new"])


def test_the_agreement_versions_work_like_the_criteria_s(poc, engineer, api_as):
    api = api_as(engineer)
    api.put(f"/pocs/{poc.pk}/agreement", {"exit_slip_days": 20})
    submitted = api.post(f"/pocs/{poc.pk}/agreement/versions/1/submit")
    api.put(f"/pocs/{poc.pk}/agreement", {"exit_slip_days": 45})

    diff = api.get(f"/pocs/{poc.pk}/agreement/versions/diff", {"old": "1"})

    assert submitted.status_code == 201, submitted.content
    assert submitted.json()["content"]["fields"]["exit_slip_days"] == 20
    assert [(row["field"], row["old"], row["new"]) for row in diff.json()["changes"]] == [
        ("exit_slip_days", "20", "45")]
    assert api.get(f"/pocs/{poc.pk}/agreement/versions").json()["count"] == 1
    assert api.get(f"/pocs/{poc.pk}/criteria/versions").json()["count"] == 0
    assert api.get(f"/pocs/{poc.pk}/agreement/versions/2").status_code == 404


# --- signature refusals --------------------------------------------------------------------------

@pytest.fixture
def awaiting(qualified_poc, engineer):
    return plan_version_submit(actor=engineer, poc=qualified_poc, kind="criteria")


@pytest.mark.parametrize(("body", "bad_fields"), [
    (vendor_signature(side="customer"), ["method"]),
    (vendor_signature(method="scan", signer_name="Lee"), ["scan"]),
    (vendor_signature(version=2), ["version"]),
    (vendor_signature(kind="agreement"), ["version"]),
    (vendor_signature(kind="contract"), ["kind"]),
    (vendor_signature(side="both"), ["side"]),
    (vendor_signature(stakeholder_id=10**6), ["stakeholder_id"]),
    (vendor_signature(signed_at="2999-01-01T00:00:00Z"), ["signed_at"]),
    (vendor_signature(signed_at="2020-01-01T00:00:00"), ["signed_at"]),
    (vendor_signature(signed_at="yesterday"), ["signed_at"]),
    (vendor_signature(colour="red"), ["colour"]),
    ({"kind": "criteria"}, ["method", "side", "version"]),
])
def test_a_bad_json_signature_is_refused_and_records_nothing(awaiting, qualified_poc, engineer,
                                                             api_as, body, bad_fields):
    before = plan_rows()

    response = api_as(engineer).post(f"/pocs/{qualified_poc.pk}/signoffs", body)

    assert response.status_code == 422, response.content
    assert sorted(response.json()["details"]["fields"]) == bad_fields
    assert plan_rows() == before


def test_a_body_that_is_not_an_object_is_refused(awaiting, qualified_poc, engineer, api_as):
    api = api_as(engineer)

    listed = api.post(f"/pocs/{qualified_poc.pk}/signoffs", [vendor_signature()])
    broken = api.post(f"/pocs/{qualified_poc.pk}/signoffs", raw="{not json")

    assert (listed.status_code, listed.json()["details"]["fields"]) == (
        422, {"non_field_errors": ["Send a JSON object."]})
    assert (broken.status_code, broken.json()["code"]) == (400, "bad_request")
    assert not Signature.objects.exists()


@pytest.mark.parametrize(("changes", "bad_fields"), [
    ({"scan": scan("notes.txt", b"just some text")}, ["scan"]),
    ({"scan": scan("empty.pdf", b"")}, ["scan"]),
    ({"signer_name": ""}, ["signer_name"]),
    ({"version": "one"}, ["version"]),
    ({"method": "in_app"}, ["method"]),
    ({"signed_at": "2020-01-01T00:00:00+00:00"}, ["signed_at"]),
])
def test_a_bad_multipart_signature_is_refused(awaiting, qualified_poc, engineer, api_as, changes,
                                              bad_fields):
    before = plan_rows()
    form = {**customer_form(), **changes}

    response = api_as(engineer).post_form(f"/pocs/{qualified_poc.pk}/signoffs", form)

    assert response.status_code == 422, response.content
    assert sorted(response.json()["details"]["fields"]) == bad_fields
    assert plan_rows() == before


def test_the_customer_signatory_is_a_stakeholder_of_the_deal(awaiting, qualified_poc, engineer,
                                                             api_as):
    api = api_as(engineer)
    sponsor = Stakeholder.objects.get(name="Dana Sponsor")
    vendor_person = Stakeholder.objects.create(
        team=qualified_poc.team, account=qualified_poc.opportunity.account, name="Our Lead",
        side="vendor")

    wrong_side = api.post_form(f"/pocs/{qualified_poc.pk}/signoffs", customer_form(
        signer_name="", signer_title="", stakeholder_id=vendor_person.pk))
    response = api.post_form(f"/pocs/{qualified_poc.pk}/signoffs", customer_form(
        signer_name="", signer_title="", stakeholder_id=sponsor.pk))

    assert wrong_side.status_code == 422
    assert sorted(wrong_side.json()["details"]["fields"]) == ["signer_name", "stakeholder_id"]
    assert response.status_code == 201, response.content
    assert (response.json()["signer_name"], response.json()["signer_title"],
            response.json()["stakeholder"]) == (
        "Dana Sponsor", "COO", {"id": sponsor.pk, "name": "Dana Sponsor"})


def test_a_side_signs_once_and_a_tampered_version_is_not_signed(awaiting, qualified_poc,
                                                                engineer, api_as):
    api = api_as(engineer)
    path = f"/pocs/{qualified_poc.pk}/signoffs"
    local_time = timezone.localtime().replace(microsecond=0, tzinfo=None)  # naive: local time
    assert api.post(path, vendor_signature(signed_at=local_time.isoformat())).status_code == 201
    assert Signature.objects.get().signed_at == timezone.make_aware(local_time)

    twice = api.post(path, vendor_signature())
    content = awaiting.content
    content["lists"]["criteria"][0]["target_value"] = "12"
    PlanVersion.objects.filter(pk=awaiting.pk).update(content=content)
    before = plan_rows()
    tampered = api.post_form(path, customer_form())

    assert (twice.status_code, twice.json()["code"]) == (409, "already_signed")
    assert (tampered.status_code, tampered.json()["code"]) == (409, "content_tampered")
    assert plan_rows() == before
    listed = api.get(f"/pocs/{qualified_poc.pk}/criteria/versions").json()["items"][0]
    assert listed["verified"] is False
    assert len(listed["problems"]) == 2  # the version's hash and the vendor signature's


# --- the documents --------------------------------------------------------------------------------

def test_the_plan_documents_are_downloaded(qualified_poc, engineer, api_as):
    make_agreement(qualified_poc, actor=engineer)
    sign_both(plan_version_submit(actor=engineer, poc=qualified_poc, kind="criteria"),
              actor=engineer)
    api = api_as(engineer)
    path = f"/pocs/{qualified_poc.pk}/report"

    pdf = api.get(path, {"kind": "objective", "format": "pdf", "version": 1})
    docx = api.get(path, {"kind": "agreement", "format": "docx"})

    assert pdf.status_code == 200, pdf.content[:500]
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == (
        f'attachment; filename="POC-{qualified_poc.pk}-objective-v1.pdf"')
    assert pdf.content.startswith(b"%PDF-")
    assert docx.status_code == 200, docx.content[:500]
    assert docx["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    assert docx["Content-Disposition"].startswith("attachment; filename=")
    assert docx.content.startswith(b"PK")


def test_bad_document_requests_are_refused(poc, engineer, outsider, api_as):
    api = api_as(engineer)
    path = f"/pocs/{poc.pk}/report"

    unknown = api.get(path, {"kind": "contract", "format": "pdf"})
    odd_format = api.get(path, {"kind": "objective", "format": "odt"})
    empty = api.get(path, {"kind": "agreement", "format": "pdf"})
    missing_version = api.get(path, {"kind": "objective", "format": "pdf", "version": 3})
    foreign = api_as(outsider).get(path, {"kind": "objective", "format": "pdf"})

    assert (unknown.status_code, list(unknown.json()["details"]["fields"])) == (422, ["kind"])
    assert (odd_format.status_code, list(odd_format.json()["details"]["fields"])) == (
        422, ["format"])
    assert (empty.status_code, empty.json()["code"]) == (409, "document_empty")
    assert missing_version.status_code == 404
    assert foreign.status_code == 404


# --- permissions ---------------------------------------------------------------------------------

READS = ["/criteria", "/criteria/versions", "/agreement/versions", "/agreement", "/signoffs",
         "/criteria/versions/diff?old=draft"]


@pytest.mark.parametrize(("actor_name", "expected"), [
    ("anonymous", 401), ("outsider", 404), ("engineer", 200), ("sales", 200),
    ("manager", 200), ("admin", 200)])
def test_who_reads_the_plan(qualified_poc, engineer, actors, api_as, anonymous_api, actor_name,
                            expected):
    make_agreement(qualified_poc, actor=engineer)
    actor = actors[actor_name]
    api = api_as(actor) if actor else anonymous_api

    statuses = [api.get(f"/pocs/{qualified_poc.pk}{path}").status_code for path in READS]

    assert statuses == [expected] * len(READS)


def _writes(poc, criterion_id, number):
    return [
        ("post", f"/pocs/{poc.pk}/criteria", {**{"title": "Noise", "metric": "noise",
                                                 "unit": "dB", "comparator": "lte",
                                                 "target_value": "85",
                                                 "measurement_method": "Sound meter"}}),
        ("patch", f"/pocs/{poc.pk}/criteria/{criterion_id}", {"importance": 1}),
        ("post", f"/pocs/{poc.pk}/criteria/versions/{number}/submit", None),
        ("put", f"/pocs/{poc.pk}/agreement", {"exit_slip_days": 15}),
        ("post", f"/pocs/{poc.pk}/signoffs", vendor_signature(version=1)),
    ]


@pytest.mark.parametrize(("actor_name", "expected"), [
    ("anonymous", 401), ("outsider", 404)])
def test_a_refused_write_changes_nothing(qualified_poc, engineer, actors, api_as, anonymous_api,
                                         actor_name, expected):
    plan_version_submit(actor=engineer, poc=qualified_poc, kind="criteria")
    criterion = qualified_poc.criteria.get()
    make_criterion(qualified_poc, title="Draft change")  # so that the draft can be submitted
    actor = actors[actor_name]
    api = api_as(actor) if actor else anonymous_api
    before = plan_rows()

    statuses = [getattr(api, method)(path, body).status_code
                for method, path, body in _writes(qualified_poc, criterion.pk, 2)]
    form = api.post_form(f"/pocs/{qualified_poc.pk}/signoffs", customer_form())

    assert statuses + [form.status_code] == [expected] * 6
    assert plan_rows() == before


@pytest.mark.parametrize("actor_name", ["engineer", "sales", "manager", "admin"])
def test_members_and_admins_write_the_plan(qualified_poc, actors, api_as, actor_name):
    criterion = qualified_poc.criteria.get()
    api = api_as(actors[actor_name])

    statuses = [getattr(api, method)(path, body).status_code
                for method, path, body in _writes(qualified_poc, criterion.pk, 1)]

    assert statuses == [201, 200, 201, 201, 201]
    assert Signature.objects.get().signer_name == actors[actor_name].profile.display_name
