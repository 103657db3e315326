"""Mastery per section for one learner and one set (see learners.mastery): one
query for the learner's memories, the section totals from the cache."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

from django.core.cache import cache

from flashcards.models import Card, CardState
from learners import mastery, scheduling
from notes.models import StudySet
from quizzes.models import Question, QuestionState

# A week: totals under content versions gone by are never read again, and expire.
TOTALS_TIMEOUT = 7 * 24 * 60 * 60


def section_totals(study_set: StudySet) -> dict[int, int]:
    """{note id: published cards and questions in that section}, every section of
    the set included (0 when empty); cached under the set's content_version."""
    key = f"mastery:totals:{study_set.pk}:{study_set.content_version}"
    totals = cache.get(key)
    if totals is None:
        counts: dict[int, int] = defaultdict(int)
        for note_id in study_set.notes.values_list("pk", flat=True):
            counts[note_id] = 0
        for model in (Question, Card):
            for note_id in (
                model.objects.published()
                .filter(study_set=study_set, note__isnull=False)
                .values_list("note_id", flat=True)
            ):
                counts[note_id] += 1
        totals = dict(counts)
        cache.set(key, totals, timeout=TOTALS_TIMEOUT)
    return totals


def section_mastery(user, study_set: StudySet, now: datetime) -> dict[int, mastery.SectionMastery]:
    """{note id: the learner's mastery of it}: one query (cards and questions in
    a UNION), plus the section totals once per content version."""
    cards = CardState.objects.filter(
        user=user, card__study_set=study_set, card__is_draft=False
    ).values_list("card__note_id", "stability", "last_review")
    questions = QuestionState.objects.filter(
        user=user, question__study_set=study_set, question__is_draft=False
    ).values_list("question__note_id", "stability", "last_review")
    now = now.astimezone(UTC)
    recalls = [
        (note_id, scheduling.recall(stability, last_review, now))
        for note_id, stability, last_review in cards.union(questions, all=True)
    ]
    return mastery.summarize(recalls, section_totals(study_set))
