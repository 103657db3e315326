"""Mastery per note section: how well a learner will remember a section's cards
and questions a week from now if they do not review them before then, as FSRS
predicts it (`item_recall`). Pure: the memories and the time come from the caller.

Notes (layer 1) and quizzes (layer 2) show mastery, but it is worked out from
both cards and questions, which only a higher layer (progress) may read. So it
is asked for through `for_sections`, and progress registers the function that
answers (progress.apps): the apps below call down to here, never up.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from learners import scheduling

# Mean item_recall (a week ahead) at or above which a section is 掌握, or 一般;
# below FAIR it is 薄弱. A section whose items the learner has not met is 未学.
MASTERED, FAIR = 0.85, 0.6
LABELS = {"strong": "掌握", "fair": "一般", "weak": "薄弱", "new": "未学"}
# Mastery is the recall FSRS predicts this far ahead, if the learner does not
# review before then. Recall *now* says nothing right after study: it is about
# 100 % straight after any answer, right or wrong. A week ahead, with our
# parameters: one wrong answer 58 % (薄弱), one right 81 % (一般), right twice
# at the due date 93 % (掌握), right then wrong 68 % (一般); and it still fades.
MASTERY_HORIZON = timedelta(days=7)
# An item FSRS is still (re)learning: every wrong answer (重来) puts it in the
# learning or relearning state, and only a right answer takes it out. Such an
# item counts at most this, just under 掌握 and shown as 84 %: FSRS alone gives
# 87–94 % a week ahead to an item answered wrong after months of right answers,
# or an hour after three, and a wrong latest answer is no mastery.
LEARNING_CEILING = 0.84


def item_recall(
    stability: float | None, last_review: datetime | None, state: int, now: datetime
) -> float:
    """One card's or question's part in its section's mastery, from its stored
    memory: predicted recall at now + MASTERY_HORIZON, at most LEARNING_CEILING
    while it is being (re)learnt. The one place mastery's recall is reckoned."""
    recall = scheduling.recall(stability, last_review, now + MASTERY_HORIZON)
    return recall if state == scheduling.REVIEW else min(recall, LEARNING_CEILING)


@dataclass(frozen=True)
class SectionMastery:
    """One section for one learner: mean recall a week ahead (item_recall) over
    the items met, and how many items (published cards and questions) they have
    not met yet."""

    note_id: int
    recall: float | None  # None: no item met yet
    met: int
    unmet: int
    # Filled in by the provider, for pages that show or match sections by them.
    title: str = field(default="", compare=False)
    url: str = field(default="", compare=False)  # where the section is in the notes

    @property
    def level(self) -> str:
        """strong, fair, weak or new: the mark's class (its colour)."""
        if self.recall is None:
            return "new"
        if self.recall >= MASTERED:
            return "strong"
        return "fair" if self.recall >= FAIR else "weak"

    @property
    def label(self) -> str:
        """掌握, 一般, 薄弱 or 未学: the mark's words (never colour alone)."""
        return LABELS[self.level]

    @property
    def percent(self) -> int | None:
        return None if self.recall is None else round(self.recall * 100)


def summarize(
    recalls: Iterable[tuple[int | None, float]], totals: Mapping[int, int]
) -> dict[int, SectionMastery]:
    """{note id: its mastery} from (note id, item_recall) per item met and
    {note id: published items in it}. Items outside any section are left out."""
    met: dict[int, list[float]] = defaultdict(list)
    for note_id, recall in recalls:
        if note_id is not None:
            met[note_id].append(recall)
    return {
        note_id: SectionMastery(
            note_id=note_id,
            recall=sum(met[note_id]) / len(met[note_id]) if met[note_id] else None,
            met=len(met[note_id]),
            unmet=max(0, total - len(met[note_id])),
        )
        for note_id, total in totals.items()
    }


Provider = Callable[[Any, Any, datetime], dict[int, SectionMastery]]
_providers: list[Provider] = []


def register(provider: Provider) -> None:
    """Called once by the app that can read memories (progress.apps)."""
    if provider not in _providers:
        _providers.append(provider)


def for_sections(user: Any, study_set: Any, now: datetime) -> dict[int, SectionMastery]:
    """{note id: mastery} for a learner in a set; {} for anonymous visitors."""
    if not getattr(user, "is_authenticated", False) or not _providers:
        return {}
    return _providers[0](user, study_set, now)
