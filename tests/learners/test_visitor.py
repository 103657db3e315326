"""The Visitor: the one reader of the session; models take it, never a request."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from learners.models import Preferences
from learners.visitor import (
    ATTEMPTS,
    SHARED_TOKENS,
    Visitor,
    forget_attempts,
    remember_attempt,
    remember_shared_token,
)
from notes.models import StudySet
from quizzes.models import Attempt
from tests.factories import make_question, make_study_set

ROOT = Path(settings.BASE_DIR)
# Modules that hold rules and state changes: they take a user or a Visitor.
RULE_MODULES = sorted(
    path
    for pattern in ("*/models.py", "*/reports.py", "progress/practice.py")
    for path in ROOT.glob(pattern)
    if not path.parts[-2].startswith(".")
)


def anonymous(**granted) -> Visitor:
    return Visitor(user=AnonymousUser(), **granted)


def test_from_request_reads_the_user_and_what_the_session_grants(learner):
    request = RequestFactory().get("/")
    request.user = learner
    request.session = SessionStore()
    request.session[SHARED_TOKENS] = ["tok-1", ""]
    request.session[ATTEMPTS] = [3, 5]
    assert Visitor.from_request(request) == Visitor(learner, ("tok-1",), (3, 5))


@pytest.mark.parametrize("path", RULE_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_models_and_reports_never_take_a_request_or_a_session(path):
    tree = ast.parse(path.read_text())
    taking = [
        f"{node.name}({arg.arg})"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        for arg in [*node.args.args, *node.args.kwonlyargs]
        if arg.arg in ("request", "session")
    ]
    assert not taking, f"{path.name}: pass a user or a Visitor instead: {taking}"


def test_only_the_visitor_module_names_the_session_keys():
    readers = sorted(
        str(path.relative_to(ROOT))
        for path in ROOT.glob("*/**/*.py")
        if ".venv" not in path.parts and "tests" not in path.parts
        for key in (SHARED_TOKENS, ATTEMPTS)
        if f'"{key}"' in path.read_text()
    )
    assert readers == ["learners/visitor.py", "learners/visitor.py"]


@pytest.mark.django_db
class TestWhatAVisitorMaySee:
    def test_a_share_token_opens_that_private_set_only(self):
        shared = make_study_set(is_public=False, share_token="tok-1")
        make_study_set(is_public=False, share_token="tok-2")
        public = make_study_set()
        visible = StudySet.objects.visible_to(anonymous(shared_tokens=("tok-1",)))
        assert set(visible) == {shared, public}

    def test_an_anonymous_visitor_owns_only_the_session_attempts(self):
        study_set = make_study_set()
        mine, other = (Attempt.objects.create(study_set=study_set) for _ in range(2))
        assert list(Attempt.objects.owned_by(anonymous(attempt_ids=(mine.pk,)))) == [mine]
        assert other not in Attempt.objects.owned_by(anonymous())


@pytest.mark.django_db
class TestStartingAnAttempt:
    def test_start_closes_the_visitors_open_attempt_and_writes_no_session(self):
        study_set = make_study_set()
        questions = [make_question(study_set) for _ in range(3)]
        first = Attempt.start(anonymous(), study_set, questions)
        second = Attempt.start(anonymous(attempt_ids=(first.pk,)), study_set, questions)
        first.refresh_from_db()
        assert first.status == Attempt.Status.ABANDONED
        assert second.user is None
        assert second.is_open

    def test_start_applies_the_learners_length_only_when_cut(self, learner):
        study_set = make_study_set()
        questions = [make_question(study_set) for _ in range(5)]
        prefs = Preferences(user=learner, quiz_length=2, explanations="end")
        visitor = Visitor(learner)
        cut = Attempt.start(visitor, study_set, questions, preferences=prefs, cut=True)
        assert cut.question_count == 2
        assert not cut.explain_each
        whole = Attempt.start(visitor, study_set, questions, preferences=prefs)
        assert whole.question_count == 5

    def test_claiming_takes_ids_not_a_session(self, learner):
        study_set = make_study_set()
        attempt = Attempt.objects.create(study_set=study_set)
        assert Attempt.objects.claim_for(learner, [attempt.pk]) == 1
        attempt.refresh_from_db()
        assert attempt.user == learner


class TestSessionHelpers:
    def test_remembered_attempts_keep_the_latest_fifty(self):
        session = {}
        for attempt_id in range(1, 61):
            remember_attempt(session, attempt_id)
        assert session[ATTEMPTS] == list(range(11, 61))
        forget_attempts(session)
        assert ATTEMPTS not in session

    def test_a_share_token_is_remembered_once(self):
        session = {}
        remember_shared_token(session, "tok")
        remember_shared_token(session, "tok")
        assert session[SHARED_TOKENS] == ["tok"]


class TestArrange:
    def test_set_order_keeps_the_order_and_cut_takes_the_first(self):
        prefs = Preferences(quiz_length=3)
        assert prefs.arrange(list(range(10)), cut=True) == [0, 1, 2]
        assert prefs.arrange(list(range(10)), cut=False) == list(range(10))

    def test_random_order_shuffles_a_copy(self):
        prefs = Preferences(quiz_order=Preferences.QuizOrder.RANDOM)
        questions = list(range(200))
        arranged = prefs.arrange(questions, cut=False)
        assert sorted(arranged) == questions
        assert arranged != questions
        assert questions == list(range(200))
