"""The POC plan pages: criteria, library, versions and sign-off, diffs, agreement, documents."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from pocdesk.agreements.models import Agreement, CostLine, CustomerResource
from pocdesk.core.models import Event
from pocdesk.criteria.models import Criterion, CriterionTemplate
from pocdesk.criteria.services import criterion_update
from pocdesk.pocs.models import POC
from pocdesk.pocs.services import poc_transition
from pocdesk.signoffs.models import PlanVersion, Signature
from pocdesk.signoffs.services import plan_version_submit, signoff_record
from pocdesk.stakeholders.models import Stakeholder

from ..factories import (
    MembershipFactory,
    POCFactory,
    make_agreement,
    make_criterion,
    make_plan_signed,
    sign_both,
)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def _plan(client, poc, tab=""):
    url = reverse("web:poc_plan", args=[poc.pk]) + (f"?tab={tab}" if tab else "")
    return client.get(url)


def _criterion_data(**changes):
    data = {"title": "Throughput at peak", "question": "Does the line keep up?",
            "comparator": "gte", "metric": "throughput", "unit": "t/h", "target_value": "120",
            "tolerance": "", "target_min": "", "target_max": "", "pass_condition": "",
            "aggregation": "mean", "required_share": "", "test_conditions": "",
            "measurement_method": "Weighbridge totals per hour", "frequency": "hourly",
            "owner_side": "vendor", "importance": "4", "must_have": "on"}
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def _scan(name="signed.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _snapshot(poc):
    """Everything of the plan that a refused request must leave as it was."""
    return {
        "criteria": list(Criterion.objects.filter(poc=poc).values_list(
            "title", "target_value", "position")),
        "templates": CriterionTemplate.objects.count(),
        "versions": list(PlanVersion.objects.filter(poc=poc).values_list("number", "status")),
        "signatures": Signature.objects.count(),
        "agreement": list(Agreement.objects.filter(poc=poc).values_list("scope_included",
                                                                        "end_date")),
        "resources": list(CustomerResource.objects.values_list("description", "status")),
        "costs": list(CostLine.objects.values_list("description", "amount")),
    }


# --- the page --------------------------------------------------------------------------------


def test_the_plan_page_lists_the_draft_criteria_with_target_owner_and_must_have(
        client, engineer, poc):
    client.force_login(engineer)
    make_criterion(poc)
    make_criterion(poc, title="Colour temperature", comparator="between", target_value=None,
                   target_min=Decimal("2600"), target_max=Decimal("2800"), unit="K",
                   metric="CCT", must_have=False, importance=2, owner_side="customer",
                   aggregation="share_passing", required_share=Decimal("95"))

    response = _plan(client, poc)

    page = response.content.decode()
    assert response.status_code == 200
    table = page[page.index('data-testid="criteria-table"'):page.index("</table>")]
    assert table.count("<tr id=\"criterion-") == 2
    assert "≥ 120 t/h" in table
    assert "2600–2800 K in at least 95 % of readings" in table
    assert table.count("must-have-badge") == 1
    assert "Customer" in table and "share of readings passing" in table
    assert 'data-testid="criteria-submit"' in page  # nothing submitted yet
    assert "draft v1" in page


def test_the_qualification_panel_sends_to_the_plan_to_write_criteria(client, engineer, poc):
    client.force_login(engineer)

    page = client.get(reverse("web:poc_detail", args=[poc.pk])).content.decode()

    plan_url = reverse("web:poc_plan", args=[poc.pk])
    assert f'href="{plan_url}#criteria" data-fix="criteria">Write the success criteria' in page


PLAN_GETS = ["web:poc_plan", "web:criterion_create", "web:plan_library"]


@pytest.mark.parametrize("name", PLAN_GETS)
def test_anonymous_users_are_sent_to_log_in(client, poc, name):
    response = client.get(reverse(name, args=[poc.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.fixture
def full_plan(poc, engineer):
    """A POC with a signed criteria version, an awaiting agreement version and a template."""
    criterion = make_criterion(poc)
    make_agreement(poc, actor=engineer)
    sign_both(plan_version_submit(actor=engineer, poc=poc, kind="criteria"), actor=engineer)
    plan_version_submit(actor=engineer, poc=poc, kind="agreement")
    resource = CustomerResource.objects.get(agreement__poc=poc)
    template = CriterionTemplate.objects.create(team=poc.team, title="Uptime", metric="uptime",
                                                unit="%", target_value=Decimal("99"),
                                                measurement_method="Monitoring")
    return {"poc": poc, "criterion": criterion, "resource": resource, "template": template}


def _outsider_requests(full_plan):
    poc, criterion = full_plan["poc"], full_plan["criterion"]
    pk, cid = poc.pk, criterion.pk
    return [
        ("get", reverse("web:poc_plan", args=[pk]), {}),
        ("get", reverse("web:plan_library", args=[pk]), {}),
        ("get", reverse("web:criterion_edit", args=[pk, cid]), {}),
        ("get", reverse("web:plan_diff", args=[pk, "criteria"]) + "?old=1&new=draft", {}),
        ("get", reverse("web:poc_document", args=[pk, "objective", "pdf"]), {}),
        ("post", reverse("web:criterion_create", args=[pk]), _criterion_data()),
        ("post", reverse("web:criterion_edit", args=[pk, cid]), _criterion_data(title="Hacked")),
        ("post", reverse("web:criterion_delete", args=[pk, cid]), {}),
        ("post", reverse("web:criterion_move", args=[pk, cid]), {"direction": "down"}),
        ("post", reverse("web:criterion_to_library", args=[pk, cid]), {"industry": "x"}),
        ("post", reverse("web:plan_library", args=[pk]),
         {"templates": [full_plan["template"].pk]}),
        ("post", reverse("web:plan_submit", args=[pk, "criteria"]), {}),
        ("post", reverse("web:plan_sign", args=[pk, "agreement", 1, "vendor"]), {}),
        ("post", reverse("web:agreement_start", args=[pk]), {}),
        ("post", reverse("web:agreement_save", args=[pk]), {"scope_included": "Hacked"}),
        ("post", reverse("web:resource_status", args=[pk, full_plan["resource"].pk]),
         {"status": "waived"}),
    ]


def test_an_outsider_gets_404_everywhere_and_changes_nothing(client, outsider, full_plan):
    client.force_login(outsider)
    before = _snapshot(full_plan["poc"])

    statuses = {url: getattr(client, method)(url, data).status_code
                for method, url, data in _outsider_requests(full_plan)}

    assert set(statuses.values()) == {404}, statuses
    assert _snapshot(full_plan["poc"]) == before


# --- criteria --------------------------------------------------------------------------------


def test_a_measurable_criterion_is_added(client, engineer, poc):
    client.force_login(engineer)

    response = client.post(reverse("web:criterion_create", args=[poc.pk]), _criterion_data())

    criterion = Criterion.objects.get(poc=poc)
    assert response.status_code == 302
    assert response["Location"] == reverse("web:poc_plan", args=[poc.pk]) + \
        f"#criterion-{criterion.pk}"
    assert (criterion.title, criterion.comparator, criterion.target_value, criterion.unit,
            criterion.aggregation, criterion.importance, criterion.must_have) == (
        "Throughput at peak", "gte", Decimal("120"), "t/h", "mean", 4, True)
    assert Event.objects.filter(verb="criterion.created", poc=poc).count() == 1


def test_a_vague_criterion_is_refused_with_how_to_make_it_measurable(client, engineer, poc):
    client.force_login(engineer)

    response = client.post(reverse("web:criterion_create", args=[poc.pk]), _criterion_data(
        title="The visitors like the light", metric="", unit="", target_value="",
        measurement_method=""))

    page = response.content.decode()
    assert response.status_code == 400
    assert Criterion.objects.filter(poc=poc).count() == 0
    assert 'id="id_target_value_errors"' in page
    assert escape("Give the target value.") in page
    assert 'id="id_unit_errors"' in page
    assert 'id="id_measurement_method_errors"' in page
    assert escape("Say how it is measured") in page
    assert 'value="The visitors like the light"' in page  # what was typed stays


def test_the_form_only_shows_the_fields_of_the_chosen_comparator(client, engineer, poc):
    client.force_login(engineer)

    page = client.post(reverse("web:criterion_create", args=[poc.pk]), _criterion_data(
        comparator="between", target_value="", target_min="", target_max="")
    ).content.decode()

    def row(name):
        start = page.index(f'data-field-row="{name}"')
        return page[page.rindex("<div", 0, start):start]

    assert "x-cloak" not in row("target_min") and "x-cloak" not in row("target_max")
    assert "x-cloak" in row("target_value") and "x-cloak" in row("pass_condition")
    assert "x-cloak" in row("required_share")
    assert escape("Give the lower bound of the accepted range.") in page


def test_a_criterion_is_edited_and_a_bad_range_is_refused_under_its_field(client, engineer,
                                                                          poc):
    client.force_login(engineer)
    criterion = make_criterion(poc)
    url = reverse("web:criterion_edit", args=[poc.pk, criterion.pk])
    assert 'name="target_value" value="120"' in client.get(url).content.decode()

    refused = client.post(url, _criterion_data(comparator="between", target_value="",
                                               target_min="300", target_max="200"))
    saved = client.post(url, _criterion_data(target_value="130", must_have=None))

    assert refused.status_code == 400
    assert 'id="id_target_max_errors"' in refused.content.decode()
    assert escape("The upper bound must be greater than the lower bound.") in \
        refused.content.decode()
    assert saved.status_code == 302
    criterion.refresh_from_db()
    assert (criterion.target_value, criterion.must_have, criterion.comparator) == (
        Decimal("130"), False, "gte")


def test_criteria_are_moved_and_deleted(client, engineer, poc):
    client.force_login(engineer)
    first, second, third = (make_criterion(poc, title=title) for title in ("A", "B", "C"))

    client.post(reverse("web:criterion_move", args=[poc.pk, third.pk]), {"direction": "up"})
    client.post(reverse("web:criterion_move", args=[poc.pk, first.pk]), {"direction": "up"})
    response = client.post(reverse("web:criterion_delete", args=[poc.pk, second.pk]))

    assert response.status_code == 302
    assert list(Criterion.objects.filter(poc=poc).order_by("position")
                .values_list("title", flat=True)) == ["A", "C"]
    page = _plan(client, poc).content.decode()
    assert page.index(">A</span>") < page.index(">C</span>")


def test_a_criterion_is_saved_to_the_library_and_the_library_starts_another_poc(
        client, engineer, poc, opportunity):
    client.force_login(engineer)
    criterion = make_criterion(poc, title="Uptime")
    other = POCFactory(opportunity=opportunity, owner=engineer, title="Second site")
    foreign = CriterionTemplate.objects.create(
        team=MembershipFactory().team, title="Foreign", metric="m", unit="u",
        target_value=1, measurement_method="x")

    client.post(reverse("web:criterion_to_library", args=[poc.pk, criterion.pk]),
                {"industry": "Museums"})
    template = CriterionTemplate.objects.get(title="Uptime")
    library = client.get(reverse("web:plan_library", args=[other.pk])).content.decode()
    refused = client.post(reverse("web:plan_library", args=[other.pk]), {})
    added = client.post(reverse("web:plan_library", args=[other.pk]),
                        {"templates": [template.pk]})

    assert (template.team_id, template.industry, template.created_by) == (poc.team_id,
                                                                          "Museums", engineer)
    assert f'value="{template.pk}"' in library and "Foreign" not in library
    assert foreign.pk != template.pk
    assert refused.status_code == 400
    assert "Choose at least one criterion of the library." in refused.content.decode()
    assert added.status_code == 302
    assert list(other.criteria.values_list("title", "must_have")) == [("Uptime", True)]


def test_criteria_are_copied_from_another_poc(client, engineer, poc, opportunity):
    client.force_login(engineer)
    make_criterion(poc, title="Uptime")
    make_criterion(poc, title="Latency")
    target = POCFactory(opportunity=opportunity, owner=engineer, title="Second site")
    empty = POCFactory(opportunity=opportunity, owner=engineer, title="No criteria")

    library = client.get(reverse("web:plan_library", args=[target.pk])).content.decode()
    refused = client.post(reverse("web:criteria_copy", args=[target.pk]), {"source": empty.pk})
    copied = client.post(reverse("web:criteria_copy", args=[target.pk]), {"source": poc.pk})

    assert f'<option value="{poc.pk}">' in library
    assert f'<option value="{empty.pk}">' not in library
    assert refused.status_code == 400
    assert "Select a valid choice" in refused.content.decode()
    assert copied.status_code == 302
    assert list(target.criteria.order_by("position").values_list("title", flat=True)) == [
        "Uptime", "Latency"]


# --- versions and sign-off -------------------------------------------------------------------


def test_the_draft_is_submitted_and_an_unchanged_draft_is_refused(client, engineer, poc):
    client.force_login(engineer)
    make_criterion(poc)
    url = reverse("web:plan_submit", args=[poc.pk, "criteria"])

    first = client.post(url, follow=True)
    second = client.post(url, follow=True)

    assert list(PlanVersion.objects.filter(poc=poc).values_list("kind", "number", "status")) \
        == [("criteria", 1, "awaiting_signature")]
    assert "Success criteria version 1 is submitted" in first.content.decode()
    page = second.content.decode()
    assert "Nothing changed since version 1: there is nothing new to sign." in page
    assert 'data-testid="criteria-submit"' not in page
    assert "no changes since v1" in page


def test_an_empty_draft_cannot_be_submitted(client, engineer, poc):
    client.force_login(engineer)

    response = client.post(reverse("web:plan_submit", args=[poc.pk, "criteria"]), follow=True)

    assert PlanVersion.objects.count() == 0
    assert "Write at least one success criterion before submitting them for signature." in \
        response.content.decode()


def test_the_vendor_signs_and_the_customers_scan_is_recorded(client, engineer, poc):
    client.force_login(engineer)
    make_criterion(poc)
    version = plan_version_submit(actor=engineer, poc=poc, kind="criteria")
    sponsor = Stakeholder.objects.create(team=poc.team, account=poc.opportunity.account,
                                         name="Dana Sponsor", title="COO", side="customer")
    url = reverse("web:plan_sign", args=[poc.pk, "criteria", 1, "vendor"])

    vendor = client.post(url, {"signer_title": "Presales lead"})
    customer = client.post(reverse("web:plan_sign", args=[poc.pk, "criteria", 1, "customer"]), {
        "stakeholder": sponsor.pk, "signer_name": "", "signer_title": "",
        "signed_at": timezone.localdate().isoformat(), "scan": _scan("criteria-v1.pdf")})

    assert vendor.status_code == 302 and customer.status_code == 302
    version.refresh_from_db()
    signatures = {s.side: s for s in version.signatures.all()}
    assert version.status == "signed"
    assert (signatures["vendor"].method, signatures["vendor"].signer_user,
            signatures["vendor"].signer_title) == ("in_app", engineer, "Presales lead")
    assert (signatures["customer"].method, signatures["customer"].signer_name,
            signatures["customer"].signer_title, signatures["customer"].stakeholder) == (
        "scan", "Dana Sponsor", "COO", sponsor)
    page = _plan(client, poc).content.decode()
    block = page[page.index('data-testid="criteria-version"'):]
    assert 'data-status="signed"' in block[:200]
    assert "Signed by both" in block
    assert f'title="SHA-256 {version.content_hash}">{version.content_hash[:12]}…</code>' in block
    assert 'class="text-success fw-semibold verified"' in block
    assert reverse("web:stored_file", args=[signatures["customer"].scan_id]) in block
    assert "criteria-v1.pdf" in block


def test_a_customer_signature_without_scan_or_in_the_future_is_refused(client, engineer, poc):
    client.force_login(engineer)
    make_criterion(poc)
    plan_version_submit(actor=engineer, poc=poc, kind="criteria")
    url = reverse("web:plan_sign", args=[poc.pk, "criteria", 1, "customer"])
    tomorrow = timezone.localdate() + datetime.timedelta(days=2)

    no_scan = client.post(url, {"signer_name": "Dana", "signed_at": timezone.localdate()})
    future = client.post(url, {"signer_name": "Dana", "signed_at": tomorrow.isoformat(),
                               "scan": _scan()})

    assert Signature.objects.count() == 0
    assert no_scan.status_code == 400
    page = no_scan.content.decode()
    assert 'id="id_criteria_customer_scan_errors"' in page
    assert "Upload the signed scan (PDF or image)." in page
    assert "<details" in page[page.index('data-testid="criteria-sign-customer"') - 200:]
    assert future.status_code == 400
    assert 'id="id_criteria_customer_signed_at_errors"' in future.content.decode()
    assert "The signature cannot be in the future." in future.content.decode()


def test_a_signature_on_a_superseded_version_is_refused_with_a_message(client, engineer, poc):
    client.force_login(engineer)
    criterion = make_criterion(poc)
    plan_version_submit(actor=engineer, poc=poc, kind="criteria")
    criterion_update(actor=engineer, criterion=criterion, target_value=Decimal("130"))
    plan_version_submit(actor=engineer, poc=poc, kind="criteria")

    response = client.post(reverse("web:plan_sign", args=[poc.pk, "criteria", 1, "vendor"]),
                           {"signer_title": ""}, follow=True)

    assert Signature.objects.count() == 0
    assert "Version 1 was superseded by a newer version: sign the latest one." in \
        response.content.decode()


def test_a_tampered_version_shows_that_it_does_not_verify(client, engineer, poc):
    client.force_login(engineer)
    version = make_plan_signed(poc, actor=engineer)["criteria"]
    content = version.content
    content["lists"]["criteria"][0]["target_value"] = "12"
    PlanVersion.objects.filter(pk=version.pk).update(content=content)

    page = _plan(client, poc).content.decode()

    alert = page[page.index('data-testid="verification-failed"'):]
    alert = alert[:alert.index("</ul>")]
    assert "This version does not verify" in alert
    assert escape("The content of version 1 no longer matches its hash") in alert
    assert "v1 does not verify" in page
    assert 'data-signed="no"' in page


# --- diff ------------------------------------------------------------------------------------


def test_the_diff_shows_changed_added_and_removed_criteria(client, engineer, poc):
    client.force_login(engineer)
    throughput = make_criterion(poc)
    removed = make_criterion(poc, title="Noise")
    plan_version_submit(actor=engineer, poc=poc, kind="criteria")
    criterion_update(actor=engineer, criterion=throughput, target_value=Decimal("130"))
    removed.delete()
    make_criterion(poc, title="Uptime")
    url = reverse("web:plan_diff", args=[poc.pk, "criteria"])

    partial = client.get(url, {"old": "1", "new": "draft"}, HTTP_HX_REQUEST="true")
    full = client.get(url, {"old": "1", "new": "draft"})
    same = client.get(url, {"old": "1", "new": "1"}, HTTP_HX_REQUEST="true")

    page = partial.content.decode()
    assert partial.status_code == 200 and "<html" not in page
    assert 'data-field="target_value"' in page
    changed = page[page.index('data-field="target_value"'):]
    assert "120" in changed[:changed.index("</del>")]
    assert "130" in changed[changed.index("<ins"):changed.index("</ins>")]
    assert page.count('data-change="added"') == 1 and page.count('data-change="removed"') == 1
    assert "Uptime" in page and "Noise" in page
    assert full.status_code == 200 and "<html" in full.content.decode()
    assert '<option value="1" selected>' in full.content.decode()
    assert 'data-testid="diff-none"' in same.content.decode()


def test_the_diff_of_a_missing_version_is_404(client, engineer, poc):
    client.force_login(engineer)

    responses = [client.get(reverse("web:plan_diff", args=[poc.pk, "criteria"]), query)
                 for query in ({"old": "4", "new": "draft"}, {"old": "x", "new": "draft"})]

    assert [response.status_code for response in responses] == [404, 404]


def test_the_plan_page_shows_the_latest_version_against_the_draft(client, engineer, poc):
    client.force_login(engineer)
    criterion = make_criterion(poc)
    plan_version_submit(actor=engineer, poc=poc, kind="criteria")
    criterion_update(actor=engineer, criterion=criterion, title="Peak throughput")

    page = _plan(client, poc).content.decode()

    result = page[page.index('id="criteria-diff-result"'):]
    assert "draft v2, changed since v1" in page
    assert "Version 1 → Draft" in result
    assert 'data-field="title"' in result


# --- agreement -------------------------------------------------------------------------------


def _agreement_data(*, resources=(), costs=(), **clauses):
    data = {"scope_included": "Line 2", "scope_excluded": "Line 3", "start_date": "2026-01-05",
            "end_date": "2026-02-04", "checkpoint_cadence_days": "14",
            "ip_ownership": "Each keeps its own", "confidentiality": "Under the NDA",
            "nda_reference": "NDA-7", "follow_on_kind": "conditional_po",
            "follow_on": "PO on success", "exit_slip_days": "30", "exit_clause": "Stop",
            "data_handling": "Deleted after 30 days"}
    data.update(clauses)
    for prefix, rows in (("resources", resources), ("cost_lines", costs)):
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = str(sum(1 for row in rows if row.get("key")))
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = "50"
        for index, row in enumerate(rows):
            for name, value in row.items():
                data[f"{prefix}-{index}-{name}"] = value
    return data


def test_the_agreement_starts_from_the_team_template(client, engineer, poc):
    client.force_login(engineer)
    empty = _plan(client, poc, "agreement").content.decode()

    response = client.post(reverse("web:agreement_start", args=[poc.pk]))

    assert 'data-testid="agreement-start"' in empty
    assert response.status_code == 302
    assert response["Location"] == reverse("web:poc_plan", args=[poc.pk]) + \
        "?tab=agreement#agreement"
    agreement = Agreement.objects.get(poc=poc)
    assert agreement.exit_slip_days == 30 and agreement.scope_excluded
    page = _plan(client, poc, "agreement").content.decode()
    assert 'data-testid="agreement-form"' in page
    assert escape(agreement.scope_excluded) in page


def test_the_agreement_is_saved_with_its_rows_in_one_call(client, engineer, poc):
    client.force_login(engineer)
    agreement = make_agreement(poc, actor=engineer)
    resource = agreement.resources.get()
    CustomerResource.objects.filter(pk=resource.pk).update(status="ready")

    response = client.post(reverse("web:agreement_save", args=[poc.pk]), _agreement_data(
        resources=[
            {"key": str(resource.key), "kind": "environment",
             "description": "Access to line 2 at night", "due_date": "2026-01-03"},
            {"key": "", "kind": "data", "description": "Six months of logs",
             "due_date": "2026-01-04"},
            {"key": "", "kind": "people", "description": "", "due_date": ""},
        ],
        costs=[{"key": "", "category": "materials", "description": "Sensors",
                "amount": "1250.50", "currency": "USD", "paid_by": "shared"}]))

    assert response.status_code == 302
    agreement.refresh_from_db()
    assert (agreement.scope_included, agreement.end_date, agreement.follow_on_kind,
            agreement.nda_reference) == ("Line 2", datetime.date(2026, 2, 4), "conditional_po",
                                         "NDA-7")
    resources = list(agreement.resources.order_by("position"))
    assert [(r.description, r.status) for r in resources] == [
        ("Access to line 2 at night", "ready"), ("Six months of logs", "pending")]
    assert resources[0].key == resource.key
    assert list(agreement.cost_lines.values_list("description", "amount", "currency",
                                                 "paid_by")) == [
        ("Sensors", Decimal("1250.50"), "USD", "shared")]


def test_agreement_errors_are_shown_on_their_field_and_row_and_nothing_changes(
        client, engineer, poc):
    client.force_login(engineer)
    make_agreement(poc, actor=engineer)
    before = _snapshot(poc)

    response = client.post(reverse("web:agreement_save", args=[poc.pk]), _agreement_data(
        end_date="2025-12-01",
        resources=[{"key": "", "kind": "data", "description": "Logs", "due_date": ""}],
        costs=[{"key": "", "category": "travel", "description": "Flights", "amount": "-5",
                "currency": "EUR", "paid_by": "vendor"}]))

    page = response.content.decode()
    assert response.status_code == 400
    assert _snapshot(poc) == before
    assert "The end date must not be before the start date." in page
    resource_row = page[page.index('id="id_resources-0-due_date"'):]
    assert 'id="id_resources-0-due_date"' in page
    assert "is-invalid" in page[page.rindex("<input", 0, page.index(
        'id="id_resources-0-due_date"')):page.index('id="id_resources-0-due_date"')]
    assert "invalid-feedback" in resource_row[:400]
    cost_input = page.rindex("<input", 0, page.index('id="id_cost_lines-0-amount"'))
    assert "is-invalid" in page[cost_input:page.index('id="id_cost_lines-0-amount"')]
    assert 'value="Flights"' in page  # the rows typed are sent back


def test_a_customer_resource_status_changes_inline(client, engineer, poc):
    client.force_login(engineer)
    resource = make_agreement(poc, actor=engineer).resources.get()
    url = reverse("web:resource_status", args=[poc.pk, resource.pk])

    inline = client.post(url, {"status": "ready"}, HTTP_HX_REQUEST="true")
    plain = client.post(url, {"status": "waived"})
    refused = client.post(url, {"status": "lost"}, HTTP_HX_REQUEST="true")

    assert inline.status_code == 200
    assert inline.content.decode().lstrip().startswith(f'<tr id="resource-{resource.pk}"')
    assert 'data-status="ready"' in inline.content.decode()
    assert plain.status_code == 302
    assert refused.status_code == 400 and "Choose pending, ready or waived." in \
        refused.content.decode()
    resource.refresh_from_db()
    assert resource.status == "waived"
    assert PlanVersion.objects.count() == 0  # operational: no new version


def test_the_exit_clause_alert_shows_on_the_plan_and_the_poc_page(client, engineer, poc):
    client.force_login(engineer)
    agreement = make_agreement(poc, actor=engineer)
    POC.objects.filter(pk=poc.pk).update(status="running")
    end = timezone.localdate() - datetime.timedelta(days=45)
    Agreement.objects.filter(pk=agreement.pk).update(end_date=end,
                                                     start_date=end - datetime.timedelta(30))

    pages = [_plan(client, poc).content.decode(),
             client.get(reverse("web:poc_detail", args=[poc.pk])).content.decode()]

    for page in pages:
        alert = page[page.index('data-testid="exit-alert"'):]
        alert = alert[:alert.index("</div>\n</div>")]
        assert "Exit clause reached:" in alert
        assert "was missed by 45 days (allowance 30 days)" in alert
        assert "stop, renegotiate or extend with approval" in alert


# --- documents -------------------------------------------------------------------------------


def test_the_objective_document_downloads_as_pdf_and_docx(client, engineer, poc):
    client.force_login(engineer)
    make_criterion(poc)
    plan_version_submit(actor=engineer, poc=poc, kind="criteria")

    pdf = client.get(reverse("web:poc_document", args=[poc.pk, "objective", "pdf"]),
                     {"version": "1"})
    docx = client.get(reverse("web:poc_document", args=[poc.pk, "objective", "docx"]))
    missing = client.get(reverse("web:poc_document", args=[poc.pk, "objective", "pdf"]),
                         {"version": "7"})
    no_agreement = client.get(reverse("web:poc_document", args=[poc.pk, "agreement", "pdf"]))

    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("attachment; filename=")
    assert ".pdf" in pdf["Content-Disposition"]
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    assert ".docx" in docx["Content-Disposition"]
    assert missing.status_code == 404
    assert no_agreement.status_code == 409


def test_an_unknown_document_or_format_is_not_a_page(client, engineer, poc):
    client.force_login(engineer)

    responses = [client.get(f"/pocs/{poc.pk}/documents/{name}") for name in (
        "report.pdf", "objective.exe", "objective.pdf?version=abc")]

    assert [response.status_code for response in responses] == [404, 404, 404]


# --- the POC page ----------------------------------------------------------------------------


def test_the_poc_page_shows_the_plan_card(client, engineer, poc):
    client.force_login(engineer)
    make_criterion(poc)
    make_criterion(poc, title="Noise", must_have=False)
    version = plan_version_submit(actor=engineer, poc=poc, kind="criteria")
    signoff_record(actor=engineer, version=version, side="vendor", method="in_app")

    page = client.get(reverse("web:poc_detail", args=[poc.pk])).content.decode()

    card = page[page.index('data-testid="plan-card"'):]
    card = card[:card.index("</section>")]
    assert reverse("web:poc_plan", args=[poc.pk]) in card
    assert "2 criteria, 1 must-have" in card
    assert "v1 awaits the customer's signature" in card
    assert "not started" in card  # the agreement


def test_moving_to_agreed_is_refused_with_the_unsigned_documents(client, engineer,
                                                                 qualifiable_poc):
    client.force_login(engineer)
    poc = poc_transition(actor=engineer, poc=qualifiable_poc, to="qualified")
    version = plan_version_submit(actor=engineer, poc=poc, kind="criteria")
    signoff_record(actor=engineer, version=version, side="vendor", method="in_app")

    response = client.post(reverse("web:poc_transition", args=[poc.pk]), {"to": "agreed"})

    page = response.content.decode()
    refusal = page[page.index('data-testid="transition-refused"'):]
    refusal = refusal[:refusal.index("</div>")]
    assert response.status_code == 409
    assert POC.objects.get(pk=poc.pk).status == "qualified"
    assert "Success criteria version 1 still awaits signatures (customer)." in refusal
    assert "Agreement: no version has been submitted for signature yet." in refusal


def test_a_signed_plan_lets_the_poc_move_to_agreed(client, engineer, qualifiable_poc):
    client.force_login(engineer)
    poc = poc_transition(actor=engineer, poc=qualifiable_poc, to="qualified")
    make_plan_signed(poc, actor=engineer)

    response = client.post(reverse("web:poc_transition", args=[poc.pk]), {"to": "agreed"})

    assert response.status_code == 302
    assert POC.objects.get(pk=poc.pk).status == "agreed"
    page = client.get(reverse("web:poc_detail", args=[poc.pk])).content.decode()
    card = page[page.index('data-testid="plan-card"'):]
    assert card[:card.index("</section>")].count('data-signed="yes"') == 2


def test_a_closed_poc_shows_its_plan_without_edit_controls(client, engineer, poc):
    client.force_login(engineer)
    make_criterion(poc)
    POC.objects.filter(pk=poc.pk).update(status="walked_away")

    page = _plan(client, poc).content.decode()

    assert 'data-testid="criteria-table"' in page
    assert 'data-testid="criterion-add"' not in page
    assert 'data-testid="criteria-submit"' not in page
    assert 'data-testid="criterion-edit"' not in page


def test_another_team_member_sees_the_plan(client, poc, team):
    colleague = MembershipFactory(team=team).user
    client.force_login(colleague)

    assert _plan(client, poc).status_code == 200
