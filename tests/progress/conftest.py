"""Question memory for 今日学习's tests until the lead hooks QuestionState.remember
into Attempt.record (issue 22, part 1): this fixture does what that hook will do,
and steps aside once Attempt.record does it itself."""

from __future__ import annotations

import inspect

import pytest
from django.utils import timezone

from quizzes.models import Attempt, QuestionState


@pytest.fixture
def question_memory(monkeypatch):
    if "QuestionState.remember(" in inspect.getsource(Attempt):
        return  # the real hook is in: nothing to stand in for
    record = Attempt._record

    def remembering(self, item, chosen, response):
        recorded = record(self, item, chosen, response)
        if recorded.created and self.user_id:
            QuestionState.remember(
                self.user,
                item.question_id,
                correct=recorded.verdict.correct,
                wrong_before=False,
                now=timezone.now(),
                desired_retention=0.9,
            )
        return recorded

    monkeypatch.setattr(Attempt, "_record", remembering)
