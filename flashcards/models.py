"""Flashcards."""

from __future__ import annotations

from copy import copy
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Count, Exists, FilteredRelation, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from flashcards.completeness import card_problems
from learners import scheduling
from learners.models import MemoryState, Preferences
from notes.models import Note, StudyItem, StudyItemQuerySet, StudySet

MEMORY_FIELDS = (
    "state",
    "step",
    "stability",
    "difficulty",
    "due",
    "last_review",
    "reps",
    "lapses",
)
RATING_PREFERENCES = ("new_cards_per_day", "desired_retention")


class CardQuerySet(StudyItemQuerySet["Card"]):
    def with_learner(self, user) -> CardQuerySet:
        """Each card with the learner's memory of it (`learner_state`: their CardState,
        None for a new card) and their star (`learner_star`, None if none), joined in."""
        return self.annotate(
            learner_state=FilteredRelation("states", condition=Q(states__user=user)),
            learner_star=FilteredRelation("stars", condition=Q(stars__user=user)),
        ).select_related("learner_state", "learner_star")  # type: ignore[misc]

    def to_rate(self, user) -> CardQuerySet:
        """Cards with what a rating needs read in the same query: the set, the
        learner's memory (see `with_learner`) and their scheduling preferences
        (`pref_*`, the defaults when they never saved any)."""
        saved = Preferences.objects.filter(user=user)
        defaults = Preferences()
        return (
            self.with_learner(user)
            .select_related("study_set")
            .annotate(
                **{
                    f"pref_{name}": Coalesce(
                        Subquery(saved.values(name)[:1]), Value(getattr(defaults, name))
                    )
                    for name in RATING_PREFERENCES
                }
            )
        )

    def with_section_check(self, note_id: int) -> CardQuerySet:
        """Cards with whether note `note_id` is a section of their set, read in the
        same query (`Card.in_set_section`): a page of one section's cards keeps it
        through each rating."""
        notes = Note.objects.filter(study_set=OuterRef("study_set"), pk=note_id)
        return self.annotate(section_in_set=Exists(notes))


class Card(StudyItem):
    """A flashcard: a term on the front, what it means on the back."""

    front = models.CharField("正面", max_length=300)
    back = models.TextField("背面")
    is_draft = models.BooleanField(
        "待完善", default=False, help_text="待完善的卡片不会出现在学员的复习里。"
    )
    source = models.TextField("出处原文", blank=True, help_text="生成这张卡片的原句。")

    EDITABLE = ("front", "back")

    objects = CardQuerySet.as_manager()

    class Meta(StudyItem.Meta):
        verbose_name = "抽认卡"
        verbose_name_plural = "抽认卡"
        constraints = [
            models.UniqueConstraint(fields=["study_set", "front"], name="card_unique_front_in_set")
        ]

    def __str__(self) -> str:
        return self.front

    def get_absolute_url(self) -> str:
        return f"{reverse('flashcards:flashcards', args=[self.study_set.slug])}?mode=browse&card={self.pk}"

    def problems(self) -> list[str]:
        """What keeps this card from being published."""
        return card_problems(self.front, self.back)

    def read_memory(self) -> CardState | None:
        """The learner's memory of this card as `with_learner` read it (None: new)."""
        # Django sets a joined FilteredRelation's attribute only when a row matched.
        return getattr(self, "learner_state", None)

    def read_star(self) -> bool:
        """Whether the learner starred this card, as `with_learner` read it."""
        return getattr(self, "learner_star", None) is not None

    def in_set_section(self) -> bool:
        """Whether the note `with_section_check` asked about is a section of this card's set."""
        return bool(getattr(self, "section_in_set", False))

    def read_preferences(self, user) -> Preferences:
        """The learner's preferences as `to_rate` read them (unsaved: for reading)."""
        return Preferences(
            user=user, **{name: getattr(self, f"pref_{name}") for name in RATING_PREFERENCES}
        )


class CardStateQuerySet(models.QuerySet["CardState"]):
    def for_learner(self, user, study_set: StudySet) -> CardStateQuerySet:
        return self.filter(user=user, card__study_set=study_set)

    def due_today(self, now: datetime) -> CardStateQuerySet:
        """Published cards due before the learner's day ends, overdue ones included,
        as Anki counts them. The day ends at midnight in settings.TIME_ZONE. The one
        definition of "due today" for home, /me/ and /me/practice/."""
        _start, end = scheduling.study_day(now)
        return self.filter(card__is_draft=False, due__lt=end)

    def due_counts(self, user, now: datetime) -> dict[int, int]:
        """{set id: the learner's cards due today (see `due_today`)}: one grouped query."""
        return self.filter(user=user).due_today(now).count_per_set()

    def due_today_and_tomorrow(self, user, now: datetime) -> dict[int, tuple[int, int]]:
        """{set id: (cards due today, cards due tomorrow and not today)}: one grouped query."""
        _start, today_ends = scheduling.study_day(now)
        rows = (
            self.filter(user=user)
            .due_today(now + timedelta(days=1))
            .values_list("card__study_set")
            .annotate(today=Count("pk", filter=Q(due__lt=today_ends)), n=Count("pk"))
            .order_by()
        )
        return {set_id: (today, n - today) for set_id, today, n in rows}

    def count_per_set(self) -> dict[int, int]:
        """{set id: number of these card states}: one grouped query."""
        return dict(self.values_list("card__study_set").annotate(n=Count("pk")).order_by())


class CardState(MemoryState):
    """FSRS memory of one card for one learner; always the result of their latest review."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="card_states"
    )
    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="states")

    objects = CardStateQuerySet.as_manager()

    class Meta:
        verbose_name = "卡片记忆状态"
        verbose_name_plural = "卡片记忆状态"
        constraints = [
            models.UniqueConstraint(fields=["user", "card"], name="card_state_once_per_learner"),
        ]
        indexes = [models.Index(fields=["user", "due"], name="card_state_user_due")]

    def __str__(self) -> str:
        return f"{self.user} · {self.card}"

    def take_back(self, log: ReviewLog) -> None:
        """Undo `log`, this card's latest review: its memory as it was before."""
        memory = log.memory_before
        assert memory is not None  # undo_review refuses a log without one: for the type checker
        self._set_memory(memory)
        self.reps -= 1
        self.lapses -= log.lapsed


class ReviewLogQuerySet(models.QuerySet["ReviewLog"]):
    def in_set(self, user, study_set: StudySet) -> ReviewLogQuerySet:
        return self.filter(user=user, card__study_set=study_set)

    def on_day_of(self, now: datetime) -> ReviewLogQuerySet:
        """Ratings given on the learner's day that contains `now`."""
        start, _end = scheduling.study_day(now)
        return self.filter(reviewed_at__gte=start)

    def latest_first(self) -> ReviewLogQuerySet:
        return self.order_by("-reviewed_at", "-pk")


class ReviewLog(models.Model):
    """One rating, append-only. `review_id` is minted by the server with the card
    shown, so a replayed or double-clicked rating is recognised and stored once."""

    review_id = models.UUIDField("评分编号", unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_logs"
    )
    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="review_logs")
    rating = models.PositiveSmallIntegerField(
        "评分", choices=[(value, label) for value, label in scheduling.RATING_LABELS.items()]
    )
    reviewed_at = models.DateTimeField("复习于", default=timezone.now)
    was_new = models.BooleanField("首次学习", default=False)
    # The memory before the review (all empty when the card was new), so 撤销 restores it exactly.
    state_before = models.PositiveSmallIntegerField("复习前状态", null=True, blank=True)
    step_before = models.PositiveSmallIntegerField("复习前学习步骤", null=True, blank=True)
    stability_before = models.FloatField("复习前稳定性", null=True, blank=True)
    difficulty_before = models.FloatField("复习前难度", null=True, blank=True)
    due_before = models.DateTimeField("复习前到期", null=True, blank=True)
    last_review_before = models.DateTimeField("复习前上次复习", null=True, blank=True)
    state_after = models.PositiveSmallIntegerField("复习后状态")
    stability_after = models.FloatField("复习后稳定性", null=True, blank=True)
    difficulty_after = models.FloatField("复习后难度", null=True, blank=True)
    due_after = models.DateTimeField("下次到期")
    duration_ms = models.PositiveIntegerField("用时\uff08毫秒\uff09", default=0)

    objects = ReviewLogQuerySet.as_manager()

    class Meta:
        ordering = ["reviewed_at", "pk"]
        verbose_name = "复习记录"
        verbose_name_plural = "复习记录"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=4), name="review_log_rating_1_to_4"
            ),
        ]
        indexes = [models.Index(fields=["user", "reviewed_at"], name="review_log_user_time")]

    def __str__(self) -> str:
        return f"{self.user} · {self.card} · {self.get_rating_display()}"

    @property
    def memory_before(self) -> scheduling.Memory | None:
        """The card's memory as it was before this review; None for a new card."""
        if self.was_new or self.state_before is None or self.due_before is None:
            return None
        return scheduling.Memory(
            self.state_before,
            self.step_before,
            self.stability_before,
            self.difficulty_before,
            self.due_before,
            self.last_review_before,
        )

    @property
    def lapsed(self) -> bool:
        return scheduling.is_lapse(self.state_before, self.rating)


class UndoneReview(models.Model):
    """A review id whose rating was taken back: neither the rating nor its undo
    can be replayed."""

    review_id = models.UUIDField("评分编号", unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="undone_reviews"
    )
    undone_at = models.DateTimeField("撤销于", default=timezone.now)

    class Meta:
        verbose_name = "已撤销的评分"
        verbose_name_plural = "已撤销的评分"

    def __str__(self) -> str:
        return f"{self.user} · {self.review_id}"


class Star(models.Model):
    """A card a learner marked to study on its own."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stars"
    )
    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="stars")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "星标卡片"
        verbose_name_plural = "星标卡片"
        constraints = [
            models.UniqueConstraint(fields=["user", "card"], name="star_once_per_learner")
        ]

    def __str__(self) -> str:
        return f"{self.user} ★ {self.card}"


class ReviewConflict(Exception):
    """The review id was already used for another card or learner."""


class ReviewUndone(Exception):
    """The review id belongs to a rating the learner took back (撤销)."""


class UndoRefused(Exception):
    """Why a rating cannot be taken back."""

    NOT_FOUND = "not_found"  # no such review of this learner in this set
    ALREADY_UNDONE = "already_undone"
    NOT_LATEST = "not_latest"  # only the learner's last rating in the set
    NOT_RESTORABLE = "not_restorable"  # logged before reviews kept their previous state

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


MAX_REVIEW_MS = 5 * 60 * 1000  # a card left open longer is not five minutes of study


UNREAD = object()  # record_review's `read`: the learner's state was not read beforehand


def record_review(
    user,
    card: Card,
    rating: int,
    review_id,
    *,
    now=None,
    desired_retention: float = 0.9,
    shown_at=None,
    read: CardState | None | object = UNREAD,
) -> tuple[ReviewLog, bool]:
    """Apply one rating to the learner's memory of `card`, exactly once per review id.

    The rating applies to the card's state as stored now, not as the learner's
    tab last saw it: two tabs reviewing the same card log both reviews, and
    the state follows the latest. Returns (log, created).

    `read` is the learner's state of the card as the caller read it just before
    (`Card.read_memory`; None for a new card): when the database still holds
    exactly that, the rating is written without reading it again.
    """
    now = now or timezone.now()
    args = (user, card, rating, review_id, now, desired_retention, shown_at)
    try:
        if read is not UNREAD:
            assert read is None or isinstance(read, CardState)  # for the type checker
            recorded = _record_read_review(*args, read)
            if recorded is not None:
                return recorded
        return _record_review(*args)
    except IntegrityError:
        # A concurrent request won the race (PostgreSQL: same review id, or the
        # learner's first state for this card; a replayed review id whose state
        # was read beforehand). Its row is committed: replay.
        return _record_review(*args)


def _record_read_review(user, card, rating, review_id, now, desired_retention, shown_at, read):
    """The rating applied to the state the caller read, in one write per table, or
    None when that state is no longer what the database holds (or the review id
    was taken back): then `_record_review` reads it under lock and decides."""
    after = scheduling.review(
        read.memory if read else None,
        rating,
        now,
        desired_retention=desired_retention,
        fuzz=settings.FSRS_FUZZ,
    )
    undone = UndoneReview.objects.filter(review_id=review_id)
    with transaction.atomic():
        if read is None:
            if undone.exists():
                return None
            # A state created meanwhile breaks the unique constraint: replayed.
            state = CardState(user=user, card=card)
            state.apply(after, rating)
            state.save(force_insert=True)
        else:
            state = copy(read)
            if scheduling.is_lapse(read.state, rating):
                state.lapses += 1
            state.apply(after, rating)
            unchanged = {name: getattr(read, name) for name in MEMORY_FIELDS}
            written = (
                CardState.objects.filter(pk=read.pk, **unchanged)
                .exclude(Exists(undone))
                .update(**{name: getattr(state, name) for name in MEMORY_FIELDS})
            )
            if not written:
                return None
        # A review id already logged breaks its unique constraint: replayed.
        log = _log(
            user, card, rating, review_id, now, shown_at, read.memory if read else None, after
        )
    return log, True


def _record_review(user, card, rating, review_id, now, desired_retention, shown_at):
    with transaction.atomic():
        existing = ReviewLog.objects.filter(review_id=review_id).first()
        if existing is not None:
            if existing.card_id != card.pk or existing.user_id != user.pk:
                raise ReviewConflict
            return existing, False
        if UndoneReview.objects.filter(review_id=review_id).exists():
            raise ReviewUndone
        state = CardState.objects.select_for_update().filter(user=user, card=card).first()
        before = state.memory if state else None
        after = scheduling.review(
            before, rating, now, desired_retention=desired_retention, fuzz=settings.FSRS_FUZZ
        )
        if state is None:
            state = CardState(user=user, card=card)
        if before and scheduling.is_lapse(before.state, rating):
            state.lapses += 1
        state.apply(after, rating)
        state.save()
        log = _log(user, card, rating, review_id, now, shown_at, before, after)
    return log, True


def _log(user, card, rating, review_id, now, shown_at, before, after) -> ReviewLog:
    return ReviewLog.objects.create(
        review_id=review_id,
        user=user,
        card=card,
        rating=rating,
        reviewed_at=now,
        was_new=before is None,
        state_before=before.state if before else None,
        step_before=before.step if before else None,
        stability_before=before.stability if before else None,
        difficulty_before=before.difficulty if before else None,
        due_before=before.due if before else None,
        last_review_before=before.last_review if before else None,
        state_after=after.state,
        stability_after=after.stability,
        difficulty_after=after.difficulty,
        due_after=after.due,
        duration_ms=_duration_ms(shown_at, now),
    )


def undo_review(user, study_set: StudySet, review_id) -> ReviewLog:
    """Take back the learner's last rating in `study_set`, exactly once: the log row
    goes and the card's memory is what it was before (no memory for a new card).
    Returns the deleted log (its card is the one to show again)."""
    with transaction.atomic():
        logs = ReviewLog.objects.in_set(user, study_set)
        log = logs.select_for_update().select_related("card").filter(review_id=review_id).first()
        if log is None:
            if UndoneReview.objects.filter(review_id=review_id, user=user).exists():
                raise UndoRefused(UndoRefused.ALREADY_UNDONE)
            raise UndoRefused(UndoRefused.NOT_FOUND)
        # The card's state lock first, then "latest?": a rating of this card that
        # held the lock is committed by then, and this check sees it (PostgreSQL).
        state = CardState.objects.select_for_update().get(user=user, card=log.card)
        if logs.latest_first().values_list("pk", flat=True).first() != log.pk:
            raise UndoRefused(UndoRefused.NOT_LATEST)
        if log.was_new:
            state.delete()
        elif log.memory_before is None:
            raise UndoRefused(UndoRefused.NOT_RESTORABLE)
        else:
            state.take_back(log)
            state.save()
        UndoneReview.objects.create(review_id=log.review_id, user=user)
        log.delete()
    return log


def _duration_ms(shown_at, now) -> int:
    if shown_at is None:
        return 0
    return int(min(max((now - shown_at).total_seconds() * 1000, 0), MAX_REVIEW_MS))


LEARN_AHEAD = timedelta(minutes=20)


@dataclass(frozen=True)
class StudyQueue:
    """What a learner has to study in a set now: counts and the next card."""

    learning: int
    review: int
    new: int
    next_card: Card | None
    next_state: CardState | None
    next_due: datetime | None  # when the next card falls due, once nothing is left
    learning_today: int = 0  # learning steps due before the day ends, now or later
    done_today: int = 0  # ratings given in the set today
    next_starred: bool = False  # whether the learner starred the next card

    @property
    def total(self) -> int:
        return self.learning + self.review + self.new

    @property
    def left_today(self) -> int:
        """今天还剩: like Anki, a card rated 重来 or in its learning steps still
        counts while it waits, so the number only falls as the learner works."""
        return max(self.learning, self.learning_today) + self.review + self.new

    @property
    def planned_today(self) -> int:
        return self.done_today + self.left_today

    @classmethod
    def build(
        cls,
        user,
        study_set: StudySet,
        *,
        now=None,
        new_per_day: int = 20,
        starred_only=False,
        section: int | None = None,
    ) -> StudyQueue:
        """Due cards first (learning, then review, by due time), then new cards up to
        the daily limit. Two queries whatever the deck's size: the counts, then the card.

        `section` (a note's id) keeps to that section's cards, by the same rules: its
        new cards still share the set's daily limit, and `done_today` counts the
        ratings of its cards only."""
        now = now or timezone.now()
        tally = _tally(user, study_set, starred_only, now, section)
        new = min(max(new_per_day - tally["introduced"], 0), tally["unseen"])
        if tally["learning"] or tally["review"]:
            first = tally["first_due"]
        elif new:
            first = tally["first_new"]
        elif tally["ahead"]:
            # Nothing else left: like Anki, show learning steps due within 20 minutes now.
            first, tally["learning"] = tally["first_ahead"], tally["ahead"]
        else:
            first = None
        cards = Card.objects.with_learner(user).select_related("note").filter(pk=first)
        next_card = next(iter(cards), None) if first else None
        return cls(
            learning=tally["learning"],
            review=tally["review"],
            new=new,
            next_card=next_card,
            next_state=next_card.read_memory() if next_card else None,
            next_due=tally["next_due"],
            learning_today=tally["learning_today"],
            done_today=tally["done"],
            next_starred=bool(next_card and next_card.read_star()),
        )


def _tally(
    user, study_set: StudySet, starred_only: bool, now: datetime, section: int | None = None
) -> dict[str, Any]:
    """The queue in one query: the learner's published cards in the set (only the
    starred ones, or one section's, if asked) counted by state, when the next one
    falls due, the cards never rated, today's ratings of those cards, of new cards
    in the whole set (the daily limit is the set's), and the first card of each
    kind: due now, new, due within LEARN_AHEAD.

    As in Anki: a review card is due all day (the same day as home's "due
    today"); a learning step only once its minutes have passed.

    Written as SQL: the same through the ORM took ~10 ms of Python to build on
    every rating, ten times what the database takes to answer it.
    """
    start, end_of_day = scheduling.study_day(now)
    at = connection.ops.adapt_datetimefield_value
    card, state, star, log = (m._meta.db_table for m in (Card, CardState, Star, ReviewLog))
    cards = (
        f"{card} card LEFT JOIN {state} state ON state.card_id = card.id AND state.user_id = %s"
        + (
            f" JOIN {star} star ON star.card_id = card.id AND star.user_id = %s"
            if starred_only
            else ""
        )
        + " WHERE card.study_set_id = %s AND NOT card.is_draft"
        + (" AND card.note_id = %s" if section else "")
    )
    in_section = [section] if section else []
    cards_params = [user.pk, *([user.pk] if starred_only else []), study_set.pk, *in_section]
    learning = ("state.state <> %s AND state.due <= %s", [scheduling.REVIEW, at(now)])
    review = ("state.state = %s AND state.due < %s", [scheduling.REVIEW, at(end_of_day)])
    ahead = ("state.state <> %s AND state.due <= %s", [scheduling.REVIEW, at(now + LEARN_AHEAD)])
    today = ("state.state <> %s AND state.due < %s", [scheduling.REVIEW, at(end_of_day)])
    due = (f"({learning[0]}) OR ({review[0]})", learning[1] + review[1])
    rated = (
        f"SELECT COUNT(*) FROM {log} log JOIN {card} card ON card.id = log.card_id"
        " WHERE card.study_set_id = %s AND log.user_id = %s AND log.reviewed_at >= %s"
    )
    rated_params = [study_set.pk, user.pk, at(start)]
    # Ratings done today: in the section when studying one, else in the set (starred
    # or not); the new cards introduced (for the daily limit) always in the set.
    done = (rated + (" AND card.note_id = %s" if section else ""), rated_params + in_section)

    def first(condition: tuple[str, list], order: str) -> tuple[str, list]:
        return (
            f"(SELECT card.id FROM {cards} AND ({condition[0]}) ORDER BY {order} LIMIT 1)",
            cards_params + condition[1],
        )

    columns: dict[str, tuple[str, list]] = {
        "learning": (f"COUNT(*) FILTER (WHERE {learning[0]})", learning[1]),
        "review": (f"COUNT(*) FILTER (WHERE {review[0]})", review[1]),
        "ahead": (f"COUNT(*) FILTER (WHERE {ahead[0]})", ahead[1]),
        "learning_today": (f"COUNT(*) FILTER (WHERE {today[0]})", today[1]),
        "next_due": ("MIN(state.due) FILTER (WHERE state.due > %s)", [at(now)]),
        "unseen": ("COUNT(*) FILTER (WHERE state.id IS NULL)", []),
        "done": (f"({done[0]})", done[1]),
        "introduced": (f"({rated} AND log.was_new)", rated_params),
        "first_due": first(due, "state.due, state.id"),
        "first_new": first(("state.id IS NULL", []), "card.position, card.id"),
        "first_ahead": first(ahead, "state.due, state.id"),
    }
    sql = f"SELECT {', '.join(sql for sql, _ in columns.values())} FROM {cards}"
    params = [param for _, column_params in columns.values() for param in column_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params + cards_params)
        tally = dict(zip(columns, cursor.fetchone(), strict=True))
    next_due = tally["next_due"]
    if isinstance(next_due, str):  # SQLite gives MIN() of a datetime column as text
        next_due = parse_datetime(next_due)
    if next_due is not None and timezone.is_naive(next_due):
        next_due = timezone.make_aware(next_due, UTC)
    tally["next_due"] = next_due
    return tally
