"""Questions have memory too: each answer schedules the question with FSRS,
through the same wrapper the cards use, on the server's clock."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from learners import scheduling
from quizzes.models import QuestionState
from tests.factories import make_question, make_study_set

pytestmark = pytest.mark.django_db

NOW = datetime.fromisoformat("2026-12-01T10:00:00+08:00")


def answer(user, question, *, correct: bool, wrong_before: bool = False, now=NOW) -> QuestionState:
    return QuestionState.remember(
        user,
        question.pk,
        correct=correct,
        wrong_before=wrong_before,
        now=now,
        desired_retention=0.9,
    )


def due_at(state: QuestionState, when: datetime) -> bool:
    return QuestionState.objects.filter(pk=state.pk).due_today(when).exists()


def test_a_question_answered_right_today_is_not_due_tomorrow_but_after_its_interval(learner):
    question = make_question(make_study_set())
    state = answer(learner, question, correct=True)
    assert state.reps == 1
    assert state.state == scheduling.REVIEW  # recalled, not just seen: no learning steps
    assert not due_at(state, NOW + timedelta(days=1))
    assert due_at(state, state.due)
    assert state.due - NOW >= timedelta(days=2)
    # Right again once it comes back: a longer interval.
    again = answer(learner, question, correct=True, now=state.due)
    assert again.due - again.last_review > state.due - NOW


def test_a_wrong_answer_brings_the_question_back_within_minutes(learner):
    question = make_question(make_study_set())
    state = answer(learner, question, correct=False)
    assert state.due - NOW <= timedelta(minutes=10)
    assert due_at(state, NOW + timedelta(minutes=10))


def test_right_after_a_wrong_answer_in_the_attempt_counts_as_hard(learner):
    first, second = make_question(make_study_set()), make_question(make_study_set())
    good = answer(learner, first, correct=True)
    hard = answer(learner, second, correct=True, wrong_before=True)
    assert hard.difficulty > good.difficulty
    assert scheduling.rating_for_answer(True, wrong_before=True) == scheduling.HARD
    assert scheduling.rating_for_answer(True) == scheduling.GOOD
    assert scheduling.rating_for_answer(False, wrong_before=True) == scheduling.AGAIN


def test_forgetting_a_question_in_review_is_a_lapse(learner):
    question = make_question(make_study_set())
    state = answer(learner, question, correct=True)
    state = answer(learner, question, correct=True, now=state.due)
    assert state.state == scheduling.REVIEW
    state = answer(learner, question, correct=False, now=state.due)
    assert state.lapses == 1


def test_editing_a_question_keeps_its_memory_and_deleting_it_deletes_it(learner):
    question = make_question(make_study_set())
    state = answer(learner, question, correct=True)
    question.prompt = "改过的题目\uff1f"
    question.save()
    assert QuestionState.objects.get(pk=state.pk).reps == 1
    question.delete()
    assert not QuestionState.objects.filter(pk=state.pk).exists()


def test_recall_is_predicted_and_fades(learner):
    question = make_question(make_study_set())
    state = answer(learner, question, correct=True)
    state = answer(learner, question, correct=True, now=state.due)
    soon = state.retrievability(state.last_review + timedelta(days=1))
    later = state.retrievability(state.last_review + timedelta(days=60))
    assert 0.9 < soon <= 1
    assert 0 < later < soon


def test_drafts_are_never_due(learner):
    question = make_question(make_study_set())
    state = answer(learner, question, correct=False)
    question.is_draft = True
    question.save()
    assert not due_at(state, NOW + timedelta(days=1))


def test_the_clock_is_the_servers(learner):
    with time_machine.travel(NOW, tick=False):
        question = make_question(make_study_set())
        state = answer(learner, question, correct=False, now=timezone.now())
    assert state.last_review == NOW
