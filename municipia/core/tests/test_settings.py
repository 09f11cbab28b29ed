"""The web server refuses to start without a secret key; commands and the demo do not need one."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def _run(code: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "MUNICIPIA_TESTING"}}
    clean.update(env, PYTHONPATH=str(REPO), DJANGO_SETTINGS_MODULE="municipia.settings")
    return subprocess.run([sys.executable, "-c", code], env=clean, capture_output=True, text=True, cwd=REPO)


def test_wsgi_without_secret_key_refuses_to_start():
    result = _run("import municipia.wsgi")
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_wsgi_with_secret_key_starts():
    result = _run("import municipia.wsgi", SECRET_KEY="a-real-secret-for-this-test")
    assert result.returncode == 0, result.stderr


def test_management_commands_run_without_a_key():
    result = _run("import django; django.setup(); from django.conf import settings; print(bool(settings.SECRET_KEY))")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_check_deploy_is_clean_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={
            **{k: v for k, v in os.environ.items() if k not in {"DEBUG", "MUNICIPIA_TESTING"}},
            "SECRET_KEY": secrets.token_urlsafe(60),
            "ALLOWED_HOSTS": "municipia.example.org",
            "HTTPS": "1",
            "DJANGO_SETTINGS_MODULE": "municipia.settings",
        },
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_redirect_to_https_and_send_hsts():
    result = _run(
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0, s.SESSION_COOKIE_SECURE)",
        SECRET_KEY="a-real-secret-for-this-test",
        HTTPS="1",
    )
    assert result.stdout.split() == ["True", "True", "True"], result.stderr
