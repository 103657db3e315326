"""No deployment runs on a key written in the code."""

from __future__ import annotations

import re
import stat
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from studysite.keys import MIN_LENGTH, secret_key

ROOT = Path(__file__).resolve().parents[2]


def test_the_environment_wins(tmp_path):
    assert secret_key({"DJANGO_SECRET_KEY": "from-the-env"}, tmp_path / "key") == "from-the-env"
    assert not (tmp_path / "key").exists()


def test_without_one_a_random_key_is_made_once_and_kept_private(tmp_path):
    path = tmp_path / "key"
    first = secret_key({}, path)
    assert len(first) >= MIN_LENGTH
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert secret_key({}, path) == first
    assert secret_key({}, tmp_path / "other") != first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["key", "other"]  # no leftovers


def test_workers_starting_together_agree_on_one_key(tmp_path):
    path = tmp_path / "key"
    with ProcessPoolExecutor(max_workers=8) as pool:
        keys = set(pool.map(secret_key, [{}] * 16, [path] * 16))
    assert keys == {path.read_text()}


def test_a_spoilt_key_file_is_a_clear_error(tmp_path):
    path = tmp_path / "key"
    path.write_text("short")
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY"):
        secret_key({}, path)


def test_an_unwritable_folder_is_a_clear_error(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY"):
        secret_key({}, tmp_path / "missing-folder" / "key")


def test_no_key_is_written_in_the_code():
    settings_source = (ROOT / "studysite" / "settings.py").read_text()
    assert re.search(r"SECRET_KEY\s*=\s*secret_key\(os\.environ", settings_source)
    assert not re.search(r"SECRET_KEY.*[\"']\w{20,}", settings_source)


@pytest.mark.slow  # starts Django in a fresh Python process
def test_production_settings_use_the_install_key(tmp_path):
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "studysite.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip() == (ROOT / "var" / "secret_key").read_text().strip()


def test_a_key_file_others_can_read_is_refused(tmp_path):
    path = tmp_path / "key"
    secret_key({}, path)
    path.chmod(0o644)
    with pytest.raises(ImproperlyConfigured, match="chmod 600"):
        secret_key({}, path)


def test_a_key_of_one_repeated_character_is_refused(tmp_path):
    path = tmp_path / "key"
    path.write_text("x" * 60)
    path.chmod(0o600)
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY"):
        secret_key({}, path)
