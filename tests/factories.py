"""Small builders for test data: make_* functions with sensible defaults."""

from __future__ import annotations

import itertools

from flashcards.models import Card
from notes.models import Note, StudySet
from quizzes.models import Choice, Question

_counter = itertools.count(1)


def make_study_set(**fields) -> StudySet:
    n = next(_counter)
    fields.setdefault("slug", f"set-{n}")
    fields.setdefault("title", f"学习集 {n}")
    return StudySet.objects.create(**fields)


def make_note(study_set: StudySet, **fields) -> Note:
    fields.setdefault("position", next(_counter))
    fields.setdefault("title", f"章节 {fields['position']}")
    fields.setdefault("body", "- 要点一\n- 要点二\n")
    return Note.objects.create(study_set=study_set, **fields)


def make_question(
    study_set: StudySet,
    *,
    choices: tuple[tuple[str, bool], ...] = (("对的", True), ("错的", False)),
    **fields,
) -> Question:
    fields.setdefault("position", next(_counter))
    fields.setdefault("prompt", f"问题 {fields['position']}?")
    question = Question.objects.create(study_set=study_set, **fields)
    Choice.objects.bulk_create(
        Choice(question=question, position=i, text=text, is_correct=right)
        for i, (text, right) in enumerate(choices)
    )
    return question


def make_card(study_set: StudySet, **fields) -> Card:
    n = next(_counter)
    fields.setdefault("position", n)
    fields.setdefault("front", f"术语 {n}")
    fields.setdefault("back", f"释义 {n}")
    return Card.objects.create(study_set=study_set, **fields)
