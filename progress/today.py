"""今日学习: one daily session across all of a learner's sets.

The order: cards due now (most overdue first), then questions due now (most
overdue first), then new items (new cards, then new questions, in the sets'
order) while the daily quota lasts. "Due now" is the cards' rule (StudyQueue):
an item in review is due all day, a learning step only once its minutes have
passed, so a question answered wrong comes back ten minutes later, not at once.

The new-item quota is Preferences.new_cards_per_day, shared: a card rated for
the first time today and a question answered for the first time today (in
any mode) each use one. Each function takes a user and plain values, never a
request; every count is one query, whatever the number of sets and items.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import Exists, F, Func, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.crypto import salted_hmac

from flashcards.models import Card, CardState, ReviewLog, record_review
from learners import scheduling
from notes.models import StudySet, StudySetQuerySet
from quizzes.items import Item
from quizzes.models import Answer, Attempt, Question, QuestionState, Recorded


def due_now(now: datetime) -> Q:
    """A memory state due now: in review, due before the day ends; in learning, due by now."""
    _start, end = scheduling.study_day(now)
    return Q(state=scheduling.REVIEW, due__lt=end) | (~Q(state=scheduling.REVIEW) & Q(due__lte=now))


def _count(queryset: models.QuerySet, field: str = "pk", function: str = "COUNT"):
    """A scalar subquery: COUNT (or SUM) over `queryset`, 0 when empty."""
    return Coalesce(
        Subquery(
            queryset.order_by().annotate(total=Func(F(field), function=function)).values("total")
        ),
        0,
    )


@dataclass(frozen=True)
class Tally:
    """What the session has left now, and what the learner did today."""

    due_cards: int
    due_questions: int
    new_cards: int  # never rated, in the learner's visible sets
    new_questions: int  # never answered since questions have memory
    introduced: int  # new items begun today (cards and questions)
    new_per_day: int
    cards_reviewed: int  # today, in any set
    questions_answered: int  # today, in any quiz mode
    milliseconds: int  # stored time of today's reviews and answers
    later_today: int  # learning steps still to come today
    cards_tomorrow: int
    questions_tomorrow: int

    @property
    def new_left(self) -> int:
        return max(self.new_per_day - self.introduced, 0)

    @property
    def new_today(self) -> int:
        """New items the session still offers today."""
        return min(self.new_left, self.new_cards + self.new_questions)

    @property
    def left(self) -> int:
        return self.due_cards + self.due_questions + self.new_today

    @property
    def tomorrow(self) -> int:
        return self.cards_tomorrow + self.questions_tomorrow

    @property
    def minutes(self) -> int:
        return round(self.milliseconds / 60000)

    @property
    def studied(self) -> int:
        return self.cards_reviewed + self.questions_answered


class Session:
    """今日学习 for one learner at `now`, over the sets `visible` to them."""

    def __init__(
        self,
        user,
        visible: StudySetQuerySet,
        now: datetime,
        *,
        new_per_day: int,
        desired_retention: float = 0.9,
    ):
        self.user, self.now, self.new_per_day = user, now, new_per_day
        self.desired_retention = desired_retention
        self.visible = visible.values("pk")
        # Questions wait while the learner sits an exam on their set: 今日学习
        # would show the verdicts 考试模式 keeps back until 交卷.
        exams = Attempt.objects.filter(
            user=user, mode=Attempt.Mode.EXAM, status=Attempt.Status.IN_PROGRESS, deadline__gt=now
        )
        self.question_sets = visible.exclude(pk__in=exams.values("study_set")).values("pk")
        self.start, self.end = scheduling.study_day(now)

    # -- what is open to study -------------------------------------------------

    def due_cards(self) -> models.QuerySet[CardState]:
        return CardState.objects.filter(
            due_now(self.now),
            user=self.user,
            card__is_draft=False,
            card__study_set__in=self.visible,
        ).order_by("due", "pk")

    def due_questions(self) -> models.QuerySet[QuestionState]:
        return QuestionState.objects.filter(
            due_now(self.now),
            user=self.user,
            question__is_draft=False,
            question__study_set__in=self.question_sets,
        ).order_by("due", "pk")

    def new_cards(self) -> models.QuerySet[Card]:
        return (
            Card.objects.published()
            .filter(study_set__in=self.visible)
            .exclude(Exists(CardState.objects.filter(user=self.user, card=OuterRef("pk"))))
            .order_by("study_set__position", "study_set", "position", "pk")
        )

    def new_questions(self) -> models.QuerySet[Question]:
        return (
            Question.objects.published()
            .filter(study_set__in=self.question_sets)
            .exclude(Exists(QuestionState.objects.filter(user=self.user, question=OuterRef("pk"))))
            .order_by("study_set__position", "study_set", "position", "pk")
        )

    def tally(self) -> Tally:
        """Every count the page shows, in one query."""
        user, start, end = self.user, self.start, self.end
        tomorrow = Q(due__gte=end, due__lt=scheduling.study_day(end + timedelta(hours=1))[1])
        later = ~Q(state=scheduling.REVIEW) & Q(due__gt=self.now, due__lt=end)
        cards = CardState.objects.filter(
            user=user, card__is_draft=False, card__study_set__in=self.visible
        )
        questions = QuestionState.objects.filter(
            user=user, question__is_draft=False, question__study_set__in=self.question_sets
        )
        reviews = ReviewLog.objects.filter(user=user, reviewed_at__gte=start)
        answers = Answer.objects.filter(attempt__user=user, answered_at__gte=start)
        # Begun today: every review of the question (one per answer) is today's,
        # and the learner never answered it before today.
        answers_to_it = answers.filter(question=OuterRef("question"))
        first_answers = QuestionState.objects.filter(user=user).exclude(
            Exists(
                Answer.objects.filter(
                    attempt__user=user, question=OuterRef("question"), answered_at__lt=start
                )
            )
        )
        row = (
            get_user_model()
            .objects.filter(pk=user.pk)
            .values(
                due_cards=_count(self.due_cards()),
                due_questions=_count(self.due_questions()),
                new_cards=_count(self.new_cards()),
                new_questions=_count(self.new_questions()),
                introduced_cards=_count(reviews.filter(was_new=True)),
                introduced_questions=_count(
                    first_answers.filter(reps__gte=1, reps__lte=_count(answers_to_it))
                ),
                cards_reviewed=_count(reviews),
                questions_answered=_count(answers),
                review_ms=_count(reviews, "duration_ms", "SUM"),
                answer_seconds=_count(answers, "seconds", "SUM"),
                cards_later=_count(cards.filter(later)),
                questions_later=_count(questions.filter(later)),
                cards_tomorrow=_count(cards.filter(tomorrow)),
                questions_tomorrow=_count(questions.filter(tomorrow)),
            )
            .get()
        )
        return Tally(
            due_cards=row["due_cards"],
            due_questions=row["due_questions"],
            new_cards=row["new_cards"],
            new_questions=row["new_questions"],
            introduced=row["introduced_cards"] + row["introduced_questions"],
            new_per_day=self.new_per_day,
            cards_reviewed=row["cards_reviewed"],
            questions_answered=row["questions_answered"],
            milliseconds=row["review_ms"] + 1000 * row["answer_seconds"],
            later_today=row["cards_later"] + row["questions_later"],
            cards_tomorrow=row["cards_tomorrow"],
            questions_tomorrow=row["questions_tomorrow"],
        )

    def next_item(self, tally: Tally) -> Card | Question | None:
        """The item to study now (one query, two for a question's choices), or None."""
        cards = Card.objects.with_learner(self.user).select_related("note", "study_set")
        questions = Question.objects.select_related("note__study_set", "study_set")
        questions = questions.prefetch_related("choices")
        if tally.due_cards:
            return cards.get(pk=Subquery(self.due_cards().values("card")[:1]))
        if tally.due_questions:
            first = Subquery(self.due_questions().values("question")[:1])
            return questions.get(pk=first)
        if tally.new_left and tally.new_cards:
            return cards.get(pk=Subquery(self.new_cards().values("pk")[:1]))
        if tally.new_left and tally.new_questions:
            return questions.get(pk=Subquery(self.new_questions().values("pk")[:1]))
        return None

    # -- what may be posted -----------------------------------------------------

    def may_study_card(self, card: Card, tally: Tally) -> bool:
        """The card is due now, or new while the quota lasts."""
        if self.due_cards().filter(card=card).exists():
            return True
        return bool(tally.new_left) and self.new_cards().filter(pk=card.pk).exists()

    def may_answer(self, question: Question, tally: Tally) -> bool:
        """The question is due now, or new while the quota lasts."""
        if self.due_questions().filter(question=question).exists():
            return True
        return bool(tally.new_left) and self.new_questions().filter(pk=question.pk).exists()

    # -- storing what the learner did -----------------------------------------
    # One write of the learner's at a time, checked and stored in one transaction:
    # two requests at once (a double click, two tabs) could otherwise both pass
    # the check — storing an answer twice, or new items beyond the day's quota.

    @contextmanager
    def _one_at_a_time(self) -> Iterator[None]:
        """SQLite's IMMEDIATE transaction takes the write lock as it begins;
        PostgreSQL locks the learner's row."""
        with transaction.atomic():
            get_user_model().objects.select_for_update().filter(pk=self.user.pk).values_list(
                "pk"
            ).get()
            yield

    def review(self, card: Card, rating: int, review_id, *, shown_at, read) -> ReviewLog:
        """Rate a card through the flashcards' one rating path, once per review id
        (a repeat returns the stored review). Raises NotOpen when the card is not
        due now nor new within the quota, and the flashcards' ReviewConflict or
        ReviewUndone."""
        with self._one_at_a_time():
            replay = ReviewLog.objects.filter(
                review_id=review_id, user=self.user, card=card
            ).exists()
            if not replay and not self.may_study_card(card, self.tally()):
                raise NotOpen
            log, _created = record_review(
                self.user,
                card,
                rating,
                review_id,
                now=self.now,
                desired_retention=self.desired_retention,
                shown_at=shown_at,
                read=read,
            )
        return log

    def answer(
        self, question: Question, item: Item, chosen: list[int], response: str, *, shown_at
    ) -> Recorded:
        """Grade and store an answer once per showing: a repeat of the same showing
        (`shown_at`, signed by the server) returns the stored verdict. Raises
        NotOpen when the question is not due now nor new within the quota."""
        with self._one_at_a_time():
            if shown_at is not None:
                earlier = Attempt.objects.filter(
                    user=self.user,
                    mode=Attempt.Mode.TODAY,
                    started_at=shown_at,
                    answers__question=question,
                ).first()
                if earlier is not None:
                    return earlier.record(earlier.item_list[0], chosen, response)
            if not self.may_answer(question, self.tally()):
                raise NotOpen
            _attempt, recorded = answer_question(
                self.user,
                item,
                question.study_set,
                chosen,
                response,
                shown_at=shown_at,
                now=self.now,
            )
        return recorded


class NotOpen(Exception):
    """The item is neither due now nor new within the day's quota."""


def question_item(user, question: Question, now: datetime) -> Item:
    """The question (choices prefetched) as this learner sees it today: its options
    shuffled the same way on the page and in the stored answer, all the local day
    (the server's secret in the seed: the order cannot be worked out in advance)."""
    day = timezone.localdate(now).isoformat()
    seed = salted_hmac("progress.today.order", f"{user.pk}:{question.pk}:{day}").hexdigest()
    return question.snapshot(0, shuffle=random.Random(seed).shuffle)


def option_token(user_id: int, question_id: int, option_id: int) -> str:
    """The opaque value the page sends for an option: never its id, which would
    give the right option away (choices are often stored right one first), and
    meaningless for another learner or question."""
    message = f"{user_id}:{question_id}:{option_id}"
    return salted_hmac("progress.today.option", message).hexdigest()[:16]


def option_tokens(user, item: Item) -> dict[str, int]:
    """{token: option id} for the options of `item` as `user` is shown them."""
    return {option_token(user.pk, item.question_id, o.id): o.id for o in item.options}


def answer_question(
    user, item: Item, study_set: StudySet, chosen: list[int], response: str, *, shown_at, now
):
    """Store one 今日学习 answer as a one-question attempt (mode today), graded and
    scored like any quiz answer; its results and 错题本 follow the quiz's rules.
    The attempt starts when the server showed the question, so the answer's
    stored seconds are the time it took."""
    with transaction.atomic():
        attempt = Attempt.objects.create(
            user=user,
            study_set=study_set,
            mode=Attempt.Mode.TODAY,
            items=[item.to_json()],
            question_count=1,
            started_at=min(shown_at or now, now),
        )
        recorded: Recorded = attempt.record(attempt.item_list[0], chosen, response)
    return attempt, recorded


def due_total(user, visible: StudySetQuerySet, now: datetime) -> int:
    """Cards and questions due now (home's 今日学习 button): one query."""
    session = Session(user, visible, now, new_per_day=0)
    return (
        get_user_model()
        .objects.filter(pk=user.pk)
        .values(n=_count(session.due_cards()) + _count(session.due_questions()))
        .get()["n"]
    )
