"""Small builders for test data: make_* functions with sensible defaults."""

from __future__ import annotations

import functools
import itertools
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.db.models import Model

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


def make_finished_attempt(user, study_set, *, wrong=frozenset(), when=None, mode="all", seconds=30):
    """A finished whole-quiz attempt answering every question right except `wrong` (question ids)."""
    from datetime import timedelta

    from django.utils import timezone

    from quizzes.models import Answer, Attempt

    when = when or timezone.now()
    questions = list(study_set.questions.filter(is_draft=False).prefetch_related("choices"))
    items = [q.snapshot(i) for i, q in enumerate(questions)]
    attempt = Attempt.objects.create(
        user=user,
        study_set=study_set,
        mode=mode,
        status=Attempt.Status.FINISHED,
        items=[item.to_json() for item in items],
        question_count=len(items),
        correct_count=sum(1 for q in questions if q.pk not in wrong),
        started_at=when - timedelta(seconds=seconds * len(items)),
        finished_at=when,
    )
    answers = []
    for item in items:
        right = item.question_id not in wrong
        options = [o.id for o in item.options if o.correct == right]
        chosen = options if right else options[:1]
        response = ""
        if item.kind == "fill_blank":  # typed, not chosen
            chosen, response = [], item.right_texts[0] if right else "不知道"
        answers.append(
            Answer(
                attempt=attempt,
                question_id=item.question_id,
                position=item.position,
                chosen=chosen,
                response=response,
                is_correct=right,
                answered_at=when,
                seconds=seconds,
            )
        )
    Answer.objects.bulk_create(answers)
    return attempt


@functools.cache
def _da_mo_xing_rows() -> tuple[tuple[type[Model], dict], ...]:
    """The 大模型 fixture's rows as `loaddata` reads them, parsed once per run."""
    path = Path(settings.BASE_DIR) / "fixtures" / "da-mo-xing.json"
    return tuple(
        (
            type(row.object),
            {f.attname: getattr(row.object, f.attname) for f in row.object._meta.concrete_fields},
        )
        for row in serializers.deserialize("json", path.read_text(encoding="utf-8"))
    )


def load_da_mo_xing() -> StudySet:
    """Store the 大模型 set as `loaddata da-mo-xing` does — raw rows, custom save()
    and signal handlers skipped (they ignore raw saves) — in one INSERT per model
    instead of two queries per row. tests/test_quick_loop.py checks the rows match."""
    by_model: dict[type[Model], list[Model]] = {}
    for model, values in _da_mo_xing_rows():
        by_model.setdefault(model, []).append(model(**values))
    for model, objects in by_model.items():
        model.objects.bulk_create(objects)
    return StudySet.objects.get(slug="da-mo-xing")
