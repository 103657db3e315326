"""The one obvious next step on a home set card: a pure choice, in a fixed order."""

from __future__ import annotations

import pytest

from progress.next_step import Step, next_step

EVERYTHING = {
    "open_attempt": True,
    "due": 4,
    "mistakes": 3,
    "quizzes_taken": 2,
    "questions": 16,
    "new_cards": 5,
}


@pytest.mark.parametrize(
    ("remove", "expected"),
    [
        ((), Step("resume", "继续答题")),
        (("open_attempt",), Step("review", "复习 4 张到期卡片")),
        (("open_attempt", "due"), Step("mistakes", "练习 3 道错题")),
        (("open_attempt", "due", "mistakes", "quizzes_taken"), Step("quiz", "开始测验")),
        (("open_attempt", "due", "mistakes"), Step("new_cards", "学习新卡片")),
        (("open_attempt", "due", "mistakes", "new_cards"), Step("quiz", "再做一次测验")),
        (
            ("open_attempt", "due", "mistakes", "new_cards", "questions", "quizzes_taken"),
            Step("notes", "阅读学习笔记"),
        ),
    ],
)
def test_the_first_thing_to_do_wins(remove, expected):
    facts = {key: (0 if key != "open_attempt" else False) if key in remove else value
             for key, value in EVERYTHING.items()}  # fmt: skip
    assert next_step(**facts) == expected


def test_a_new_learner_starts_with_the_quiz_before_new_cards():
    assert next_step(questions=16, new_cards=9) == Step("quiz", "开始测验")


def test_a_set_without_questions_offers_its_cards():
    assert next_step(new_cards=9) == Step("new_cards", "学习新卡片")


def test_an_open_attempt_beats_due_cards_and_mistakes():
    assert next_step(open_attempt=True, due=50, mistakes=10).kind == "resume"
