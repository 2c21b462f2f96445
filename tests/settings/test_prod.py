"""Production settings refuse development defaults; a correct configuration passes check --deploy."""

import os
import subprocess
import sys

import pytest

STRONG_KEY = "k" * 20 + "-production-secret-0123456789-abcdefghijklmnop"


def pocdesk(*arguments, tmp_path, **environment):
    env = {key: value for key, value in os.environ.items()
           if key not in {"SECRET_KEY", "DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update({"DJANGO_SETTINGS_MODULE": "pocdesk.settings.prod",
                "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
                "POCDESK_VAR_DIR": str(tmp_path)})
    env.update(environment)
    return subprocess.run([sys.executable, "-m", "pocdesk.cli", *arguments], env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def test_prod_refuses_the_default_secret_key(tmp_path):
    result = pocdesk("check", tmp_path=tmp_path)

    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_prod_refuses_debug(tmp_path):
    result = pocdesk("check", tmp_path=tmp_path, SECRET_KEY=STRONG_KEY, DEBUG="1")

    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_prod_passes_the_deployment_checklist(tmp_path):
    result = pocdesk("check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path,
                     SECRET_KEY=STRONG_KEY)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("password", ["demo", "a-real-password-9f3k"])
def test_prod_refuses_demo_accounts_with_the_demo_password(tmp_path, password):
    assert pocdesk("migrate", "-v0", tmp_path=tmp_path, SECRET_KEY=STRONG_KEY).returncode == 0
    create = (
        "from django.contrib.auth import get_user_model; "
        f"get_user_model().objects.create_user('manager', password='{password}')"
    )
    assert pocdesk("shell", "-c", create, tmp_path=tmp_path, SECRET_KEY=STRONG_KEY).returncode == 0

    result = pocdesk("check", "--deploy", "--database", "default", tmp_path=tmp_path,
                     SECRET_KEY=STRONG_KEY)

    if password == "demo":
        assert result.returncode != 0
        assert "pocdesk.E001" in result.stderr
    else:
        assert result.returncode == 0, result.stderr
