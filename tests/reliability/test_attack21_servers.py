"""Issue 21's caches and rewritten writes across real servers: an edit made anywhere
shows on every worker's next view, and concurrent ratings lose nothing."""

from __future__ import annotations

import itertools
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.management import call_command

from flashcards.models import Card, CardState, ReviewLog
from harness.servers import gunicorn, post, session_for
from notes.models import Note, StudySet

# Slow: starts real gunicorn servers.
pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
HTMX = {"HX-Request": "true", "HX-Target": "flashcard-area"}


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.status == 200
        return response.read().decode()


def every_worker(url: str, times: int = 8) -> list[str]:
    """Enough views (in parallel) that both workers serve some, warm or not."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(get, [url] * times))


def test_an_edit_shows_on_every_worker():
    call_command("loaddata", "da-mo-xing", verbosity=0)
    other = StudySet.objects.create(slug="other-set", title="另一个学习集")
    with gunicorn(workers=2) as (server, _):
        notes = f"{server}/sets/da-mo-xing/notes/"
        assert all('<h2 id="概念">' in page for page in every_worker(notes))
        assert all("另一个学习集" in page for page in every_worker(f"{server}/"))
        note = Note.objects.get(study_set__slug="da-mo-xing", title="概念")
        note.body += "- 另一进程里改写的要点\n"
        note.save()
        assert all("另一进程里改写的要点" in page for page in every_worker(notes))
        note.study_set = other
        note.save()
        assert not any('<h2 id="概念">' in page for page in every_worker(notes))
        StudySet.objects.filter(pk=other.pk).update(title="改名后的学习集")
        assert all("改名后的学习集" in page for page in every_worker(f"{server}/"))


def test_concurrent_ratings_over_two_servers_lose_nothing(django_user_model):
    """Each card rated from two tabs at once (two review ids) and every rating sent
    twice, once to each server (a double click across the cluster): every review
    id logged once, and each card's memory counts both of its reviews."""
    call_command("loaddata", "da-mo-xing", verbosity=0)
    learner = django_user_model.objects.create_user("rater", password="x")
    session = session_for(learner)
    cards = list(Card.objects.published().filter(study_set__slug="da-mo-xing"))
    with gunicorn(workers=2) as (first, _), gunicorn(workers=2) as (second, _):
        servers = itertools.cycle([first, second])
        jobs = []
        for card in cards:
            url = f"/sets/da-mo-xing/flashcards/{card.pk}/review/"
            for rating in ("3", "1"):  # two tabs
                data = {"rating": rating, "review_id": str(uuid.uuid4())}
                jobs += [(next(servers) + url, session, data) for _ in range(2)]
        with ThreadPoolExecutor(max_workers=16) as pool:
            results = list(pool.map(lambda job: post(*job, headers=HTMX), jobs))
    statuses = [status for status, _ in results]
    assert statuses.count(200) == len(jobs), sorted(set(statuses))
    assert ReviewLog.objects.filter(user=learner).count() == 2 * len(cards)
    states = CardState.objects.filter(user=learner)
    assert states.count() == len(cards)
    assert sorted({state.reps for state in states}) == [2]
