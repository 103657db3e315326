"""The per-set aggregates behind home, /me/ and 智能练习: one QuerySet method each,
on the model it counts, one grouped query whatever the number of sets."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from flashcards.models import CardState
from quizzes.models import Attempt
from tests.factories import make_card, make_finished_attempt, make_question, make_study_set

pytestmark = pytest.mark.django_db
NOW = "2026-11-20 20:00:00+08:00"
REVIEW = CardState.State.REVIEW


def test_best_scores_per_set_count_finished_quizzes_only(learner, django_user_model):
    first, second, untouched = make_study_set(), make_study_set(), make_study_set()
    questions = [make_question(first) for _ in range(4)]
    make_question(second)
    make_finished_attempt(learner, first, wrong={q.pk for q in questions[:3]})  # 25 %
    make_finished_attempt(learner, first, wrong={questions[0].pk})  # 75 %
    make_finished_attempt(learner, second)  # 100 %
    Attempt.objects.create(user=learner, study_set=untouched)  # in progress: not a score
    other = django_user_model.objects.create_user("other", password="x")
    make_finished_attempt(other, second, wrong={second.questions.get().pk})

    assert Attempt.objects.best_scores(learner) == {first.pk: (75, 2), second.pk: (100, 1)}
    only_first = Attempt.objects.filter(study_set__in=[first, untouched])
    assert only_first.best_scores(learner) == {first.pk: (75, 2)}
    assert Attempt.objects.best_scores(other) == {second.pk: (0, 1)}


def test_due_counts_per_set_are_one_grouped_query(learner, django_assert_num_queries):
    with time_machine.travel(NOW, tick=False):
        now = timezone.now()
        sets = [make_study_set() for _ in range(3)]
        for n, study_set in enumerate(sets):
            for k in range(n + 1):
                CardState.objects.create(
                    user=learner,
                    card=make_card(study_set),
                    state=REVIEW,
                    due=now + timedelta(days=k),
                )
        draft = make_card(sets[0], is_draft=True)
        CardState.objects.create(
            user=learner, card=draft, state=REVIEW, due=now
        )  # drafts are never due

        with django_assert_num_queries(1):
            due = CardState.objects.due_counts(learner, now)
        # Due before midnight in Shanghai: the ones due now (k = 0) only.
        assert due == {study_set.pk: 1 for study_set in sets}
        tomorrow = CardState.objects.due_counts(learner, now + timedelta(days=1))
        assert tomorrow == {sets[0].pk: 1, sets[1].pk: 2, sets[2].pk: 2}
        assert CardState.objects.filter(card__study_set=sets[2]).due_counts(learner, now) == {
            sets[2].pk: 1
        }
        assert CardState.objects.due_counts(learner.pk + 1, now) == {}


def test_due_today_and_tomorrow_per_set_are_one_grouped_query(learner, django_assert_num_queries):
    with time_machine.travel(NOW, tick=False):
        now = timezone.now()
        sets = [make_study_set() for _ in range(3)]
        for n, study_set in enumerate(sets):
            for k in range(n + 1):  # due now, tomorrow, the day after
                CardState.objects.create(
                    user=learner,
                    card=make_card(study_set),
                    state=REVIEW,
                    due=now + timedelta(days=k),
                )
        draft = make_card(sets[0], is_draft=True)
        CardState.objects.create(user=learner, card=draft, state=REVIEW, due=now)

        with django_assert_num_queries(1):
            due = CardState.objects.due_today_and_tomorrow(learner, now)
        # Today's cards are not counted again as tomorrow's; drafts are never due.
        assert due == {sets[0].pk: (1, 0), sets[1].pk: (1, 1), sets[2].pk: (1, 1)}
        assert CardState.objects.due_today_and_tomorrow(learner.pk + 1, now) == {}
