"""Another process holds the database's write lock: short waits succeed, long ones
get a 503 with Retry-After that says nothing was saved, and a retry stores once."""

from __future__ import annotations

import time
import uuid

import pytest
from django.conf import settings
from django.db import OperationalError

from flashcards.models import Card, ReviewLog
from harness.locks import write_lock
from harness.servers import database_url
from quizzes.models import Answer
from studysite.middleware import database_busy
from tests.quizzes.helpers import answer, current, start

# Slow: each test holds a real write lock for seconds.
pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
TIMEOUT = settings.DATABASE_LOCK_TIMEOUT


@pytest.fixture
def attempt(client, da_mo_xing, learner):
    client.force_login(learner)
    start(client)
    return current()


def test_a_short_lock_is_waited_out(client, attempt):
    item = attempt.item_list[0]
    with write_lock(database_url(), seconds=2):
        began = time.monotonic()
        response = answer(client, attempt, item)
        waited = time.monotonic() - began
    assert response.status_code == 200
    assert 0.5 < waited < TIMEOUT
    assert Answer.objects.filter(attempt=attempt).count() == 1


@pytest.mark.parametrize("htmx", [True, False])
def test_a_lock_longer_than_the_timeout_is_a_503_and_a_retry_stores_once(client, attempt, htmx):
    item = attempt.item_list[0]
    headers = {"HX-Request": "true", "HX-Target": "answer-result"} if htmx else {}
    with write_lock(database_url(), seconds=TIMEOUT + 3):
        began = time.monotonic()
        refused = answer(client, attempt, item, headers=headers)
        waited = time.monotonic() - began
    assert refused.status_code == 503
    assert refused["Retry-After"] == "3"
    assert "no-store" in refused["Cache-Control"]
    assert "未保存\uff0c请重试" in refused.content.decode()
    assert TIMEOUT - 0.5 < waited < TIMEOUT + 2
    assert not Answer.objects.filter(attempt=attempt).exists()

    retried = answer(client, attempt, item, headers=headers)
    assert retried.status_code == 200
    assert answer(client, attempt, item, headers=headers).status_code == 200  # a double click
    assert Answer.objects.filter(attempt=attempt).count() == 1


def test_a_rating_during_a_long_lock_is_a_503_and_is_not_logged(client, attempt):
    card = Card.objects.filter(study_set=attempt.study_set).first()
    data = {"rating": 3, "review_id": str(uuid.uuid4())}
    url = f"/sets/da-mo-xing/flashcards/{card.pk}/review/"
    with write_lock(database_url(), seconds=TIMEOUT + 3):
        refused = client.post(url, data, headers={"HX-Request": "true"})
    assert refused.status_code == 503
    assert not ReviewLog.objects.exists()
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert ReviewLog.objects.count() == 1


@pytest.mark.parametrize(
    ("message", "busy"),
    [
        ("database is locked", True),
        ("database table is locked", True),
        ("no such table: quizzes_answer", False),
        ("disk I/O error", False),
    ],
)
def test_only_lock_errors_count_as_busy(message, busy):
    assert database_busy(OperationalError(message)) is busy
    assert database_busy(ValueError("database is locked")) is False


class PostgresError(Exception):
    def __init__(self, sqlstate):
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("sqlstate", "busy"),
    [("55P03", True), ("40001", True), ("40P01", True), ("42P01", False), (None, False)],
)
def test_postgresql_lock_states_count_as_busy(sqlstate, busy):
    """psycopg's error, wrapped by Django: its SQLSTATE decides (lock timeout,
    serialization failure and deadlock yes; an undefined table no)."""
    error = OperationalError("canceling statement")
    error.__cause__ = PostgresError(sqlstate)
    assert database_busy(error) is busy


def test_busy_database_outside_a_view_is_a_503_too(rf):
    """handler500 sees the exception being handled: a lock error met on the way
    out (say, saving the session) is the same 503, anything else a 500."""
    from studysite.views import server_error

    request = rf.post("/sets/da-mo-xing/quiz/start/")
    try:
        raise OperationalError("database is locked")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    assert response["Retry-After"] == "3"
    try:
        raise ValueError("a bug")
    except ValueError:
        assert server_error(request).status_code == 500
