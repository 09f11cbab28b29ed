"""The web server refuses to start without a secret key; commands and the demo do not need one."""

import os
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
