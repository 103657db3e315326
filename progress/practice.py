"""错题本 and 智能练习: which questions a learner should practise now.

The policy lives here, in progress; quizzes only runs the attempt it is given
(`Attempt.start`). Each function takes a user and a set, never a request.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Count, Q
from django.utils import timezone

from learners import mastery, scheduling
from notes.models import Note, StudySet
from quizzes.models import Answer, Attempt, Question, QuestionState

# 智能练习's length when the learner has not chosen a quiz length.
PRACTICE_SIZE = 10
MODES = (Attempt.Mode.MISTAKES, Attempt.Mode.PRACTICE, Attempt.Mode.SECTION)


def mistake_question_ids(user, study_set: StudySet | None = None) -> list[int]:
    """错题本: questions answered wrong and not since answered right twice in a row.

    Most recent mistake first. One query, folded in Python over the user's
    answers in time order.
    """
    rows = Answer.objects.revealed().filter(attempt__user=user, question__isnull=False)
    if study_set is not None:
        rows = rows.filter(attempt__study_set=study_set)
    streak: dict[int, int | None] = {}  # question -> right answers since its last mistake
    last_wrong: dict[int, int] = {}
    for index, (question_id, correct) in enumerate(
        rows.order_by("answered_at", "pk").values_list("question_id", "is_correct")
    ):
        if not correct:
            streak[question_id] = 0
            last_wrong[question_id] = index
        elif (rights := streak.get(question_id)) is not None:
            streak[question_id] = rights + 1
    open_ids = [qid for qid, rights in streak.items() if rights is not None and rights < 2]
    return sorted(open_ids, key=lambda qid: -last_wrong[qid])


def section_facility(user, study_set: StudySet | None = None) -> list[tuple[int, int, str, float]]:
    """(set id, note id, title, share answered right) of each section the learner
    has answered, in one set or all, weakest first: one grouped query."""
    rows = Answer.objects.revealed().filter(attempt__user=user, question__note__isnull=False)
    if study_set is not None:
        rows = rows.filter(question__study_set=study_set)
    grouped = rows.values(
        "question__study_set", "question__note", "question__note__title"
    ).annotate(n=Count("pk"), right=Count("pk", filter=Q(is_correct=True)))
    return sorted(
        (
            (
                r["question__study_set"],
                r["question__note"],
                r["question__note__title"],
                r["right"] / r["n"],
            )
            for r in grouped
        ),
        key=lambda row: (row[3], row[1]),
    )


def practice_question_ids(user, study_set: StudySet, size: int) -> list[int]:
    """智能练习: the learner's open mistakes, then questions from their weakest sections."""
    chosen = mistake_question_ids(user, study_set)[:size]
    weak = [
        note_id
        for _set, note_id, _title, facility in section_facility(user, study_set)
        if facility < 1
    ]
    if len(chosen) < size and weak:
        pool = (
            Question.objects.published()
            .filter(study_set=study_set, note__in=weak)
            .exclude(pk__in=chosen)
        )
        rank = {note_id: i for i, note_id in enumerate(weak)}
        extra = sorted(
            pool.values_list("pk", "note_id", "position"), key=lambda r: (rank[r[1]], r[2])
        )
        chosen += [pk for pk, _note, _pos in extra[: size - len(chosen)]]
    return chosen


def order_for_section(
    rows: Iterable[tuple[int, int, datetime | None, float | None, datetime | None]], now: datetime
) -> list[int]:
    """练习这一节's order from (question id, position, due, stability, last review)
    — the last three None when the learner has not met it: what is due first
    (most overdue first), then what they recall less than well *now* (below
    mastery's 掌握 threshold), least first, then what they have not met, in the
    notes' order, and last what they recall well now. Now, not a week ahead as
    the marks reckon: a question answered right a minute ago is not worth
    asking again before one never seen."""
    _start, end_of_day = scheduling.study_day(now)

    def rank(row):
        pk, position, due, stability, last_review = row
        if due is None:
            return (2, 0.0, position, pk)
        if due < end_of_day:
            return (0, due.timestamp(), position, pk)
        recall = scheduling.recall(stability, last_review, now)
        return (1 if recall < mastery.MASTERED else 3, recall, position, pk)

    return [row[0] for row in sorted(rows, key=rank)]


def section_question_ids(user, note: Note, now: datetime) -> list[int]:
    """练习这一节: the section's published questions in order_for_section's order."""
    states = {
        state[0]: state[1:]
        for state in QuestionState.objects.filter(
            user=user, question__note=note, question__is_draft=False
        ).values_list("question_id", "due", "stability", "last_review")
    }
    questions = Question.objects.published().filter(note=note).values_list("pk", "position")
    return order_for_section(
        ((pk, position, *states.get(pk, (None, None, None))) for pk, position in questions), now
    )


def questions_for(
    user,
    study_set: StudySet,
    mode: str,
    quiz_length: int | None,
    *,
    section: Note | None = None,
    now: datetime | None = None,
) -> list[Question]:
    """The questions (choices prefetched) of a 错题本, 智能练习 or 练习这一节 run
    (`section` given), in the plan's order."""
    if section is not None:
        ids = section_question_ids(user, section, now or timezone.now())
        ids = ids[:quiz_length] if quiz_length else ids
    elif mode == Attempt.Mode.MISTAKES:
        ids = mistake_question_ids(user, study_set)
    else:
        ids = practice_question_ids(user, study_set, quiz_length or PRACTICE_SIZE)
    questions = (
        study_set.questions.published()
        .filter(pk__in=ids)
        .select_related("note__study_set")
        .prefetch_related("choices")
    )
    return sorted(questions, key=lambda q: ids.index(q.pk))
