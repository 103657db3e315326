"""`pytest -m "not slow"` is the quick loop: it leaves out every test that holds real
locks, starts servers, sleeps, renders real audio, scales the generator or drives
Chromium, and keeps the rest (issue 20 §6)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from whitenoise.middleware import WhiteNoiseMiddleware

from flashcards.models import Card
from notes.models import Note, StudySet
from quizzes.models import Choice, Question
from tests.factories import load_da_mo_xing

ROOT = Path(__file__).resolve().parents[1]
SLOW = [
    "tests/browser/test_home.py",
    "tests/studysite/test_busy_database.py",
    "tests/reliability/test_scale_out.py",
    "tests/podcasts/test_speech_episode.py",
    "tests/podcasts/test_speech_hostile.py",
    "tests/generator/test_scaling.py",
]
QUICK = ["tests/quizzes/test_grading.py"]


def collected(*args: str) -> tuple[list[str], str]:
    """Node ids pytest would run with these arguments (collection only, no tests run),
    and its summary line."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode in (0, 5), result.stdout + result.stderr  # 5: nothing collected
    lines = result.stdout.splitlines()
    return [line for line in lines if "::" in line], lines[-1]


@pytest.mark.slow  # pytest in a subprocess
def test_not_slow_leaves_out_every_test_of_the_slow_files_and_keeps_the_quick_ones():
    kept, summary = collected("-m", "not slow", *SLOW, *QUICK)
    assert kept
    assert {node.split("::")[0] for node in kept} == set(QUICK)
    deselected = int(re.search(r"\((\d+) deselected\)", summary).group(1))
    assert deselected >= 5 * len(SLOW)


def test_each_test_clients_middleware_does_not_scan_the_collected_static_files():
    """WhiteNoise reads every file in STATIC_ROOT when a handler starts, and each
    test's client starts one: in tests it looks files up per request instead."""
    middleware = WhiteNoiseMiddleware(get_response=lambda request: None)
    assert middleware.files == {}
    assert middleware.autorefresh


@pytest.mark.django_db
def test_the_da_mo_xing_set_is_stored_in_a_few_queries(django_assert_max_num_queries):
    # One INSERT per model, plus the set's content_version renewed per kind of
    # content, plus (PostgreSQL only) one sequence reset per model.
    models = 5
    resets = models if connection.vendor == "postgresql" else 0
    with django_assert_max_num_queries(9 + resets):
        load_da_mo_xing()


@pytest.mark.django_db
def test_the_quick_da_mo_xing_rows_are_exactly_what_loaddata_stores():
    models = [StudySet, Note, Question, Choice, Card]

    def rows():
        # content_version is no content: a marker that every write renews (the notes page cache).
        return {
            model.__name__: list(
                model.objects.order_by("pk").values(
                    *(f.attname for f in model._meta.concrete_fields if f.name != "content_version")
                )
            )
            for model in models
        }

    load_da_mo_xing()
    quick = rows()
    StudySet.objects.all().delete()
    call_command("loaddata", "da-mo-xing", verbosity=0)
    assert rows() == quick
    assert len(quick["Choice"]) == 60
