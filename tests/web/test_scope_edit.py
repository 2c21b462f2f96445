"""Correcting a pending scope-change request or an open commitment from the scope page."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from ..factories import make_commitment, make_customer, make_scope_change

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(poc):
    return make_customer(poc, name="Dana Sponsor")


def _change_data(change, **values):
    prefix = f"edit-change{change.pk}-"
    data = {"text": change.text, "requested_by": change.requested_by_id,
            "requested_on": change.requested_on.isoformat(), "effort_hours": "8",
            "change_class": change.change_class}
    data.update(values)
    return {prefix + name: value for name, value in data.items()}


def _edit_change(client, poc, change, **values):
    return client.post(reverse("web:poc_scope_change_edit", args=[poc.pk, change.pk]),
                       _change_data(change, **values))


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_the_page_offers_a_prefilled_edit_form_on_a_pending_request(client, engineer, poc,
                                                                    customer):
    change = make_scope_change(poc, recorded_by=engineer, requested_by=customer,
                               text="Add a DALI curve")
    decided = make_scope_change(poc, recorded_by=engineer, requested_by=customer,
                                text="Already accepted", decision="accepted")
    client.force_login(engineer)

    page = client.get(reverse("web:poc_scope", args=[poc.pk])).content.decode()

    edit_url = reverse("web:poc_scope_change_edit", args=[poc.pk, change.pk])
    assert f'action="{edit_url}"' in page
    assert f'name="edit-change{change.pk}-text"' in page
    assert reverse("web:poc_scope_change_edit", args=[poc.pk, decided.pk]) not in page


def test_editing_a_pending_request_saves_the_correction(client, engineer, poc, customer):
    other = make_customer(poc, name="Other Requester")
    change = make_scope_change(poc, recorded_by=engineer, requested_by=customer)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    client.force_login(engineer)

    response = _edit_change(client, poc, change, text="Add two columns to the report",
                            requested_by=other.pk, requested_on=yesterday.isoformat(),
                            effort_hours="12.5", change_class="evolution")

    assert response.status_code == 302
    assert response["Location"].endswith(f"#change-{change.pk}")
    change.refresh_from_db()
    assert change.text == "Add two columns to the report"
    assert change.requested_by == other
    assert change.requested_on == yesterday
    assert change.effort_hours == Decimal("12.5")
    assert change.change_class == "evolution"
    assert any("corrected" in message for message in _messages(response))


def test_a_decided_request_is_refused_with_a_message(client, engineer, poc, customer):
    change = make_scope_change(poc, recorded_by=engineer, requested_by=customer,
                               text="Kept as decided", decision="accepted")
    client.force_login(engineer)

    response = _edit_change(client, poc, change, text="Rewritten history")

    assert response.status_code == 302
    assert any("accepted" in message for message in _messages(response))
    change.refresh_from_db()
    assert change.text == "Kept as decided"


def test_a_negative_effort_comes_back_under_the_field(client, engineer, poc, customer):
    change = make_scope_change(poc, recorded_by=engineer, requested_by=customer,
                               text="Unchanged text")
    client.force_login(engineer)

    response = _edit_change(client, poc, change, text="Changed text", effort_hours="-3")

    assert response.status_code == 400
    page = response.content.decode()
    field_errors = f'id="id_edit-change{change.pk}-effort_hours_errors"'
    assert field_errors in page
    assert "greater than or equal to 0" in page[page.index(field_errors):][:200]
    change.refresh_from_db()
    assert change.text == "Unchanged text"
    assert change.effort_hours == Decimal("8")


def test_an_outsider_gets_a_404(client, outsider, engineer, poc, customer):
    change = make_scope_change(poc, recorded_by=engineer, requested_by=customer,
                               text="Not theirs")
    commitment = make_commitment(poc, made_by=engineer, made_to=customer, text="Not theirs")
    client.force_login(outsider)

    assert _edit_change(client, poc, change, text="Hijacked").status_code == 404
    response = client.post(
        reverse("web:poc_scope_commitment_edit", args=[poc.pk, commitment.pk]),
        {f"edit-commitment{commitment.pk}-text": "Hijacked"})
    assert response.status_code == 404
    change.refresh_from_db()
    commitment.refresh_from_db()
    assert change.text == "Not theirs" and commitment.text == "Not theirs"


def test_editing_an_open_commitment_saves_the_correction(client, engineer, poc, customer):
    commitment = make_commitment(poc, made_by=engineer, made_to=customer)
    due = timezone.localtime(commitment.made_at + datetime.timedelta(hours=48)).replace(
        second=0, microsecond=0)
    client.force_login(engineer)

    page = client.get(reverse("web:poc_scope", args=[poc.pk]) + "?tab=commitments")
    assert (reverse("web:poc_scope_commitment_edit", args=[poc.pk, commitment.pk])
            in page.content.decode())

    prefix = f"edit-commitment{commitment.pk}-"
    response = client.post(
        reverse("web:poc_scope_commitment_edit", args=[poc.pk, commitment.pk]),
        {prefix + "text": "Confirm on-site storage in writing", prefix + "made_to": customer.pk,
         prefix + "made_by": engineer.pk, prefix + "category": "risky",
         prefix + "due_at": due.strftime("%Y-%m-%dT%H:%M"),
         prefix + "preconditions": "The customer's IT signs off", prefix + "scope_change": "",
         prefix + "feasibility": ""})

    assert response.status_code == 302
    assert response["Location"].endswith(f"#commitment-{commitment.pk}")
    commitment.refresh_from_db()
    assert commitment.text == "Confirm on-site storage in writing"
    assert commitment.category == "risky"
    assert commitment.preconditions == "The customer's IT signs off"
    assert commitment.due_at == due


def test_a_risky_commitment_without_preconditions_comes_back_400(client, engineer, poc,
                                                                 customer):
    commitment = make_commitment(poc, made_by=engineer, made_to=customer, text="As made")
    client.force_login(engineer)
    prefix = f"edit-commitment{commitment.pk}-"

    response = client.post(
        reverse("web:poc_scope_commitment_edit", args=[poc.pk, commitment.pk]),
        {prefix + "text": "Changed", prefix + "made_to": customer.pk,
         prefix + "made_by": engineer.pk, prefix + "category": "risky"})

    assert response.status_code == 400
    assert f'id="id_edit-commitment{commitment.pk}-preconditions_errors"' in \
        response.content.decode()
    commitment.refresh_from_db()
    assert commitment.text == "As made"


def test_a_closed_commitment_is_not_corrected(client, engineer, poc, customer):
    commitment = make_commitment(poc, made_by=engineer, made_to=customer, text="Kept",
                                 status="kept")
    client.force_login(engineer)
    prefix = f"edit-commitment{commitment.pk}-"

    response = client.post(
        reverse("web:poc_scope_commitment_edit", args=[poc.pk, commitment.pk]),
        {prefix + "text": "Rewritten", prefix + "made_to": customer.pk,
         prefix + "made_by": engineer.pk, prefix + "category": "uncertain"})

    assert response.status_code == 302
    assert _messages(response)
    commitment.refresh_from_db()
    assert commitment.text == "Kept"
