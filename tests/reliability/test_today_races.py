"""今日学习 under concurrent requests on real servers: a double click stores an
answer once, and racing requests never pass the day's new-item quota."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core import signing
from django.utils import timezone

from flashcards.forms import SHOWN_SALT
from flashcards.models import CardState, ReviewLog
from harness.servers import gunicorn, post, session_for
from learners.models import Preferences
from progress.today import option_token
from quizzes.models import Answer, Attempt, QuestionState
from tests.factories import make_card, make_question, make_study_set

# Slow: starts real gunicorn servers.
pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
HTMX = {"HX-Request": "true"}


def shown() -> str:
    return signing.dumps(timezone.now().timestamp(), salt=SHOWN_SALT)


def all_at_once(jobs):
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return [status for status, _ in pool.map(lambda job: post(*job, headers=HTMX), jobs)]


def test_a_double_click_stores_one_answer_and_both_get_its_verdict(django_user_model):
    learner = django_user_model.objects.create_user("shuangji", password="x")
    question = make_question(make_study_set())
    right = question.choices.get(is_correct=True)
    data = {"choices": option_token(learner.pk, question.pk, right.pk), "shown": shown()}
    with gunicorn(workers=4) as (server, _):
        url = f"{server}/me/today/questions/{question.pk}/answer/"
        statuses = all_at_once([(url, session_for(learner), data)] * 6)
    assert statuses == [200] * 6
    assert Answer.objects.count() == 1
    assert Attempt.objects.count() == 1
    assert QuestionState.objects.get().reps == 1


def test_racing_new_items_never_pass_the_days_quota(django_user_model):
    learner = django_user_model.objects.create_user("peie", password="x")
    Preferences.objects.create(user=learner, new_cards_per_day=1)
    study_set = make_study_set()
    cards = [make_card(study_set) for _ in range(4)]
    questions = [make_question(study_set) for _ in range(4)]
    session = session_for(learner)
    with gunicorn(workers=4) as (server, _):
        jobs = [
            (
                f"{server}/me/today/cards/{card.pk}/review/",
                session,
                {"rating": "3", "review_id": str(uuid.uuid4()), "shown": shown()},
            )
            for card in cards
        ]
        for question in questions:
            right = question.choices.get(is_correct=True)
            token = option_token(learner.pk, question.pk, right.pk)
            jobs.append(
                (
                    f"{server}/me/today/questions/{question.pk}/answer/",
                    session,
                    {"choices": token, "shown": shown()},
                )
            )
        statuses = all_at_once(jobs)
    assert sorted(statuses) == [200] + [409] * 7
    assert CardState.objects.count() + QuestionState.objects.count() == 1


def test_a_rating_sent_twice_at_once_is_one_review_and_no_refusal(django_user_model):
    learner = django_user_model.objects.create_user("pingfen", password="x")
    card = make_card(make_study_set())
    data = {"rating": "3", "review_id": str(uuid.uuid4()), "shown": shown()}
    with gunicorn(workers=4) as (server, _):
        url = f"{server}/me/today/cards/{card.pk}/review/"
        statuses = all_at_once([(url, session_for(learner), data)] * 4)
    assert statuses == [200] * 4
    assert ReviewLog.objects.count() == 1
