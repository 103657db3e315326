"""Mastery per section for one learner (see learners.mastery: recall a week
ahead): one query for the learner's memories in any number of sets, the
sections from the cache."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime

from django.core.cache import cache

from flashcards.models import Card, CardState
from learners import mastery
from notes.models import StudySet
from quizzes.models import Question, QuestionState

# A week: sections under content versions gone by are never read again, and expire.
TOTALS_TIMEOUT = 7 * 24 * 60 * 60


def sections(study_set: StudySet) -> list[tuple[int, str, str, int]]:
    """(note id, title, url, published cards and questions in it) per section of
    the set, in notes order (0 when empty); cached under the set's content_version."""
    key = f"mastery:sections:{study_set.pk}:{study_set.content_version}"
    rows = cache.get(key)
    if rows is None:
        counts: dict[int, int] = defaultdict(int)
        for model in (Question, Card):
            for note_id in (
                model.objects.published()
                .filter(study_set=study_set, note__isnull=False)
                .values_list("note_id", flat=True)
            ):
                counts[note_id] += 1
        rows = [
            (note.pk, note.heading, note.get_absolute_url(), counts[note.pk])
            for note in study_set.notes.only("pk", "title", "study_set").select_related("study_set")
        ]
        cache.set(key, rows, timeout=TOTALS_TIMEOUT)
    return rows


def section_totals(study_set: StudySet) -> dict[int, int]:
    """{note id: published cards and questions in that section}, in notes order."""
    return {note_id: total for note_id, _title, _url, total in sections(study_set)}


def mastery_by_set(
    user, study_sets: Iterable[StudySet], now: datetime
) -> dict[int, list[mastery.SectionMastery]]:
    """{set id: the learner's mastery of each of its sections (recall a week
    ahead, learners.mastery.item_recall), in notes order}:
    one query (cards and questions of every set in a UNION), plus each set's
    sections once per content version."""
    study_sets = list(study_sets)
    if not study_sets:
        return {}
    ids = [s.pk for s in study_sets]
    cards = CardState.objects.filter(
        user=user, card__study_set__in=ids, card__is_draft=False
    ).values_list("card__study_set_id", "card__note_id", "stability", "last_review", "state")
    questions = QuestionState.objects.filter(
        user=user, question__study_set__in=ids, question__is_draft=False
    ).values_list(
        "question__study_set_id", "question__note_id", "stability", "last_review", "state"
    )
    now = now.astimezone(UTC)
    recalls: dict[int, list[tuple[int | None, float]]] = defaultdict(list)
    for set_id, note_id, stability, last_review, state in cards.union(questions, all=True):
        recalls[set_id].append((note_id, mastery.item_recall(stability, last_review, state, now)))
    result = {}
    for study_set in study_sets:
        rows = sections(study_set)
        totals = {note_id: total for note_id, _title, _url, total in rows}
        summary = mastery.summarize(recalls[study_set.pk], totals)
        result[study_set.pk] = [
            replace(summary[note_id], title=title, url=url) for note_id, title, url, _ in rows
        ]
    return result


def section_mastery(user, study_set: StudySet, now: datetime) -> dict[int, mastery.SectionMastery]:
    """{note id: the learner's mastery of it}, in notes order: one query."""
    return {m.note_id: m for m in mastery_by_set(user, [study_set], now)[study_set.pk]}
