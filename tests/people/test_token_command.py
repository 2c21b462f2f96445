"""`pocdesk token create|revoke|list`."""

import io
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pocdesk.people.models import ApiToken
from pocdesk.people.services import api_token_authenticate


def run(*args) -> tuple[str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("token", *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def test_create_prints_only_a_token_that_authenticates(engineer):
    stdout, stderr = run("create", "engineer", "--name", "CI")

    key = stdout.strip()
    assert stdout == key + "\n"
    assert key.startswith("pd_")
    assert api_token_authenticate(key=key) == engineer
    token = ApiToken.objects.get()
    assert (token.user, token.name, token.prefix) == (engineer, "CI", key[3:11])
    assert token.key_hash != key
    assert f"pd_{token.prefix}…" in stderr


def test_the_token_works_on_the_api(poc, engineer, client):
    key = run("create", "engineer")[0].strip()

    response = client.get(f"/api/v1/pocs/{poc.pk}", headers={"Authorization": f"Bearer {key}"})

    assert response.status_code == 200


@pytest.mark.parametrize("action", ["create", "list"])
def test_an_unknown_user_exits_with_code_2(db, action):
    with pytest.raises(CommandError) as refusal:
        run(action, "nobody")

    assert refusal.value.returncode == 2
    assert str(refusal.value) == "Unknown or inactive user “nobody”."
    assert ApiToken.objects.count() == 0


def test_revoke_stops_the_token(engineer):
    key = run("create", "engineer")[0].strip()
    prefix = key[:11]  # "pd_" and 8 characters, as listed

    stdout, _stderr = run("revoke", prefix)

    assert stdout == f"Token {prefix}… of engineer revoked.\n"
    assert api_token_authenticate(key=key) is None
    assert ApiToken.objects.get().revoked_at is not None


def test_revoke_also_takes_the_bare_prefix(engineer):
    key = "pd_Ab3dE7xQ-the-rest-of-the-key"
    ApiToken.objects.create(user=engineer, prefix="Ab3dE7xQ", key_hash=ApiToken.hash_key(key))

    run("revoke", "Ab3dE7xQ")

    assert api_token_authenticate(key=key) is None


def test_revoking_an_unknown_prefix_exits_with_code_2(db):
    with pytest.raises(CommandError) as refusal:
        run("revoke", "abcdefgh")

    assert refusal.value.returncode == 2


def test_list_shows_prefixes_and_states_never_keys(engineer):
    first = run("create", "engineer", "--name", "laptop")[0].strip()
    second = run("create", "engineer", "--name", "CI")[0].strip()
    run("revoke", first[:11])
    api_token_authenticate(key=second)

    lines = run("list", "engineer")[0].splitlines()

    assert len(lines) == 2
    assert [line.split("\t")[0] for line in lines] == [second[:11], first[:11]]
    assert lines[0].split("\t")[2].startswith("last used ")
    assert lines[0].split("\t")[3] == "CI"
    assert lines[1].split("\t")[2].startswith("revoked ")
    assert first not in "\n".join(lines) and second not in "\n".join(lines)


def test_the_console_script_prints_one_line_and_exits_2_for_an_unknown_user(tmp_path):
    """Through the real `pocdesk` entry point, on an empty database of its own."""
    environment = {"POCDESK_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "pocdesk.settings.test",
                   "PATH": "/usr/bin:/bin"}
    command = [sys.executable, "-m", "pocdesk.cli"]
    subprocess.run([*command, "migrate", "--noinput"], env=environment, check=True,
                   capture_output=True, timeout=120)

    result = subprocess.run([*command, "token", "create", "nobody"], env=environment,
                            capture_output=True, text=True, timeout=60)

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == ["CommandError: Unknown or inactive user “nobody”."]
