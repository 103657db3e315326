"""export_studyset --output: a clean CommandError for a bad path, no silent overwrite."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def export(path, *extra):
    call_command("export_studyset", "da-mo-xing", "--format", "csv", "--output", str(path), *extra)


def test_into_a_missing_folder(da_mo_xing, tmp_path):
    with pytest.raises(CommandError, match="不存在"):
        export(tmp_path / "missing" / "set.csv")
    assert not (tmp_path / "missing").exists()


def test_onto_a_folder(da_mo_xing, tmp_path):
    with pytest.raises(CommandError, match="是文件夹"):
        export(tmp_path)


def test_an_existing_file_is_kept_without_force(da_mo_xing, tmp_path):
    path = tmp_path / "set.csv"
    path.write_text("我的文件")
    with pytest.raises(CommandError, match="--force"):
        export(path)
    assert path.read_text() == "我的文件"
    export(path, "--force")
    assert "模型压缩" in path.read_text()


@pytest.mark.slow  # a subprocess
def test_the_command_line_shows_no_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "export_studyset", "nope", "--format", "csv"]
        + ["--output", str(tmp_path / "missing" / "x.csv")],
        cwd=ROOT,
        # The path is checked before the database is opened; an empty one proves it.
        env={**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "文件夹" in result.stderr
    assert "不存在" in result.stderr


def test_a_dangling_link_is_not_followed_without_force(da_mo_xing, tmp_path):
    target, link = tmp_path / "target.csv", tmp_path / "link.csv"
    link.symlink_to(target)
    with pytest.raises(CommandError, match="--force"):
        export(link)
    assert not target.exists()
