"""Test data builders: the make_* builders live in `harness.factories` (shared
with bench/); the 大模型 fixture loader is for tests only."""

from __future__ import annotations

import functools
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.db import connection
from django.db.models import Model

from harness.factories import (
    make_card,
    make_finished_attempt,
    make_note,
    make_question,
    make_study_set,
)
from notes.models import StudySet

__all__ = [
    "load_da_mo_xing",
    "make_card",
    "make_finished_attempt",
    "make_note",
    "make_question",
    "make_study_set",
]


@functools.cache
def _da_mo_xing_rows() -> tuple[tuple[type[Model], dict], ...]:
    """The 大模型 fixture's rows as `loaddata` reads them, parsed once per run."""
    path = Path(settings.BASE_DIR) / "fixtures" / "da-mo-xing.json"
    return tuple(
        (
            type(row.object),
            {f.attname: getattr(row.object, f.attname) for f in row.object._meta.concrete_fields},
        )
        for row in serializers.deserialize("json", path.read_text(encoding="utf-8"))
    )


def load_da_mo_xing() -> StudySet:
    """Store the 大模型 set as `loaddata da-mo-xing` does — raw rows, custom save()
    and signal handlers skipped (they ignore raw saves) — in one INSERT per model
    instead of two queries per row. tests/test_quick_loop.py checks the rows match."""
    by_model: dict[type[Model], list[Model]] = {}
    for model, values in _da_mo_xing_rows():
        by_model.setdefault(model, []).append(model(**values))
    for model, objects in by_model.items():
        model._default_manager.bulk_create(objects)
    # The rows keep the fixture's ids: as loaddata does, move PostgreSQL's sequences
    # past them, or the next row a test makes takes id 1 again (none on SQLite).
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(by_model)):
            cursor.execute(sql)
    return StudySet.objects.get(slug="da-mo-xing")
