"""Plain dataclasses every format and the generator meet in.

A file is parsed into a `SetDoc`, `store.py` writes a SetDoc to the models in
one transaction, and on the way out the models become a SetDoc that a writer
turns into a file. A new format is one pure module: text ⇄ SetDoc.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SINGLE, MULTIPLE, TRUE_FALSE, FILL_BLANK = "single", "multiple", "true_false", "fill_blank"
KINDS = (SINGLE, MULTIPLE, TRUE_FALSE, FILL_BLANK)
TRUE_TEXT, FALSE_TEXT = "正确", "错误"


class FormatError(ValueError):
    """A file that cannot be read: says which line and what is wrong."""

    def __init__(self, message: str, line: int | None = None):
        self.line = line
        self.message = message
        super().__init__(f"第 {line} 行:{message}" if line else message)


@dataclass
class ChoiceDoc:
    text: str
    correct: bool = False
    pk: int | None = None


@dataclass
class QuestionDoc:
    prompt: str
    kind: str = SINGLE
    choices: list[ChoiceDoc] = field(default_factory=list)
    explanation: str = ""
    section: str = ""  # the title of the note section it rests on
    draft: bool = False  # 待完善: the source left it incomplete
    pk: int | None = None
    source: str = ""  # the sentence a generated item came from

    @property
    def complete(self) -> bool:
        right = [c for c in self.choices if c.correct]
        if self.kind == FILL_BLANK:
            return bool(right)
        if self.kind in (SINGLE, TRUE_FALSE) and len(right) != 1:
            return False
        return len(self.choices) >= 2 and bool(right)


@dataclass
class CardDoc:
    front: str
    back: str = ""
    section: str = ""
    draft: bool = False
    pk: int | None = None
    source: str = ""

    @property
    def complete(self) -> bool:
        return bool(self.front.strip() and self.back.strip())


@dataclass
class NoteDoc:
    title: str  # "" for the introduction before the first heading
    body: str  # Markdown
    pk: int | None = None


@dataclass
class SetDoc:
    title: str = ""
    slug: str = ""
    description: str = ""
    notes: list[NoteDoc] = field(default_factory=list)
    questions: list[QuestionDoc] = field(default_factory=list)
    cards: list[CardDoc] = field(default_factory=list)
    pk: int | None = None
    skipped: list[str] = field(default_factory=list)  # what a generator left out, one per item

    def drafts(self) -> list[str]:
        """The items marked 待完善, as the import report lists them."""
        return [f"题目:{q.prompt}" for q in self.questions if q.draft] + [
            f"卡片:{c.front}" for c in self.cards if c.draft
        ]
