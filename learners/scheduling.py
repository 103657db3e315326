"""A thin wrapper over fsrs, the model Anki uses. Pure: no ORM, no clock.

The database keeps a card's memory as plain columns (`Memory`); this module
turns them into an `fsrs.Card`, asks the scheduler, and turns the answer back.
The caller passes the time of the review: the server's clock, never the client's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

import fsrs
from django.utils import timezone

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
RATING_LABELS = {AGAIN: "重来", HARD: "困难", GOOD: "良好", EASY: "简单"}
LEARNING, REVIEW, RELEARNING = (state.value for state in fsrs.State)
# fsrs.Card() without an id takes the clock's milliseconds and then sleeps 1 ms so
# the next card gets another; scheduling never reads the id, so ours all share one.
CARD_ID = 0


def study_day(now: datetime) -> tuple[datetime, datetime]:
    """The learner's day around `now`: from midnight to midnight in
    settings.TIME_ZONE (Anki's day, ending at midnight rather than 4 am, so it
    agrees with the calendar and the streaks). The one place a day starts."""
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=1)  # wall-clock arithmetic: next midnight


@dataclass(frozen=True)
class Memory:
    """What FSRS knows about one learner and one card."""

    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None

    @classmethod
    def from_fsrs(cls, card: fsrs.Card) -> Memory:
        return cls(
            state=card.state.value,
            step=card.step,
            stability=card.stability,
            difficulty=card.difficulty,
            due=card.due,
            last_review=card.last_review,
        )

    def to_fsrs(self) -> fsrs.Card:
        return fsrs.Card(
            card_id=CARD_ID,
            state=fsrs.State(self.state),
            step=self.step,
            stability=self.stability,
            difficulty=self.difficulty,
            due=self.due,
            last_review=self.last_review,
        )


# fsrs's own learning steps (1 and 10 minutes), which the cards use, as Anki does.
CARD_STEPS: tuple[timedelta, ...] = (timedelta(minutes=1), timedelta(minutes=10))
# A question answered right has been recalled, not just seen: it graduates at
# once (due in days); answered wrong, it comes back in 10 minutes.
QUESTION_STEPS: tuple[timedelta, ...] = (timedelta(minutes=10),)


@lru_cache(maxsize=64)
def scheduler(
    desired_retention: float = 0.9, *, fuzz: bool = True, steps: tuple[timedelta, ...] = CARD_STEPS
) -> fsrs.Scheduler:
    """One scheduler per retention target and learning steps; fsrs's default parameters."""
    return fsrs.Scheduler(
        desired_retention=desired_retention, learning_steps=steps, enable_fuzzing=fuzz
    )


def review(
    memory: Memory | None,
    rating: int,
    now: datetime,
    *,
    desired_retention: float = 0.9,
    fuzz: bool = True,
    steps: tuple[timedelta, ...] = CARD_STEPS,
) -> Memory:
    """The item's memory after a review with `rating` at `now` (None: a new item)."""
    if rating not in RATING_LABELS:
        raise ValueError(f"rating must be 1–4, not {rating!r}")
    card = memory.to_fsrs() if memory else fsrs.Card(card_id=CARD_ID, due=now)
    updated, _log = scheduler(desired_retention, fuzz=fuzz, steps=steps).review_card(
        card, fsrs.Rating(rating), review_datetime=now
    )
    return Memory.from_fsrs(updated)


def preview(
    memory: Memory | None, now: datetime, *, desired_retention: float = 0.9
) -> dict[int, timedelta]:
    """How long until the card is due again for each rating (unfuzzed), for the buttons."""
    return {
        rating: review(memory, rating, now, desired_retention=desired_retention, fuzz=False).due
        - now
        for rating in RATING_LABELS
    }


def is_lapse(state_before: int | None, rating: int) -> bool:
    """Forgetting an item in review (重来) counts as a lapse, as in Anki."""
    return state_before == REVIEW and rating == AGAIN


def retrievability(memory: Memory, now: datetime) -> float:
    """FSRS's predicted probability, 0–1, that the learner recalls the item at `now`."""
    return float(scheduler().get_card_retrievability(memory.to_fsrs(), current_datetime=now))


def recall(stability: float | None, last_review: datetime | None, now: datetime) -> float:
    """Predicted recall, 0–1, from the two numbers FSRS needs: what `retrievability`
    gives for a stored memory, without building the rest of it."""
    if stability is None or last_review is None:
        return 0.0
    card = fsrs.Card(card_id=CARD_ID, state=fsrs.State.Review, stability=stability)
    card.last_review = last_review
    return float(scheduler().get_card_retrievability(card, current_datetime=now))


def rating_for_answer(correct: bool, *, wrong_before: bool = False) -> int:
    """How an answer to a question counts as a review: right is 良好, right after
    a wrong answer earlier in the same attempt is 困难, wrong is 重来."""
    if not correct:
        return AGAIN
    return HARD if wrong_before else GOOD


def humanize(interval: timedelta) -> str:
    """An interval as the rating buttons show it: <1 分钟, 10 分钟, 3 小时, 4 天, 2.5 个月, 1.2 年."""
    seconds = interval.total_seconds()
    if seconds < 60:
        return "<1 分钟"
    if seconds < 3600:
        return f"{round(seconds / 60)} 分钟"
    if seconds < 86400:
        return f"{round(seconds / 3600)} 小时"
    days = seconds / 86400
    if days < 30:
        return f"{round(days)} 天"
    if days < 365:
        return f"{days / 30:.1f} 个月".replace(".0 ", " ")
    return f"{days / 365:.1f} 年".replace(".0 ", " ")
