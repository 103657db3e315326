"""Plain dataclasses every format and the generator meet in.

A file is parsed into a `SetDoc`, `store.py` writes a SetDoc to the models in
one transaction, and on the way out the models become a SetDoc that a writer
turns into a file. A new format is one pure module: text ⇄ SetDoc.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from itertools import accumulate
from typing import TypeVar, overload

from flashcards.completeness import card_problems
from quizzes.completeness import question_problems
from quizzes.kinds import Kind
from studysite.chinese import typeset

# The formats' short names for the kinds defined in quizzes.kinds.
SINGLE, MULTIPLE, TRUE_FALSE, FILL_BLANK = (
    Kind.SINGLE,
    Kind.MULTIPLE,
    Kind.TRUE_FALSE,
    Kind.FILL_BLANK,
)
KINDS = tuple(Kind.values)
TRUE_TEXT, FALSE_TEXT = "正确", "错误"


class FormatError(ValueError):
    """A file that cannot be read: says which line and what is wrong."""

    def __init__(self, message: str, line: int | None = None):
        self.line = line
        self.message = message
        super().__init__(f"第 {line} 行\uff1a{message}" if line else message)


# A file's JSON nests a few levels deep; refusing deeper nesting up front keeps
# json.loads from recursing until RecursionError.
MAX_JSON_DEPTH = 20
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_JSON_TOKEN = re.compile(_JSON_STRING.pattern + r"|[\[\]{}]")
_KIND_NAMES = {type(None): "空值\uff08null\uff09", bool: "布尔值", int: "数字", float: "数字", str: "文本",
               list: "列表", dict: "对象"}  # fmt: skip


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def refuse_nul(text: str) -> None:
    """PostgreSQL cannot store NUL; a NUL in a study file is corruption, not content."""
    at = text.find("\x00")
    if at >= 0:
        message = "含有 NUL 空字符\uff08\\x00\uff09\uff0c文件可能已损坏。"
        raise FormatError(message, line_of(text, at))


def loads_json(text: str, where: str = "") -> object:
    """json.loads, with nesting deeper than MAX_JSON_DEPTH refused before parsing.

    Without `where` the text is the whole file and errors name its line; with
    it, the text is a value inside a file (an .apkg column) that `where` names.
    """
    place = f"{where} " if where else ""
    line = None if where else 1
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))  # both in C: fast
    if max(accumulate(1 if char in "[{" else -1 for char in brackets), default=0) > MAX_JSON_DEPTH:
        raise FormatError(
            f"{place}JSON 嵌套太深\uff08超过 {MAX_JSON_DEPTH} 层\uff09。",
            line and line_of(text, _too_deep_at(text)),
        )
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise FormatError(
            f"{place}JSON 格式错误\uff1a{error.msg}。", line and error.lineno
        ) from error


def _too_deep_at(text: str) -> int:
    """Where nesting first passes MAX_JSON_DEPTH (the error path: slower, exact)."""
    depth = 0
    for token in _JSON_TOKEN.finditer(text):
        depth += {"[": 1, "{": 1, "]": -1, "}": -1}.get(token.group(), 0)
        if depth > MAX_JSON_DEPTH:
            return token.start()
    return 0


_T = TypeVar("_T")
_U = TypeVar("_U")


@overload
def expect(value: object, kind: type[_T], where: str, line: int | None = None) -> _T: ...
@overload
def expect(
    value: object, kind: tuple[type[_T], type[_U]], where: str, line: int | None = None
) -> _T | _U: ...
def expect(
    value: object, kind: type | tuple[type, ...], where: str, line: int | None = None
) -> object:
    """`value` if it has the JSON kind a field needs, else a FormatError naming the field."""
    kinds = kind if isinstance(kind, tuple) else (kind,)
    # bool is an int to Python, never to a file
    if isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds):
        return value
    wanted = "或".join(_KIND_NAMES.get(k, k.__name__) for k in kinds)
    if kinds == (int, type(None)):
        wanted = "整数或 null"
    elif kinds == (int,):
        wanted = "整数"
    raise FormatError(
        f"{where} 应为{wanted}\uff0c实际是{_KIND_NAMES.get(type(value), type(value).__name__)}。",
        line,
    )


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

    def problems(self) -> list[str]:
        """What keeps it from being published: the rule admin and review apply too."""
        options = [(choice.text, choice.correct) for choice in self.choices]
        return question_problems(self.kind, self.prompt, options)

    @property
    def complete(self) -> bool:
        return not self.problems()


@dataclass
class CardDoc:
    front: str
    back: str = ""
    section: str = ""
    draft: bool = False
    pk: int | None = None
    source: str = ""

    def problems(self) -> list[str]:
        """What keeps it from being published: the rule admin and review apply too."""
        return card_problems(self.front, self.back)

    @property
    def complete(self) -> bool:
        return not self.problems()


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

    def typeset(self) -> SetDoc:
        """This document with Chinese punctuation in every text people read: how
        content is stored, whichever door it came in by (`studysite.chinese.typeset`)."""
        return replace(
            self,
            title=typeset(self.title),
            description=typeset(self.description),
            notes=[replace(n, title=typeset(n.title), body=typeset(n.body)) for n in self.notes],
            questions=[
                replace(
                    q,
                    prompt=typeset(q.prompt),
                    choices=[replace(c, text=typeset(c.text)) for c in q.choices],
                    explanation=typeset(q.explanation),
                    section=typeset(q.section),
                    source=typeset(q.source),
                )
                for q in self.questions
            ],
            cards=[
                replace(
                    c,
                    front=typeset(c.front),
                    back=typeset(c.back),
                    section=typeset(c.section),
                    source=typeset(c.source),
                )
                for c in self.cards
            ],
        )

    def drafts(self) -> list[str]:
        """The items marked 待完善, as the import report lists them."""
        return [f"题目\uff1a{q.prompt}" for q in self.questions if q.draft] + [
            f"卡片\uff1a{c.front}" for c in self.cards if c.draft
        ]


def refuse_nul_in(doc: SetDoc) -> None:
    """No text of the document holds a NUL (escaped in JSON, or inside an .apkg field)."""
    items: list[object] = [doc, *doc.notes, *doc.questions, *doc.cards]
    items += [choice for question in doc.questions for choice in question.choices]
    for item in items:
        for name, value in vars(item).items():
            if isinstance(value, str) and "\x00" in value:
                label = getattr(item, "front", "") or getattr(item, "prompt", "")
                label = label or getattr(item, "title", "") or getattr(item, "text", "")
                raise FormatError(
                    f"“{label.replace(chr(0), '')[:20]}”的 {name} 含有 NUL 空字符"
                    "\uff08\\x00\uff09\uff0c文件可能已损坏。"
                )
