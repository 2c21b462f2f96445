"""The web pages: access, visibility, forms through the services, refusals, language."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from pocdesk.accounts.models import Account
from pocdesk.core.models import Event
from pocdesk.opportunities.models import Opportunity
from pocdesk.people.models import Profile
from pocdesk.pocs.models import POC, Status
from pocdesk.pocs.services import poc_transition

from ..factories import AccountFactory, OpportunityFactory, POCFactory

LIST_PAGES = ["web:home", "web:poc_list", "web:opportunity_list", "web:account_list",
              "web:poc_create", "web:opportunity_create", "web:account_create"]
OBJECT_PAGES = [
    ("web:poc_detail", "poc"), ("web:poc_edit", "poc"), ("web:poc_timeline", "poc"),
    ("web:opportunity_detail", "opportunity"), ("web:opportunity_edit", "opportunity"),
    ("web:account_detail", "account"), ("web:account_edit", "account"),
]


@pytest.fixture
def objects(poc):
    return {"poc": poc, "opportunity": poc.opportunity, "account": poc.opportunity.account}


def _url(name, objects=None, kind=None):
    return reverse(name, args=[objects[kind].pk]) if kind else reverse(name)


@pytest.mark.parametrize("name", LIST_PAGES)
def test_anonymous_users_are_sent_to_the_login_page(client, db, name):
    url = reverse(name)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize(("name", "kind"), OBJECT_PAGES)
def test_anonymous_users_cannot_open_an_object_page(client, objects, name, kind):
    response = client.get(_url(name, objects, kind))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", LIST_PAGES)
def test_every_page_renders_for_a_team_member(client, manager, objects, name):
    client.force_login(manager)

    response = client.get(reverse(name))

    assert response.status_code == 200
    assert b'<html lang="en">' in response.content


@pytest.mark.parametrize(("name", "kind"), OBJECT_PAGES)
def test_every_object_page_renders_for_a_team_member(client, manager, objects, name, kind):
    client.force_login(manager)

    response = client.get(_url(name, objects, kind))

    assert response.status_code == 200


@pytest.mark.parametrize(("name", "kind"), OBJECT_PAGES)
def test_another_teams_object_is_not_found(client, outsider, objects, name, kind):
    client.force_login(outsider)

    response = client.get(_url(name, objects, kind))

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_lists_show_only_the_objects_of_the_users_teams(client, engineer, poc, other_team):
    hidden = POCFactory(opportunity=OpportunityFactory(account=AccountFactory(team=other_team)),
                        title="Secret mining POC")
    client.force_login(engineer)

    pocs = client.get(reverse("web:poc_list")).content.decode()
    accounts = client.get(reverse("web:account_list")).content.decode()

    assert poc.title in pocs
    assert hidden.title not in pocs
    assert "Musée du Louvre" in accounts
    assert hidden.opportunity.account.name not in accounts


def test_the_poc_detail_shows_its_fields_transitions_and_timeline(client, engineer,
                                                                  qualifiable_poc):
    poc = qualifiable_poc
    poc_transition(actor=engineer, poc=poc, to=Status.QUALIFIED)
    client.force_login(engineer)

    response = client.get(reverse("web:poc_detail", args=[poc.pk]))

    page = response.content.decode()
    assert "Luminaires on the BMS" in page
    assert 'data-status="qualified"' in page
    assert "Heritage lighting retrofit" in page
    assert "Musée du Louvre" in page
    assert 'data-testid="transition-agreed"' in page
    assert 'data-testid="transition-walked_away"' in page
    assert 'data-testid="transition-closed"' not in page
    assert "Status changed from Draft to Qualified" in page


def test_an_account_created_through_the_form_is_saved_with_an_event(client, sales, team):
    client.force_login(sales)

    response = client.post(reverse("web:account_create"), {
        "team": team.pk, "name": "Shanghai Metro", "country": "CN", "industry": "Transport",
        "size": "enterprise", "currency": "CNY", "website": "", "notes": "",
    })

    account = Account.objects.get(name="Shanghai Metro")
    assert response.status_code == 302
    assert response["Location"] == reverse("web:account_detail", args=[account.pk])
    assert (account.team, account.country, account.currency) == (team, "CN", "CNY")
    assert Event.objects.filter(verb="account.created", target_id=str(account.pk),
                                actor=sales).count() == 1


def _opportunity_data(account, owner, **changes):
    data = {
        "account": account.pk, "name": "Tunnel lighting", "amount": "120000.00",
        "currency": "EUR", "exchange_rate": "", "expected_close_date": "2031-06-30",
        "stage": "qualification", "owner": owner.pk, "source": "tender", "description": "",
        "competitors-TOTAL_FORMS": "2", "competitors-INITIAL_FORMS": "0",
        "competitors-MIN_NUM_FORMS": "0", "competitors-MAX_NUM_FORMS": "30",
        "competitors-0-name": "Signify", "competitors-0-position": "behind",
        "competitors-1-name": "", "competitors-1-position": "unknown",
    }
    data.update(changes)
    return data


def test_an_opportunity_created_through_the_form_keeps_its_competitors(client, sales, account):
    client.force_login(sales)

    response = client.post(reverse("web:opportunity_create"), _opportunity_data(account, sales))

    opportunity = Opportunity.objects.get(name="Tunnel lighting")
    assert response.status_code == 302
    assert response["Location"] == reverse("web:opportunity_detail", args=[opportunity.pk])
    assert opportunity.amount == Decimal("120000.00")
    assert opportunity.expected_close_date == datetime.date(2031, 6, 30)
    assert [(c.name, c.position) for c in opportunity.competitors.all()] == [("Signify", "behind")]
    assert Event.objects.filter(verb="opportunity.created", target_id=str(opportunity.pk)).count() == 1


def test_a_form_with_bad_input_shows_the_errors_next_to_the_fields_and_creates_nothing(
        client, sales, account):
    client.force_login(sales)

    response = client.post(reverse("web:opportunity_create"),
                           _opportunity_data(account, sales, amount="", currency="XXY"))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_amount_errors">This field is required.</div>' in page
    assert 'id="id_currency_errors">Select a valid choice. XXY is not one of the available choices.' in page
    assert 'class="form-control is-invalid" aria-invalid="true" aria-describedby="id_amount_errors"' in page
    assert 'value="Tunnel lighting"' in page
    assert not Opportunity.objects.exists()
    assert not Event.objects.exists()


def test_a_service_refusal_is_shown_under_the_field_it_names(client, sales, account):
    """No USD→EUR rate is recorded: the service names the exchange-rate field."""
    client.force_login(sales)

    response = client.post(reverse("web:opportunity_create"),
                           _opportunity_data(account, sales, currency="USD"))

    page = response.content.decode()
    assert response.status_code == 200
    assert ('id="id_exchange_rate_errors">No exchange rate from USD to EUR is recorded: '
            "enter the rate.</div>") in page
    assert not Opportunity.objects.exists()


def test_an_engineer_may_not_create_an_account_and_sees_why(client, engineer, team):
    client.force_login(engineer)

    response = client.post(reverse("web:account_create"), {
        "team": team.pk, "name": "Shanghai Metro", "currency": "CNY"})

    assert response.status_code == 403
    assert "You do not have permission to do this." in response.content.decode()
    assert not Account.objects.filter(name="Shanghai Metro").exists()


def test_a_poc_created_from_its_opportunity_page_is_saved_with_an_event(client, engineer,
                                                                         opportunity):
    client.force_login(engineer)
    form_page = client.get(reverse("web:poc_create") + f"?opportunity={opportunity.pk}")

    response = client.post(reverse("web:poc_create") + f"?opportunity={opportunity.pk}", {
        "opportunity": opportunity.pk, "title": "Dimming test", "objective": "Prove 30 % savings",
        "poc_type": "lab_test", "owner": engineer.pk, "language": "fr",
        "start_date": "2031-01-05", "end_date": "2031-02-05",
    })

    poc = POC.objects.get(title="Dimming test")
    assert form_page.status_code == 200
    assert f'<option value="{opportunity.pk}" selected>' in form_page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == reverse("web:poc_detail", args=[poc.pk])
    assert (poc.opportunity, poc.owner, poc.language, poc.status) == (opportunity, engineer, "fr",
                                                                      "draft")
    assert Event.objects.filter(verb="poc.created", poc=poc, actor=engineer).count() == 1


def test_a_poc_whose_end_is_before_its_start_is_refused_and_not_created(client, engineer,
                                                                         opportunity):
    client.force_login(engineer)

    response = client.post(reverse("web:poc_create"), {
        "opportunity": opportunity.pk, "title": "Backwards", "objective": "Nothing",
        "poc_type": "lab_test", "owner": engineer.pk, "language": "en",
        "start_date": "2031-02-05", "end_date": "2031-01-05",
    })

    assert response.status_code == 200
    assert "The end date must not be before the start date." in response.content.decode()
    assert not POC.objects.filter(title="Backwards").exists()


def test_editing_a_poc_writes_the_change_and_an_event(client, engineer, poc):
    client.force_login(engineer)

    response = client.post(reverse("web:poc_edit", args=[poc.pk]), {
        "title": "Luminaires on the BMS, phase 2", "objective": poc.objective,
        "poc_type": poc.poc_type, "owner": engineer.pk, "language": "en",
        "start_date": "", "end_date": "",
    })

    poc.refresh_from_db()
    assert response.status_code == 302
    assert poc.title == "Luminaires on the BMS, phase 2"
    assert Event.objects.get(poc=poc, verb="poc.changed").data["changes"] == {
        "title": ["Luminaires on the BMS", "Luminaires on the BMS, phase 2"]}


def test_moving_an_opportunitys_close_date_records_the_push_and_its_reason(client, sales,
                                                                         opportunity):
    client.force_login(sales)
    old_date = opportunity.expected_close_date
    data = _opportunity_data(opportunity.account, sales, expected_close_date="2032-01-31",
                             close_date_reason="Budget frozen until Q1", name=opportunity.name)
    del data["account"]

    response = client.post(reverse("web:opportunity_edit", args=[opportunity.pk]), data)
    detail = client.get(reverse("web:opportunity_detail", args=[opportunity.pk])).content.decode()

    push = opportunity.close_date_pushes.get()
    assert response.status_code == 302
    assert (push.from_date, push.to_date, push.reason) == (old_date, datetime.date(2032, 1, 31),
                                                           "Budget frozen until Q1")
    assert "“Budget frozen until Q1”" in detail
    assert "Signify" in detail


def test_walking_away_without_a_reason_is_refused_and_changes_nothing(client, engineer, poc):
    client.force_login(engineer)

    response = client.post(reverse("web:poc_transition", args=[poc.pk]),
                           {"to": "walked_away", "reason": ""})

    page = response.content.decode()
    assert response.status_code == 409
    assert 'data-testid="transition-refused"' in page
    assert "The POC cannot move to “Walked away” yet:" in page
    assert "<li>Say why you walk away from this POC.</li>" in page
    assert POC.objects.get(pk=poc.pk).status == "draft"
    assert not Event.objects.filter(poc=poc).exists()


def test_a_transition_with_its_reason_moves_the_poc(client, engineer, poc):
    client.force_login(engineer)

    response = client.post(reverse("web:poc_transition", args=[poc.pk]),
                           {"to": "walked_away", "reason": "No budget"}, follow=True)

    assert response.status_code == 200
    assert POC.objects.get(pk=poc.pk).status == "walked_away"
    assert "The POC is now “Walked away”." in response.content.decode()
    assert Event.objects.get(poc=poc, verb="poc.transitioned").data["reason"] == "No budget"


def test_a_sales_rep_cannot_move_a_poc(client, sales, poc):
    client.force_login(sales)

    response = client.post(reverse("web:poc_transition", args=[poc.pk]),
                           {"to": "qualified", "reason": ""})

    assert response.status_code == 403
    assert POC.objects.get(pk=poc.pk).status == "draft"


def test_the_language_switch_is_remembered_in_the_profile(client, engineer, poc):
    client.force_login(engineer)

    response = client.post(reverse("web:set_language"),
                           {"language": "zh-hans", "next": reverse("web:poc_list")})
    page = client.get(reverse("web:poc_list")).content.decode()

    assert response.status_code == 302
    assert response["Location"] == reverse("web:poc_list")
    assert Profile.objects.get(user=engineer).language == "zh-hans"
    assert '<html lang="zh-hans">' in page
    assert "退出登录" in page  # "Log out"


def test_the_language_switch_works_on_the_login_page_for_anonymous_users(client, db):
    response = client.post(reverse("web:set_language"),
                           {"language": "fr", "next": reverse("login")}, follow=True)

    page = response.content.decode()
    assert response.redirect_chain == [(reverse("login"), 302)]
    assert '<html lang="fr">' in page
    assert "Mot de passe" in page  # Django's own translation of the password field


def test_the_language_switch_refuses_to_redirect_elsewhere(client, engineer):
    client.force_login(engineer)

    response = client.post(reverse("web:set_language"),
                           {"language": "fr", "next": "https://evil.example.com/"})

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_the_login_form_signs_in_and_lands_on_the_home_page(client, engineer):
    engineer.set_password("a long password")
    engineer.save()

    response = client.post(reverse("login"),
                           {"username": "engineer", "password": "a long password"}, follow=True)

    assert response.redirect_chain == [(reverse("web:home"), 302)]
    assert "Hello, Engineer" in response.content.decode()


def test_repeated_login_failures_show_the_translated_lockout_page(client, engineer, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _attempt in range(2):
        client.post(reverse("login"), {"username": "engineer", "password": "wrong"})

    response = client.post(reverse("login"), {"username": "engineer", "password": "wrong"})

    page = response.content.decode()
    assert response.status_code == 429
    assert "Account locked" in page
    assert "Signing in failed 2 times in a row" in page
    assert "Try again in 1\xa0hour" in page


def test_the_password_reset_flow_sends_a_link_that_opens_the_new_password_form(client, engineer):
    response = client.post(reverse("password_reset"), {"email": "engineer@example.com"},
                           follow=True)

    assert "Check your e-mail" in response.content.decode()
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    confirm = client.get(link.split("testserver", 1)[1], follow=True)
    assert "Choose a new password" in confirm.content.decode()
    assert 'name="new_password1"' in confirm.content.decode()


def test_the_logout_button_signs_out(client, engineer):
    client.force_login(engineer)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert client.get(reverse("web:home")).status_code == 302


def test_an_unknown_address_renders_the_translated_404_page(client, engineer):
    client.force_login(engineer)

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "This page does not exist" in response.content.decode()


def test_the_500_page_renders_without_the_database(rf):
    """No `db` fixture: any query would raise."""
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))

    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_the_admin_works_for_staff(client, admin_user, poc):
    client.force_login(admin_user)

    index = client.get(reverse("admin:index"))
    pocs = client.get(reverse("admin:pocs_poc_changelist"))

    assert (index.status_code, pocs.status_code) == (200, 200)
    assert "Luminaires on the BMS" in pocs.content.decode()


def test_a_stale_form_gets_a_friendly_csrf_page(engineer, poc):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(engineer)

    response = client.post(reverse("web:poc_transition", args=[poc.pk]), {"to": "qualified"})

    assert response.status_code == 403
    assert "This form was opened too long ago" in response.content.decode()
    assert POC.objects.get(pk=poc.pk).status == "draft"


def test_buttons_that_would_be_refused_are_not_offered(client, engineer, sales, account):
    client.force_login(engineer)
    engineer_page = client.get(reverse("web:account_list")).content.decode()
    client.force_login(sales)
    sales_page = client.get(reverse("web:account_list")).content.decode()

    new_account = f'href="{reverse("web:account_create")}"'
    assert new_account not in engineer_page
    assert new_account in sales_page
