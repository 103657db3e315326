"""Production settings pass Django's deployment checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


# Slow: each test starts `manage.py check --deploy` in a fresh Python process.
pytestmark = pytest.mark.slow


def production_env() -> dict:
    """The test run's environment without what only tests set (async-unsafe ORM)."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env["DJANGO_HTTPS"] = "1"
    return env


def deploy_check(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_https_settings():
    env = {
        **production_env(),
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "q8#Lm2@vZ9!rT4&wX7^bN1*cK6(pS3)yD5_hG0+jF-aE=uR%iO",
        "DJANGO_ALLOWED_HOSTS": "study.example.org",
    }
    result = deploy_check(env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_without_a_key_set_the_install_key_passes_the_deploy_check():
    """No key in the code to fall back on: the one made for this install is random."""
    env = {**production_env(), "DJANGO_DEBUG": "0", "DJANGO_ALLOWED_HOSTS": "study.example.org"}
    env.pop("DJANGO_SECRET_KEY", None)
    result = deploy_check(env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_postgresql_keeps_the_url_options_and_adds_the_lock_timeout():
    env = {
        **production_env(),
        "DATABASE_URL": "postgres://u:p@db.example.org:5432/study?sslmode=require",
    }
    code = "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "studysite.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "'sslmode': 'require'" in result.stdout
    assert "-c lock_timeout=5s" in result.stdout
