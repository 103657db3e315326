"""The one grading rule for every question kind. Pure: no ORM, no request.

Choice questions are all-or-nothing: the answer is right when the chosen
options are exactly the right ones. The verdict still says which chosen
options were right, which were wrong and which right ones were missed, so a
multiple-choice learner sees partial correctness. Fill-in-blank answers are
compared after NFKC (full-width → half-width), case folding, removing all
whitespace, reading 、。 and Chinese quotes as their ASCII twins, and dropping
a closing full stop: `自注意力。` typed with an input method is `自注意力`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from quizzes.kinds import CHOICE_KINDS, Kind
from studysite.chinese import ascii_twins

_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Fold width, case, spacing and marks so 'ＧＰＴ－３。' and 'gpt-3' compare equal."""
    folded = _SPACE.sub("", ascii_twins(unicodedata.normalize("NFKC", text)).casefold())
    return folded.removesuffix(".") or folded


@dataclass(frozen=True)
class Verdict:
    correct: bool
    chosen: frozenset[int] = frozenset()
    right: frozenset[int] = frozenset()
    response: str = ""

    @property
    def score(self) -> int:
        return 1 if self.correct else 0

    @property
    def chosen_right(self) -> frozenset[int]:
        return self.chosen & self.right

    @property
    def chosen_wrong(self) -> frozenset[int]:
        return self.chosen - self.right

    @property
    def missed(self) -> frozenset[int]:
        return self.right - self.chosen


def grade(
    kind: str,
    *,
    right: Iterable[int] = (),
    chosen: Iterable[int] = (),
    accepted: Iterable[str] = (),
    response: str = "",
) -> Verdict:
    """Grade one answer. `right`/`chosen` are option ids; `accepted` the blank's answers."""
    if kind == Kind.FILL_BLANK:
        given = normalise(response)
        ok = bool(given) and given in {normalise(answer) for answer in accepted}
        return Verdict(correct=ok, response=response)
    if kind not in CHOICE_KINDS:
        raise ValueError(f"unknown question kind: {kind!r}")
    right_set, chosen_set = frozenset(right), frozenset(chosen)
    return Verdict(
        correct=bool(chosen_set) and chosen_set == right_set, chosen=chosen_set, right=right_set
    )
