"""The qualification gate in the web pages: panel, refusal, override, forms, documents."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from pocdesk.core.models import Event, StoredFile
from pocdesk.opportunities.models import Opportunity
from pocdesk.pocs.models import POC
from pocdesk.qualification.models import QualificationOverride
from pocdesk.qualification.selectors import qualification_evaluate
from pocdesk.stakeholders.models import Engagement, Stakeholder

from ..factories import AccountFactory

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def _detail(client, poc):
    return client.get(reverse("web:poc_detail", args=[poc.pk]))


def _opportunity_edit_data(opportunity, owner, **changes):
    data = {
        "name": opportunity.name, "amount": str(opportunity.amount),
        "currency": opportunity.currency, "exchange_rate": "",
        "expected_close_date": opportunity.expected_close_date.isoformat(),
        "stage": opportunity.stage, "owner": owner.pk, "source": "", "description": "",
        "purchase_process": "rfp", "purchase_reference": "", "budget_amount": "",
        "budget_confirmed_by": "", "budget_confirmed_on": "", "decision_date": "",
        "nda_reference": "",
        "competitors-TOTAL_FORMS": "0", "competitors-INITIAL_FORMS": "0",
        "competitors-MIN_NUM_FORMS": "0", "competitors-MAX_NUM_FORMS": "30",
    }
    data.update(changes)
    return data


def test_the_panel_shows_checks_score_verdict_and_what_is_missing(client, engineer, poc):
    client.force_login(engineer)
    result = qualification_evaluate(poc=poc)

    response = _detail(client, poc)

    page = response.content.decode()
    assert response.status_code == 200
    assert f'data-testid="qualification-panel" data-verdict="{result.verdict}"' in page
    assert f'data-score="{result.score}"' in page
    assert 'data-check="budget_confirmed" data-status="failed"' in page
    assert 'data-check="active_opportunity" data-status="passed"' in page
    assert page.count('class="checklist-item') == len(result.checks)
    assert page.count("<tr data-item=") == len(result.score_items)
    assert f'href="{reverse("web:stakeholder_create")}?opportunity={poc.opportunity_id}"' in page
    assert f'href="{reverse("web:opportunity_edit", args=[poc.opportunity_id])}#qualification"' \
        in page
    assert f'href="{reverse("web:poc_detail", args=[poc.pk])}#commitment"' in page
    assert 'data-testid="override-open"' not in page  # an engineer cannot override


def test_a_qualifiable_poc_shows_every_mandatory_check_ticked(client, engineer, qualifiable_poc):
    client.force_login(engineer)

    page = _detail(client, qualifiable_poc).content.decode()

    for code in ("active_opportunity", "purchase_process", "budget_confirmed",
                 "executive_sponsor", "commitment_level"):
        assert f'data-check="{code}" data-status="passed"' in page
    assert 'data-level="1"' in page


def test_a_refused_qualification_lists_the_unmet_checks_of_the_service(client, engineer, poc):
    client.force_login(engineer)
    unmet = qualification_evaluate(poc=poc).unmet_mandatory

    response = client.post(reverse("web:poc_transition", args=[poc.pk]), {"to": "qualified"})

    page = response.content.decode()
    assert response.status_code == 409
    assert 'data-testid="transition-refused"' in page
    assert sorted(check.code for check in unmet) == [
        "budget_confirmed", "commitment_level", "executive_sponsor", "purchase_process",
        "success_criteria"]
    for check in unmet:
        assert f"<li>{escape(check.message)}</li>" in page
    assert POC.objects.get(pk=poc.pk).status == "draft"


def test_a_manager_overrides_the_gate_and_the_page_says_who_and_why(client, manager, poc):
    client.force_login(manager)
    assert 'data-testid="override-open"' in _detail(client, poc).content.decode()

    response = client.post(reverse("web:poc_override", args=[poc.pk]),
                           {"justification": "Strategic logo, the CEO asked for it."})

    assert response.status_code == 302
    assert POC.objects.get(pk=poc.pk).status == "qualified"
    event = Event.objects.get(verb="poc.qualification_overridden")
    assert event.actor == manager
    assert event.data["justification"] == "Strategic logo, the CEO asked for it."
    page = _detail(client, poc).content.decode()
    record = page[page.index('data-testid="override-record"'):]
    assert "Strategic logo, the CEO asked for it." in record
    assert "manager" in record[:record.index("</section>")]


def test_a_too_short_justification_is_shown_in_the_reopened_dialog(client, manager, poc):
    client.force_login(manager)

    response = client.post(reverse("web:poc_override", args=[poc.pk]), {"justification": "why"})

    page = response.content.decode()
    assert response.status_code == 400
    assert "data-open-on-load" in page
    assert 'id="id_justification_errors">Write why the POC goes ahead anyway' in page
    assert POC.objects.get(pk=poc.pk).status == "draft"
    assert not QualificationOverride.objects.exists()


def test_an_engineers_override_is_refused_and_changes_nothing(client, engineer, poc):
    client.force_login(engineer)
    events = Event.objects.count()

    response = client.post(reverse("web:poc_override", args=[poc.pk]),
                           {"justification": "I really want to run this one."})

    assert response.status_code == 403
    assert POC.objects.get(pk=poc.pk).status == "draft"
    assert not QualificationOverride.objects.exists()
    assert Event.objects.count() == events


def test_walking_away_shows_the_walk_away_record(client, engineer, poc):
    client.force_login(engineer)

    client.post(reverse("web:poc_transition", args=[poc.pk]),
                {"to": "walked_away", "reason": "POC fodder: no budget, no sponsor."})

    page = _detail(client, poc).content.decode()
    record = page[page.index('data-testid="walk-away-record"'):]
    assert "“POC fodder: no budget, no sponsor.”" in record[:record.index("</section>")]


def test_a_stakeholder_is_created_from_the_opportunity(client, engineer, opportunity):
    client.force_login(engineer)
    url = reverse("web:stakeholder_create") + f"?opportunity={opportunity.pk}"

    response = client.post(url, {"opportunity": opportunity.pk, "name": "Dana Sponsor",
                                 "title": "COO", "side": "customer", "role": "executive_sponsor",
                                 "influence": "high", "attitude": "supporter"})

    assert response.status_code == 302
    stakeholder = Stakeholder.objects.get()
    assert (stakeholder.account, stakeholder.opportunity, stakeholder.role) == (
        opportunity.account, opportunity, "executive_sponsor")
    page = client.get(reverse("web:opportunity_detail", args=[opportunity.pk])).content.decode()
    assert 'data-attitude="supporter"' in page
    assert reverse("web:stakeholder_edit", args=[stakeholder.pk]) in page


def test_a_stakeholder_reporting_to_another_accounts_person_is_refused(client, engineer,
                                                                      opportunity, team):
    client.force_login(engineer)
    stranger = Stakeholder.objects.create(team=team, account=AccountFactory(team=team),
                                          name="Elsewhere")
    url = reverse("web:stakeholder_create") + f"?opportunity={opportunity.pk}"

    response = client.post(url, {"name": "Dana", "side": "customer", "role": "champion",
                                 "influence": "high", "attitude": "supporter",
                                 "reports_to": stranger.pk})

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_reports_to_errors">Select a valid choice.' in page
    assert Stakeholder.objects.count() == 1


def test_a_stakeholder_is_edited_and_its_boss_is_kept_in_the_account(client, engineer,
                                                                    opportunity, team):
    client.force_login(engineer)
    boss = Stakeholder.objects.create(team=team, account=opportunity.account, name="Boss")
    person = Stakeholder.objects.create(team=team, account=opportunity.account, name="Person")

    response = client.post(reverse("web:stakeholder_edit", args=[person.pk]), {
        "name": "Person", "side": "customer", "role": "technical_evaluator",
        "influence": "low", "attitude": "skeptic", "reports_to": boss.pk})

    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.reports_to, person.attitude) == (boss, "skeptic")


def test_an_engagement_is_recorded_from_the_poc_page(client, engineer, poc, team):
    client.force_login(engineer)
    sponsor = Stakeholder.objects.create(team=team, account=poc.opportunity.account,
                                         name="Dana", role="executive_sponsor")

    response = client.post(reverse("web:poc_engagement", args=[poc.pk]), {
        "stakeholder": sponsor.pk, "date": "2030-03-01", "kind": "workshop", "note": "Kick-off"})

    assert response.status_code == 302
    engagement = Engagement.objects.get()
    assert (engagement.stakeholder, engagement.poc, engagement.date, engagement.kind) == (
        sponsor, poc, datetime.date(2030, 3, 1), "workshop")
    page = _detail(client, poc).content.decode()
    assert "Kick-off" in page


def test_the_red_flags_form_records_the_engineers_observations(client, engineer, poc):
    client.force_login(engineer)

    response = client.post(reverse("web:poc_red_flags", args=[poc.pk]), {
        "customer_evasive": "on", "red_flag_notes": "Procurement will not say who signs."})

    assert response.status_code == 302
    opportunity = Opportunity.objects.get(pk=poc.opportunity_id)
    assert (opportunity.customer_evasive, opportunity.free_production_use) == (True, False)
    assert 'data-flag="customer_evasive"' in _detail(client, poc).content.decode()


def test_the_commitment_form_shows_the_missing_evidence_under_its_fields(client, sales, poc):
    client.force_login(sales)

    response = client.post(reverse("web:poc_commitment", args=[poc.pk]),
                           {"commitment_level": "3", "funded_share": "150"})

    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_funded_share_errors">Ensure this value is less than or equal to 100.' in page
    response = client.post(reverse("web:poc_commitment", args=[poc.pk]),
                           {"commitment_level": "3"})
    page = response.content.decode()
    assert 'id="id_conditional_po_reference_errors">Give the purchase order' in page
    assert 'id="id_conditional_po_value_errors">Give the purchase order' in page
    assert 'id="id_conditional_po_criteria_errors">Say which criteria trigger the order.' in page
    assert POC.objects.get(pk=poc.pk).commitment_level == 0


def test_the_commitment_level_is_set_with_its_document(client, sales, poc):
    client.force_login(sales)

    response = client.post(reverse("web:poc_commitment", args=[poc.pk]), {
        "commitment_level": "1", "commitment_reference": "",
        "commitment_document": SimpleUploadedFile("loi.pdf", PDF, "application/pdf")})

    assert response.status_code == 302
    poc.refresh_from_db()
    assert poc.commitment_level == 1
    assert poc.commitment_document.original_name == "loi.pdf"
    assert Event.objects.filter(verb="poc.commitment_changed").count() == 1


def test_an_engineer_may_not_set_the_commitment(client, engineer, poc):
    client.force_login(engineer)

    response = client.post(reverse("web:poc_commitment", args=[poc.pk]),
                           {"commitment_level": "1", "commitment_reference": "LOI"})

    assert response.status_code == 403
    assert POC.objects.get(pk=poc.pk).commitment_level == 0


def test_a_purchase_document_is_uploaded_and_served_only_to_its_team(client, sales, engineer,
                                                                    outsider, opportunity):
    client.force_login(sales)
    data = _opportunity_edit_data(opportunity, sales, purchase_reference="RFP-9")
    data["purchase_document"] = SimpleUploadedFile("rfp.pdf", PDF, "application/pdf")

    response = client.post(reverse("web:opportunity_edit", args=[opportunity.pk]), data)

    assert response.status_code == 302
    stored = Opportunity.objects.get(pk=opportunity.pk).purchase_document
    assert (stored.original_name, stored.content_type) == ("rfp.pdf", "application/pdf")
    client.force_login(engineer)
    download = client.get(reverse("web:stored_file", args=[stored.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"] == 'attachment; filename="rfp.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"
    client.force_login(outsider)
    assert client.get(reverse("web:stored_file", args=[stored.pk])).status_code == 404


def test_a_disguised_executable_is_refused_under_the_document_field(client, sales, opportunity):
    client.force_login(sales)
    data = _opportunity_edit_data(opportunity, sales, purchase_reference="RFP-9")
    data["purchase_document"] = SimpleUploadedFile("x.pdf", b"MZ\x90\x00" + b"\x00" * 60,
                                                   "application/pdf")

    response = client.post(reverse("web:opportunity_edit", args=[opportunity.pk]), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_purchase_document_errors">This type of file is not accepted.' in page
    assert 'enctype="multipart/form-data"' in page
    assert not StoredFile.objects.exists()
    assert Opportunity.objects.get(pk=opportunity.pk).purchase_reference == ""


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _add_people(count, *, poc, actor, start=0):
    opportunity = poc.opportunity
    boss = Stakeholder.objects.filter(account=opportunity.account).first()
    for number in range(start, start + count):
        person = Stakeholder.objects.create(
            team=poc.team, account=opportunity.account, opportunity=opportunity,
            name=f"Person {number}", role="champion" if number % 2 else "influencer",
            attitude=["supporter", "neutral", "skeptic"][number % 3], reports_to=boss)
        Engagement.objects.create(stakeholder=person, poc=poc, recorded_by=actor)
        boss = person if number % 5 == 0 else boss


@pytest.mark.parametrize("name", ["web:poc_detail", "web:opportunity_detail"])
def test_the_pages_cost_the_same_for_5_and_50_stakeholders_and_engagements(
        client, manager, qualifiable_poc, name):
    poc = qualifiable_poc
    client.force_login(manager)
    url = reverse(name, args=[poc.pk if name == "web:poc_detail" else poc.opportunity_id])
    _add_people(5, poc=poc, actor=manager)
    with_5 = _queries(client, url)
    _add_people(45, poc=poc, actor=manager, start=5)

    with_50 = _queries(client, url)

    assert with_5 == with_50
