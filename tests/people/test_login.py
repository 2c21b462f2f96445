"""Signing in through the login form, and django-axes locking out a brute force."""

from django.core import mail
from django.urls import reverse


def test_a_member_signs_in_with_the_form(client, engineer):
    response = client.post(reverse("login"), {"username": "engineer", "password": "pw-for-tests"})

    assert response.status_code == 302
    assert client.get(reverse("web:home")).status_code == 200


def test_repeated_wrong_passwords_lock_the_account(client, engineer, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "engineer", "password": "wrong"})

    locked = client.post(reverse("login"), {"username": "engineer", "password": "pw-for-tests"})

    assert locked.status_code == 429
    assert client.get(reverse("web:home")).status_code == 302


def test_password_reset_sends_a_link(client, engineer):
    response = client.post(reverse("password_reset"), {"email": "engineer@example.com"})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body
