"""What a learner sees of a question in one attempt: a frozen snapshot.

An attempt stores, for each of its questions, the prompt, the options in the
order this learner sees them (shuffled once, on the server), which are right,
and the explanation — as they were when the attempt started. Grading, the
quiz page and the results page all read this snapshot, so editing a question
in admin never changes a result already stored. Pure: no ORM.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from quizzes.grading import Verdict, grade
from quizzes.kinds import CHOICE_KINDS, Kind, label

_RANDOM = random.SystemRandom()


@dataclass(frozen=True)
class OptionSnapshot:
    id: int
    text: str
    correct: bool


@dataclass(frozen=True)
class Item:
    """One question of an attempt, as snapshotted."""

    position: int  # 0-based place in the attempt
    question_id: int
    kind: str
    prompt: str
    explanation: str
    note_title: str
    note_url: str
    options: tuple[OptionSnapshot, ...]  # in the learner's order; the blank's accepted answers

    @property
    def number(self) -> int:
        return self.position + 1

    @property
    def kind_label(self) -> str:
        return label(self.kind)

    @property
    def is_multiple(self) -> bool:
        return self.kind == Kind.MULTIPLE

    @property
    def is_fill_blank(self) -> bool:
        return self.kind == Kind.FILL_BLANK

    @property
    def right_ids(self) -> frozenset[int]:
        return frozenset(option.id for option in self.options if option.correct)

    @property
    def right_texts(self) -> list[str]:
        return [option.text for option in self.options if option.correct]

    @property
    def right_answer(self) -> str:
        """The right answers as one line, joined with ；. Each but the last loses its
        own closing 。, so two sentences read 甲；乙。 and never 甲。；乙。"""
        *first, last = self.right_texts or [""]
        return "\uff1b".join([*(text.rstrip("\u3002\uff1b;.") for text in first), last])

    def grade(self, chosen: Iterable[int] = (), response: str = "") -> Verdict:
        if self.kind in CHOICE_KINDS:
            return grade(self.kind, right=self.right_ids, chosen=chosen)
        return grade(self.kind, accepted=self.right_texts, response=response)

    def to_json(self) -> dict[str, object]:
        return {
            "question": self.question_id,
            "kind": self.kind,
            "prompt": self.prompt,
            "explanation": self.explanation,
            "note_title": self.note_title,
            "note_url": self.note_url,
            "options": [[o.id, o.text, o.correct] for o in self.options],
        }

    @classmethod
    def from_json(cls, position: int, data: dict[str, Any]) -> Item:
        """`data` is `to_json()` read back from the database: decoded JSON, so Any."""
        return cls(
            position=position,
            question_id=data["question"],
            kind=data["kind"],
            prompt=data["prompt"],
            explanation=data["explanation"],
            note_title=data["note_title"],
            note_url=data["note_url"],
            options=tuple(OptionSnapshot(*option) for option in data["options"]),
        )


def snapshot(
    position: int,
    *,
    question_id: int,
    kind: str,
    prompt: str,
    explanation: str,
    note_title: str,
    note_url: str,
    options: Iterable[OptionSnapshot],
    shuffle: Callable[[list[OptionSnapshot]], None] = _RANDOM.shuffle,
) -> Item:
    """Freeze a question for one attempt, its options shuffled (true/false keeps 正确 first)."""
    ordered = list(options)
    if kind in CHOICE_KINDS and kind != Kind.TRUE_FALSE:
        shuffle(ordered)
    return Item(
        position, question_id, kind, prompt, explanation, note_title, note_url, tuple(ordered)
    )


@dataclass(frozen=True)
class SectionScore:
    """How one note section went in an attempt: 答对 `right` of `total`."""

    title: str  # the note section's title; "" for questions without one
    url: str  # where that section is in the notes; "" when none
    right: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.right / self.total) if self.total else 0


def section_scores(results: Iterable[tuple[Item, bool]]) -> list[SectionScore]:
    """答对 x / y per note section, weakest first.

    `results` pairs each item with whether it was answered right. Weakest is the
    lowest share right; ties put the section with more misses first, then keep
    the order the sections were first met in.
    """
    tally: dict[tuple[str, str], list[int]] = {}
    for item, right in results:
        counts = tally.setdefault((item.note_title, item.note_url), [0, 0])
        counts[0] += bool(right)
        counts[1] += 1
    scores = [
        SectionScore(title, url, right, total) for (title, url), (right, total) in tally.items()
    ]
    return sorted(scores, key=lambda s: (s.right / s.total, -(s.total - s.right)))
