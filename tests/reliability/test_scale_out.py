"""Two app servers, one database: every answer is stored exactly once."""

from __future__ import annotations

import itertools
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.management import call_command

from harness.servers import gunicorn, post, session_for
from quizzes.models import Answer, Attempt

# Slow: starts two real gunicorn servers.
pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
HTMX = {"HX-Request": "true", "HX-Target": "answer-result"}


def test_answers_spread_over_two_servers_are_stored_once(django_user_model):
    call_command("loaddata", "da-mo-xing", verbosity=0)
    learners = [django_user_model.objects.create_user(f"scale{n}", password="x") for n in range(8)]
    sessions = {user.pk: session_for(user) for user in learners}
    with gunicorn(workers=2) as (first, _), gunicorn(workers=2) as (second, _):
        servers = itertools.cycle([first, second])
        for user in learners:
            status, _body = post(
                f"{next(servers)}/sets/da-mo-xing/quiz/start/", sessions[user.pk], {"mode": "all"}
            )
            assert status == 302
        attempts = {a.user_id: a for a in Attempt.objects.filter(status="in_progress")}
        assert len(attempts) == len(learners)
        jobs = []
        for user in learners:
            attempt = attempts[user.pk]
            for item in attempt.item_list:
                tokens = [attempt.option_token(o.id) for o in item.options if o.correct]
                data = (
                    {"response": item.right_texts[0]} if item.is_fill_blank else {"choices": tokens}
                )
                url = f"/sets/da-mo-xing/quiz/{attempt.pk}/questions/{item.question_id}/answer/"
                # Every answer twice, once to each server: a double click across the cluster.
                jobs += [(server + url, sessions[user.pk], data) for server in (first, second)]
        with ThreadPoolExecutor(max_workers=16) as pool:
            results = list(pool.map(lambda job: post(*job, headers=HTMX), jobs))
    statuses = [status for status, _ in results]
    assert statuses.count(200) == len(jobs), sorted(set(statuses))
    for user in learners:
        attempt = Attempt.objects.get(pk=attempts[user.pk].pk)
        assert attempt.answers.count() == attempt.question_count
        assert attempt.status == "finished"
        assert attempt.correct_count == attempt.question_count
    assert Answer.objects.count() == sum(a.question_count for a in attempts.values())
