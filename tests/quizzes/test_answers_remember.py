"""Every answer, in any quiz mode, schedules the question with FSRS for the
learner who gave it (Attempt.record, on the server's clock)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from learners.models import Preferences
from learners.visitor import Visitor
from quizzes.models import Attempt, QuestionState
from tests.factories import make_question, make_study_set

pytestmark = pytest.mark.django_db

NOW = "2026-12-01 10:00:00+08:00"


def start(user, questions, mode=Attempt.Mode.ALL) -> Attempt:
    study_set = questions[0].study_set
    return Attempt.start(Visitor(user), study_set, questions, mode=mode)


def answer(attempt: Attempt, position: int, *, right: bool):
    item = attempt.item_list[position]
    chosen = [o.id for o in item.options if o.correct == right][:1]
    return attempt.record(item, chosen)


def due(user, question, when) -> bool:
    return QuestionState.objects.filter(user=user, question=question).due_today(when).exists()


def test_a_right_answer_is_not_due_tomorrow_and_a_wrong_one_comes_back_in_minutes(learner):
    study_set = make_study_set()
    right, wrong = make_question(study_set), make_question(study_set)
    with time_machine.travel(NOW, tick=False):
        attempt = start(learner, [right, wrong])
        answer(attempt, 0, right=True)
        answer(attempt, 1, right=False)
        now = timezone.now()
    assert not due(learner, right, now + timedelta(days=1))
    state = QuestionState.objects.get(user=learner, question=right)
    assert due(learner, right, state.due)
    assert state.due - now >= timedelta(days=2)
    missed = QuestionState.objects.get(user=learner, question=wrong)
    assert missed.due - now <= timedelta(minutes=10)
    assert missed.last_review == now  # the server's clock


@pytest.mark.parametrize("mode", [Attempt.Mode.ALL, Attempt.Mode.RETRY, Attempt.Mode.PRACTICE])
def test_every_mode_remembers(learner, mode):
    question = make_question(make_study_set())
    answer(start(learner, [question], mode=mode), 0, right=True)
    assert QuestionState.objects.get(user=learner, question=question).reps == 1


def test_a_replayed_answer_is_remembered_once(learner):
    question = make_question(make_study_set())
    attempt = start(learner, [question, make_question(question.study_set)])
    answer(attempt, 0, right=True)
    answer(attempt, 0, right=True)
    assert QuestionState.objects.get(user=learner, question=question).reps == 1


def test_anonymous_answers_have_no_memory():
    question = make_question(make_study_set())
    answer(start(AnonymousUser(), [question]), 0, right=True)
    assert not QuestionState.objects.exists()


def test_the_learners_retention_target_sets_the_interval(learner, django_user_model):
    careful = django_user_model.objects.create_user("xiaohong", password="另一个-pass-9")
    Preferences.objects.create(user=careful, desired_retention=0.97)
    question = make_question(make_study_set())
    with time_machine.travel(NOW, tick=False):
        for user in (learner, careful):
            answer(start(user, [question]), 0, right=True)
    relaxed = QuestionState.objects.get(user=learner, question=question)
    strict = QuestionState.objects.get(user=careful, question=question)
    assert strict.due < relaxed.due
