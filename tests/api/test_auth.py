"""Who may call the API: tokens, the browser session with CSRF, throttling, and the language."""

import pytest
from django.test import Client
from django.utils import translation

from pocdesk.core.models import Event
from pocdesk.people.models import ApiToken
from pocdesk.people.services import api_token_create
from pocdesk.pocs.models import POC

from .conftest import PREFIX, ApiClient


def test_a_token_records_when_it_was_last_used(poc, engineer):
    token, key = api_token_create(actor=engineer, user=engineer)

    response = ApiClient(key).get("/pocs")

    assert response.status_code == 200
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None


def test_the_browser_session_reads_without_a_token(poc, engineer):
    client = Client()
    client.force_login(engineer)

    response = client.get(f"{PREFIX}/pocs/{poc.pk}")

    assert response.status_code == 200
    assert response.json()["id"] == poc.pk


def test_a_session_write_needs_the_csrf_token(poc, engineer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(engineer)
    url = f"{PREFIX}/pocs/{poc.pk}"

    refused = client.patch(url, '{"title": "Forged"}', content_type="application/json")
    client.get("/api/v1/docs")  # any page: sets the CSRF cookie
    csrf_token = client.cookies["csrftoken"].value
    accepted = client.patch(url, '{"title": "Genuine"}', content_type="application/json",
                            headers={"X-CSRFToken": csrf_token})

    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf_failed"
    assert accepted.status_code == 200
    assert POC.objects.get(pk=poc.pk).title == "Genuine"
    assert Event.objects.filter(poc=poc, verb="poc.changed").count() == 1


def test_a_token_write_needs_no_csrf_token(poc, engineer):
    _token, key = api_token_create(actor=engineer, user=engineer)
    client = ApiClient(key, enforce_csrf_checks=True)

    response = client.patch(f"/pocs/{poc.pk}", {"title": "From a script"})

    assert response.status_code == 200


def test_a_stranger_writing_gets_401_not_a_csrf_error(poc):
    client = ApiClient(enforce_csrf_checks=True)

    response = client.patch(f"/pocs/{poc.pk}", {"title": "Forged"})

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_requests_over_the_rate_are_throttled(poc, engineer, api_as, settings):
    settings.POCDESK_API_THROTTLE = "2/m"
    api = api_as(engineer)

    statuses = [api.get("/pocs").status_code for _ in range(3)]
    throttled = api.get(f"/pocs/{poc.pk}")

    assert statuses == [200, 200, 429]
    assert throttled.status_code == 429
    assert throttled.json()["code"] == "throttled"
    assert 1 <= int(throttled["Retry-After"]) <= 60
    assert throttled.json()["details"]["retry_after"] == int(throttled["Retry-After"])


def test_guessing_tokens_is_throttled_too(poc, settings):
    settings.POCDESK_API_THROTTLE = "2/m"

    statuses = [ApiClient(f"pd_guess-{attempt}").get("/pocs").status_code for attempt in range(3)]

    assert statuses == [401, 401, 429]


def test_one_user_throttled_does_not_throttle_another(poc, engineer, manager, api_as, settings):
    settings.POCDESK_API_THROTTLE = "1/m"
    engineer_api, manager_api = api_as(engineer), api_as(manager)

    statuses = [engineer_api.get("/pocs").status_code, engineer_api.get("/pocs").status_code,
                manager_api.get("/pocs").status_code]

    assert statuses == [200, 429, 200]


@pytest.mark.parametrize("language", ["fr", "zh-hans", "en"])
def test_errors_speak_the_accept_language(opportunity, engineer, api_as, language):
    with translation.override(language):
        required = translation.gettext("This field is required.")

    response = api_as(engineer).post("/pocs", {"opportunity": opportunity.pk, "objective": "O"},
                                     **{"Accept-Language": language})

    assert response.status_code == 422
    assert response.json()["details"]["fields"] == {"title": [required]}
    assert (required == "This field is required.") == (language == "en")


def test_without_accept_language_errors_speak_the_profile_language(opportunity, engineer,
                                                                    api_as):
    engineer.profile.language = "fr"
    engineer.profile.save()

    response = api_as(engineer).post("/pocs", {"opportunity": opportunity.pk, "objective": "O"})

    with translation.override("fr"):
        required = translation.gettext("This field is required.")
    assert response.json()["details"]["fields"] == {"title": [required]}
    assert required != "This field is required."
