"""Preferences moved from `studysite` to `learners` without losing a row."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("studysite", "0004_labels_full_width_punctuation"), ("learners", None)]
AFTER = [("studysite", "0005_preferences_moved_to_learners"), ("learners", "0002_rename_table")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    # The models as the applied migrations left them (every other app at its latest).
    return MigrationExecutor(connection)._create_project_state(with_applied_migrations=True).apps


@pytest.mark.django_db(transaction=True)
def test_a_learners_preferences_survive_the_move():
    old = migrate(BEFORE)
    user = old.get_model("auth", "User").objects.create(username="moved")
    old.get_model("studysite", "Preferences").objects.create(
        user_id=user.pk, quiz_length=12, quiz_order="random", new_cards_per_day=7
    )
    ContentType = old.get_model("contenttypes", "ContentType")
    ContentType.objects.get_or_create(app_label="studysite", model="preferences")

    new = migrate(AFTER)

    moved = new.get_model("learners", "Preferences").objects.get(user_id=user.pk)
    assert (moved.quiz_length, moved.quiz_order, moved.new_cards_per_day) == (12, "random", 7)
    tables = connection.introspection.table_names()
    assert "learners_preferences" in tables
    assert "studysite_preferences" not in tables
    labels = set(
        ContentType.objects.filter(model="preferences").values_list("app_label", flat=True)
    )
    assert labels == {"learners"}  # its permissions and admin history follow it


@pytest.mark.django_db
def test_a_fresh_database_has_one_preferences_table():
    tables = connection.introspection.table_names()
    assert [table for table in tables if table.endswith("_preferences")] == ["learners_preferences"]
