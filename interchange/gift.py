"""Moodle GIFT ⇄ SetDoc (questions only).

Supported: multiple choice (`=right ~wrong`; several right answers as
`~%50%a ~%50%b ~%-100%c`), true/false (`{T}`, `{TRUE#wrong feedback#right}`),
short answer (`{=a =%100%b =%0%c}`, our fill-in-blank: only answers worth
something are accepted), `::title::`, `####general feedback` (our explanation)
and `$CATEGORY:` lines (the note section: the path's last part, unless it is
Moodle's own `top` or `Default for …` / `默认 用于 …` category).

As Moodle's question bank exports it: a text may start with its format,
`[html]` (made text), `[markdown]`, `[moodle]` or `[plain]` (kept as written),
and answers and feedback inherit the question's format unless they name
their own; per-answer feedback (`#…`) is dropped. Matching, numeric and essay
questions are refused by name. Special characters ~ = # { } : are escaped
with a backslash, a line break as `\n`.
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
    ChoiceDoc,
    FormatError,
    QuestionDoc,
    SetDoc,
)
from interchange.markup import html_to_text
from studysite.chinese import COLON, one_of

_SPECIAL = "~=#{}:"
# `$CATEGORY:` as typed with a Chinese input method too: `$CATEGORY\uff1a`.
_CATEGORY = re.compile(rf"\$CATEGORY{one_of(COLON)}")
_ESCAPE = re.compile(r"([~=#{}:])")
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_FORMAT = re.compile(r"^\[(html|markdown|moodle|plain)\]", re.IGNORECASE)
# Moodle's own category names: no section of ours.
_MOODLE_ROOTS = {"$course$", "$module$", "$system$", "$cat$", "top", ""}
_MOODLE_DEFAULT = re.compile(r"^(Default for |默认 ?用于 ?)")
# Moodle accepts only these fractions; 100/n for n right answers is among them.
_FRACTIONS = {1: "100", 2: "50", 3: "33.33333", 4: "25", 5: "20", 6: "16.66667", 7: "14.28571",
              8: "12.5", 9: "11.11111", 10: "10"}  # fmt: skip


def escape(text: str) -> str:
    return _ESCAPE.sub(r"\\\1", text.replace("\\", "\\\\")).replace("\n", "\\n")


def _unescape(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append("\n" if nxt == "n" else nxt)
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out).strip()


def _split_unescaped(text: str, marks: str) -> list[tuple[str, str]]:
    """Split `text` at unescaped marks; returns (mark, piece) pairs."""
    pieces, mark, buf, i = [], "", [], 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            buf.append(text[i : i + 2])
            i += 2
            continue
        if char in marks:
            pieces.append((mark, "".join(buf)))
            mark, buf = char, []
        else:
            buf.append(char)
        i += 1
    pieces.append((mark, "".join(buf)))
    return pieces


def _find_unescaped(text: str, char: str, start: int = 0) -> int:
    i = start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == char:
            return i
        i += 1
    return -1


def _text_format(text: str, inherited: str) -> tuple[str, str]:
    """(format, text without its `[format]` mark); without a mark, the inherited one."""
    text = text.strip()
    found = _FORMAT.match(text)
    return (found.group(1).lower(), text[found.end() :]) if found else (inherited, text)


def _as_text(text: str, text_format: str) -> str:
    """Unescaped; HTML made text. Markdown, Moodle's auto-format and plain stay as written."""
    text = _unescape(text)
    return html_to_text(text) if text_format == "html" else text


def looks_like(text: str) -> bool:
    return bool(re.search(r"\{[^}]*[=~][^}]*\}|\{\s*(T|F|TRUE|FALSE)\s*\}", text))


def parse(text: str) -> SetDoc:
    doc = SetDoc()
    category = ""
    block: list[tuple[int, str]] = []

    def flush() -> None:
        if block:
            doc.questions.append(_question(block, category))
            block.clear()

    for number, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        line = raw.rstrip()
        stripped = line.strip()
        if stripped.startswith("//"):
            continue
        if header := _CATEGORY.match(stripped):
            flush()
            category = stripped[header.end() :].strip().rsplit("/", 1)[-1].strip()
            if category.lower() in _MOODLE_ROOTS or _MOODLE_DEFAULT.match(category):
                category = ""
            continue
        if not stripped:
            flush()
            continue
        block.append((number, line))
    flush()
    if not doc.questions:
        raise FormatError("文件里没有 GIFT 题目。", 1)
    return doc


def _question(block: list[tuple[int, str]], section: str) -> QuestionDoc:
    first = block[0][0]
    text = "\n".join(line for _, line in block).strip()
    if text.startswith("::"):
        end = text.find("::", 2)
        if end < 0:
            raise FormatError("题目标题缺少结尾的 “::”。", first)
        text = text[end + 2 :].strip()
    text_format, text = _text_format(text, "moodle")
    open_at = _find_unescaped(text, "{")
    close_at = _find_unescaped(text, "}", open_at + 1) if open_at >= 0 else -1
    if open_at < 0 or close_at < 0:
        raise FormatError("找不到答案部分 “{…}”。", first)
    prompt = _as_text(text[:open_at] + " " + text[close_at + 1 :], text_format)
    answers = text[open_at + 1 : close_at].strip()
    if not prompt:
        raise FormatError("题干是空的。", first)
    explanation = ""
    feedback_at = answers.find("####")
    if feedback_at >= 0:
        explanation = _as_text(*reversed(_text_format(answers[feedback_at + 4 :], text_format)))
        answers = answers[:feedback_at].strip()
    if not answers:
        raise FormatError(
            "不支持的 GIFT 题型\uff1a问答题\uff08essay\uff0c需要人工评分\uff09。", first
        )
    truth_at = _find_unescaped(answers, "#")  # {TRUE#wrong answer's feedback#right one's}
    truth_text = (answers[:truth_at] if truth_at > 0 else answers).strip().upper()
    if truth_text in {"T", "TRUE", "F", "FALSE"}:
        truth = truth_text.startswith("T")
        choices = [ChoiceDoc(TRUE_TEXT, truth), ChoiceDoc(FALSE_TEXT, not truth)]
        return QuestionDoc(prompt, TRUE_FALSE, choices, explanation, section)
    if answers.startswith("#"):
        raise FormatError("不支持的 GIFT 题型\uff1a数值题。", first)
    if "->" in answers:
        raise FormatError("不支持的 GIFT 题型\uff1a匹配题。", first)
    choices = []
    for mark, piece in _split_unescaped(answers, "=~"):
        if not mark:
            if piece.strip():
                raise FormatError(f"答案前缺少 “=” 或 “~”\uff1a“{piece.strip()[:20]}”", first)
            continue
        feedback_at = _find_unescaped(piece, "#")  # per-answer feedback is dropped
        text_part = piece[:feedback_at] if feedback_at >= 0 else piece
        weight = _WEIGHT.match(text_part.strip())
        answer_format, answer = _text_format(_WEIGHT.sub("", text_part.strip()), text_format)
        body = _as_text(answer, answer_format)
        if not body:
            raise FormatError("有一个答案是空的。", first)
        correct = float(weight.group(1)) > 0 if weight else mark == "="
        choices.append(ChoiceDoc(body, correct))
    if not choices:
        raise FormatError("答案部分是空的。", first)
    if all(mark == "=" for mark, piece in _split_unescaped(answers, "=~") if mark):
        accepted = [choice for choice in choices if choice.correct]
        if not accepted:
            raise FormatError("没有标出正确答案。", first)
        return QuestionDoc(prompt, FILL_BLANK, accepted, explanation, section)
    right = sum(choice.correct for choice in choices)
    if right == 0:
        raise FormatError("没有标出正确答案。", first)
    kind = MULTIPLE if right > 1 else SINGLE
    return QuestionDoc(prompt, kind, choices, explanation, section)


def write(doc: SetDoc) -> str:
    out = [f"// {doc.title or 'StudySite'}:由学习站导出的 Moodle GIFT 题目", ""]
    category = None
    for number, question in enumerate(doc.questions, start=1):
        if question.draft or not question.complete:
            continue  # GIFT cannot hold an unfinished question
        if question.section != category:
            category = question.section
            out += [
                f"$CATEGORY: {doc.title or 'StudySite'}/{category}"
                if category
                else "$CATEGORY: $course$",
                "",
            ]
        feedback = f"\n####{escape(question.explanation)}" if question.explanation else ""
        head = f"::Q{number}:: {escape(question.prompt)} {{"
        if question.kind == TRUE_FALSE:
            truth = next(c for c in question.choices if c.correct).text == TRUE_TEXT
            out.append(f"{head}{'T' if truth else 'F'}{feedback}\n}}")
        elif question.kind == FILL_BLANK:
            answers = "".join(f"\n={escape(c.text)}" for c in question.choices if c.correct)
            out.append(f"{head}{answers}{feedback}\n}}")
        elif question.kind == MULTIPLE:
            share = _FRACTIONS.get(sum(c.correct for c in question.choices), "10")
            answers = "".join(
                f"\n~%{share if c.correct else '-100'}%{escape(c.text)}" for c in question.choices
            )
            out.append(f"{head}{answers}{feedback}\n}}")
        else:
            answers = "".join(
                f"\n{'=' if c.correct else '~'}{escape(c.text)}" for c in question.choices
            )
            out.append(f"{head}{answers}{feedback}\n}}")
        out.append("")
    return "\n".join(out)
