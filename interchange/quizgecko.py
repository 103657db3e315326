"""Quizgecko-style study page exports ⇄ SetDoc.

The format, as in the 大模型 source: section lines `Podcast`, `Questions and
Answers`, `Flashcards`, `Study Notes`, then marketing lines from `Studying
That Suits You` on. Each question prompt and each card front is printed
twice; options are `- text`, the right ones ending ` (correct)`; a locked card
back reads `Signup and view all the flashcards`. In the notes, `- ` lines are
bullets, other lines headings, and a bullet ending in a colon heads the
bullets under it. What the page leaves incomplete (no options, no right
option, a locked back) comes in marked draft (待完善).
"""

from __future__ import annotations

import re

from interchange.document import (
    FALSE_TEXT,
    FILL_BLANK,
    MULTIPLE,
    SINGLE,
    TRUE_FALSE,
    TRUE_TEXT,
    CardDoc,
    ChoiceDoc,
    FormatError,
    NoteDoc,
    QuestionDoc,
    SetDoc,
)
from studysite.chinese import CLOSE_PAREN, COLON, OPEN_PAREN, one_of

PODCAST, QUESTIONS, FLASHCARDS, NOTES = (
    "Podcast",
    "Questions and Answers",
    "Flashcards",
    "Study Notes",
)
SECTIONS = (PODCAST, QUESTIONS, FLASHCARDS, NOTES)
END_MARKERS = ("Studying That Suits You",)
LOCKED = "Signup and view all the flashcards"
CORRECT = "(correct)"
# The mark as typed with a Chinese input method too: （correct）.
_CORRECT = re.compile(
    rf"\s*{one_of(OPEN_PAREN)}\s*correct\s*{one_of(CLOSE_PAREN)}\Z", re.IGNORECASE
)


def looks_like(text: str) -> bool:
    lines = {line.strip() for line in text.splitlines()}
    return sum(section in lines for section in SECTIONS) >= 2


def parse(text: str) -> SetDoc:
    lines = text.lstrip("\ufeff").splitlines()
    stripped = [line.strip() for line in lines]
    if not looks_like(text):
        raise FormatError(
            "不是 Quizgecko 导出格式\uff1a找不到 “Questions and Answers”“Flashcards”“Study Notes” 等分节行。",
            1,
        )
    parts: dict[str, list[tuple[int, str]]] = {name: [] for name in SECTIONS}
    current = None
    for number, line in enumerate(stripped, start=1):
        if line in END_MARKERS:
            break
        if line in SECTIONS:
            current = line
            continue
        if not line:
            continue
        if current is None:
            raise FormatError(f"第一个分节行之前出现了内容\uff1a“{line[:30]}”", number)
        parts[current].append((number, line))
    notes = _notes(parts[NOTES])
    return SetDoc(
        notes=notes,
        questions=_questions(parts[QUESTIONS]),
        cards=_cards(parts[FLASHCARDS], notes),
    )


def _questions(lines: list[tuple[int, str]]) -> list[QuestionDoc]:
    questions: list[QuestionDoc] = []
    seen: dict[str, QuestionDoc] = {}
    previous = None
    for number, line in lines:
        if line.startswith("- ") or line == "-":
            if not questions or previous is None:
                raise FormatError("选项前面没有题目。", number)
            text = line[2:].strip()
            mark = _CORRECT.search(text)
            text = text[: mark.start()].strip() if mark else text
            if not text:
                raise FormatError("选项是空的。", number)
            questions[-1].choices.append(ChoiceDoc(text, mark is not None))
            continue
        if line == previous:  # every prompt is printed twice
            continue
        previous = line
        if line in seen:  # the same question again: keep one
            questions.append(questions.pop(questions.index(seen[line])))
            continue
        question = QuestionDoc(prompt=line)
        seen[line] = question
        questions.append(question)
    for question in questions:
        right = sum(choice.correct for choice in question.choices)
        question.kind = MULTIPLE if right > 1 else SINGLE
        if [choice.text for choice in question.choices] == [TRUE_TEXT, FALSE_TEXT]:
            question.kind = TRUE_FALSE
        question.draft = not question.complete
    return questions


def _cards(lines: list[tuple[int, str]], notes: list[NoteDoc]) -> list[CardDoc]:
    cards: dict[str, CardDoc] = {}
    i = 0
    while i < len(lines):
        number, front = lines[i]
        if i + 1 < len(lines) and lines[i + 1][1] == front:
            i += 1  # the front is printed twice
        if i + 1 >= len(lines):
            raise FormatError(f"卡片“{front[:30]}”缺少背面。", number)
        back = lines[i + 1][1]
        i += 2
        back = "" if back == LOCKED else back
        card = cards.get(front)
        if card is None:
            cards[front] = CardDoc(front=front, back=back, section=_section_of(front, notes))
        elif back and not card.back:
            card.back = back
    for card in cards.values():
        card.draft = not card.complete
    return list(cards.values())


def _section_of(term: str, notes: list[NoteDoc]) -> str:
    """The first titled section whose text mentions the term."""
    return next((note.title for note in notes if note.title and term in note.body), "")


def _notes(lines: list[tuple[int, str]]) -> list[NoteDoc]:
    sections: list[tuple[str, list[str]]] = [("", [])]
    for _number, line in lines:
        if line.startswith("- "):
            sections[-1][1].append(line[2:].strip())
        else:
            sections.append((line, []))
    notes = []
    for title, bullets in sections:
        if not title and not bullets:
            continue
        body, nested = [], False
        for bullet in bullets:
            if bullet.endswith(tuple(COLON)):
                body.append(f"- {bullet}")
                nested = True
            else:
                body.append(f"    - {bullet}" if nested else f"- {bullet}")
        notes.append(NoteDoc(title=title, body="\n".join(body) + "\n" if body else ""))
    return notes


def write(doc: SetDoc) -> str:
    """The same layout back: prompts and fronts twice, marks, notes as bullets."""
    out = [PODCAST, QUESTIONS]
    for question in doc.questions:
        if question.kind == FILL_BLANK:
            continue  # the page has no fill-in-blank: its one answer would read as one option
        out += [question.prompt, question.prompt]
        for choice in question.choices:
            out.append(f"- {choice.text}{' ' + CORRECT if choice.correct else ''}")
    out.append(FLASHCARDS)
    for card in doc.cards:
        out += [card.front, card.front, card.back or LOCKED]
    out.append(NOTES)
    for note in doc.notes:
        if note.title:
            out.append(note.title)
        for line in note.body.splitlines():
            if line.strip().startswith("- "):
                out.append("- " + line.strip()[2:])
    return "\n".join(out) + "\n"
