"""Learning analytics, the arithmetic only. Pure: no ORM; the views aggregate in SQL.

Item analysis follows classical test theory:
- facility index: the share of responses that are right;
- discrimination index: facility in the top 27 % of learners (by total score)
  minus facility in the bottom 27 %;
- an item is flagged too easy above 0.95, too hard below 0.20, and suspect
  when its discrimination is negative (strong learners miss it more);
- but only once it has MIN_RESPONSES responses: below that a single learner
  swings the numbers, and the item is marked 样本太少 instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

GROUP_SHARE = 0.27
TOO_EASY, TOO_HARD = 0.95, 0.20
MIN_RESPONSES = 5


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def groups(
    scores: Mapping[int, float], group_share: float = GROUP_SHARE
) -> tuple[set[int], set[int]]:
    """The top and bottom `group_share` of learners by score (ties broken by id).

    Fewer than two learners make no groups: there is nothing to compare.
    """
    if len(scores) < 2:
        return set(), set()
    size = max(1, round(len(scores) * group_share))
    ranked = sorted(scores, key=lambda learner: (-scores[learner], learner))
    return set(ranked[:size]), set(ranked[-size:])


@dataclass
class ItemStats:
    question_id: int
    responses: int = 0
    right: int = 0
    top_right: int = 0
    top_total: int = 0
    bottom_right: int = 0
    bottom_total: int = 0
    distractors: dict[int, int] = field(default_factory=dict)  # wrong option id -> picks

    @property
    def facility(self) -> float | None:
        return share(self.right, self.responses)

    @property
    def discrimination(self) -> float | None:
        top, bottom = (
            share(self.top_right, self.top_total),
            share(self.bottom_right, self.bottom_total),
        )
        if top is None or bottom is None:
            return None
        return top - bottom

    @property
    def too_few_responses(self) -> bool:
        """Answered, but too seldom for its numbers to mean anything yet."""
        return 0 < self.responses < MIN_RESPONSES

    @property
    def flags(self) -> list[str]:
        if self.responses < MIN_RESPONSES:
            return []
        out = []
        if self.facility is not None and self.facility > TOO_EASY:
            out.append("太容易")
        if self.facility is not None and self.facility < TOO_HARD:
            out.append("太难")
        if self.discrimination is not None and self.discrimination < 0:
            out.append("区分度为负")
        return out


def true_retention(recalled: int, reviews: int) -> float | None:
    """Share of reviews of mature (review-state) cards that were not forgotten."""
    return share(recalled, reviews)


def streaks(days: Iterable[date], today: date) -> tuple[int, int]:
    """(current, longest) runs of consecutive study days; the current run may end
    yesterday, since today is not over."""
    studied = set(days)
    longest = run = 0
    previous = None
    for day in sorted(studied):
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    current = 0
    day = today if today in studied else today - timedelta(days=1)
    while day in studied:
        current += 1
        day -= timedelta(days=1)
    return current, longest
