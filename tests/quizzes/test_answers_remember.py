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
PASSWORD = "s3cret-pass-学习"  # tests/conftest.py learner


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


class TestClaimedAtLogin:
    """An anonymous quiz claimed by logging in teaches the learner's memory too."""

    def anonymous_quiz(self, questions, rights, when=NOW) -> Attempt:
        with time_machine.travel(when, tick=False):
            attempt = start(AnonymousUser(), questions)
            for position, right in enumerate(rights):
                answer(attempt, position, right=right)
        return attempt

    def test_claimed_answers_schedule_their_questions(self, learner):
        study_set = make_study_set()
        right, wrong = make_question(study_set), make_question(study_set)
        attempt = self.anonymous_quiz([right, wrong], [True, False])
        assert Attempt.objects.claim_for(learner, [attempt.pk]) == 1
        remembered = QuestionState.objects.get(user=learner, question=right)
        missed = QuestionState.objects.get(user=learner, question=wrong)
        answered = attempt.answers.get(question=right).answered_at
        assert (remembered.reps, remembered.last_review) == (1, answered)
        assert remembered.due - answered >= timedelta(days=2)
        assert missed.due - answered <= timedelta(minutes=10)

    def test_an_answer_older_than_the_learners_own_review_is_skipped(self, learner):
        question = make_question(make_study_set())
        attempt = self.anonymous_quiz([question], [False], when="2026-11-20 10:00:00+08:00")
        with time_machine.travel(NOW, tick=False):
            answer(start(learner, [question]), 0, right=True)
        before = QuestionState.objects.values().get(user=learner, question=question)
        Attempt.objects.claim_for(learner, [attempt.pk])
        assert QuestionState.objects.values().get(user=learner, question=question) == before

    def test_a_newer_answer_moves_existing_memory_on(self, learner):
        question = make_question(make_study_set())
        with time_machine.travel("2026-11-20 10:00:00+08:00", tick=False):
            answer(start(learner, [question]), 0, right=True)
        attempt = self.anonymous_quiz([question], [False])
        Attempt.objects.claim_for(learner, [attempt.pk])
        state = QuestionState.objects.get(user=learner, question=question)
        assert (state.reps, state.lapses) == (2, 1)
        assert state.last_review == attempt.answers.get().answered_at

    def test_the_replay_is_a_fixed_number_of_queries(self, learner, django_assert_num_queries):
        study_set = make_study_set()
        questions = [make_question(study_set) for _ in range(6)]
        attempt = self.anonymous_quiz(questions, [True, False] * 3)
        # open attempts to abandon, the claimed ids, the claim, their answers, the
        # preferences, the states, one insert; two savepoints, each set and released
        with django_assert_num_queries(11):
            Attempt.objects.claim_for(learner, [attempt.pk])
        assert QuestionState.objects.filter(user=learner).count() == 6

    def test_logging_in_through_the_form_claims_and_remembers(self, client, learner):
        question = make_question(make_study_set())
        client.post(f"/sets/{question.study_set.slug}/quiz/start/", {"mode": "all"})
        attempt = Attempt.objects.get()
        answer(attempt, 0, right=True)
        client.post("/accounts/login/", {"username": learner.username, "password": PASSWORD})
        assert QuestionState.objects.get(user=learner, question=question).reps == 1

    def test_an_open_exam_claimed_at_login_teaches_memory_only_when_it_closes(self, learner):
        study_set = make_study_set()
        questions = [make_question(study_set) for _ in range(2)]
        with time_machine.travel(NOW, tick=False):
            exam = Attempt.start(
                Visitor(AnonymousUser()), study_set, questions, mode=Attempt.Mode.EXAM, minutes=10
            )
            answer(exam, 0, right=False)
            Attempt.objects.claim_for(learner, [exam.pk])
            assert not QuestionState.objects.exists()
            exam.refresh_from_db()
            exam.close(timezone.now())
        state = QuestionState.objects.get(user=learner)
        assert state.question_id == exam.item_list[0].question_id
        assert state.reps == 1
