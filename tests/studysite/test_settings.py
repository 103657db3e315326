"""SQLite is configured for several workers, and production static files build."""

from __future__ import annotations

import re
import sqlite3

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.backends.sqlite3.base import DatabaseWrapper

from studysite.storage import StaticStorage

sqlite_only = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="SQLite tuning; this run uses DATABASE_URL's database",
)


@pytest.fixture
def file_connection(tmp_path, django_db_blocker):
    """A connection built from the project's settings, on a real file (WAL needs one)."""
    config = {**settings.DATABASES["default"], "NAME": str(tmp_path / "db.sqlite3")}
    wrapper = DatabaseWrapper(config, alias="pragma-check")
    with django_db_blocker.unblock():
        yield wrapper
        wrapper.close()


def pragma(wrapper: DatabaseWrapper, name: str):
    with wrapper.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        return cursor.fetchone()[0]


@sqlite_only
def test_default_database_is_sqlite_under_var():
    db = settings.DATABASES["default"]
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert settings.VAR_DIR.name == "var"
    assert not db.get("ATOMIC_REQUESTS")


@sqlite_only
def test_live_connection_uses_wal_busy_timeout_and_foreign_keys(file_connection):
    assert pragma(file_connection, "journal_mode") == "wal"
    assert pragma(file_connection, "busy_timeout") == settings.DATABASE_LOCK_TIMEOUT * 1000 == 5000
    assert pragma(file_connection, "foreign_keys") == 1
    assert pragma(file_connection, "synchronous") == 1  # NORMAL


@sqlite_only
def test_transactions_take_the_write_lock_at_begin(file_connection, tmp_path):
    """IMMEDIATE: an open transaction blocks other writers before it writes anything."""
    with file_connection.cursor() as cursor:
        cursor.execute("CREATE TABLE t (x INTEGER)")
    other = sqlite3.connect(tmp_path / "db.sqlite3", timeout=0, isolation_level=None)
    try:
        # What transaction.atomic() does on entry, on a connection outside `connections`.
        file_connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        file_connection.rollback()
        file_connection.set_autocommit(True)
        other.execute("BEGIN IMMEDIATE")  # free again once the transaction ends
        other.execute("ROLLBACK")
    finally:
        other.close()


def test_connections_persist_with_health_checks():
    db = settings.DATABASES["default"]
    assert db["CONN_MAX_AGE"] == 600
    assert db["CONN_HEALTH_CHECKS"] is True


def test_production_static_files_build_with_the_manifest(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "studysite.storage.StaticStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    assert (tmp_path / "static" / "staticfiles.json").exists()
    assert list((tmp_path / "static" / "css").glob("site.*.css.gz"))
    # Each name's hashed URL is worked out once per process: the manifest is fixed.
    storage = StaticStorage(location=tmp_path / "static")
    url = storage.url("css/site.css")
    assert re.fullmatch(r"/static/css/site\.[0-9a-f]{12}\.css", url), url
    storage.hashed_files.clear()
    assert storage.url("css/site.css") == url
