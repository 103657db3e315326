"""Attempt.record grades once and returns what it stored and the verdict."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from learners.visitor import Visitor
from quizzes.models import Attempt
from tests.factories import make_question, make_study_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def attempt():
    study_set = make_study_set()
    questions = [make_question(study_set) for _ in range(2)]
    return Attempt.start(Visitor(AnonymousUser()), study_set, questions)


def right(item) -> list[int]:
    return [option.id for option in item.options if option.correct]


def wrong(item) -> list[int]:
    return [option.id for option in item.options if not option.correct]


def test_record_returns_the_verdict_it_stored(attempt):
    item = attempt.item_list[0]
    recorded = attempt.record(item, wrong(item))
    assert recorded.created
    assert not recorded.verdict.correct
    assert recorded.verdict.right == frozenset(right(item))
    assert recorded.answer.is_correct is False
    assert recorded.answered == 1


def test_a_replay_returns_the_stored_verdict_not_the_new_choice(attempt):
    item = attempt.item_list[0]
    attempt.record(item, wrong(item))
    replay = attempt.record(item, right(item))
    assert not replay.created
    assert not replay.verdict.correct
    assert replay.verdict.chosen == frozenset(wrong(item)[:1])
    assert attempt.answers.count() == replay.answered == 1


def test_the_last_answer_finishes_the_attempt(attempt):
    for item in attempt.item_list:
        recorded = attempt.record(item, right(item))
    assert recorded.answered == attempt.question_count == 2
    assert attempt.status == Attempt.Status.FINISHED


def test_a_twin_that_finished_the_attempt_first_makes_a_replay_not_attempt_closed(
    attempt, monkeypatch
):
    first, last = attempt.item_list
    attempt.record(first, right(first))
    Attempt.objects.get(pk=attempt.pk).record(last, right(last))  # the twin: stored, finished
    # This request looked for a stored answer before the twin's commit, then waited for the lock.
    looks = []
    stored = Attempt._stored

    def first_look_before_the_twin(self, item):
        looks.append(item)
        return None if len(looks) == 1 else stored(self, item)

    monkeypatch.setattr(Attempt, "_stored", first_look_before_the_twin)
    replay = attempt.record(last, wrong(last))
    assert not replay.created
    assert replay.verdict.correct  # the twin's answer, stored once
    assert attempt.answers.count() == replay.answered == 2
