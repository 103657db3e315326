"""Notes text → a study set (SetDoc), embedded: no network, deterministic, fast.

What it finds in the text, and only there:
- structure: Markdown or plain-text headings, bullets (a bullet ending in a
  colon heads the bullets under it) and paragraphs become note sections;
- definitions: `术语:定义` lines and sentences `X是…`, `X指…`, `X是指…`;
- flashcards: one per definition;
- questions, rotating kinds: which description fits a term (the other options
  are other definitions from the same material), which term a description
  names, true/false made by swapping in another term, and fill-in-blank on a
  key term of a sentence (rjieba segmentation).
Every right answer is text of the source; options never repeat, and a term
that contains another (模型压缩 / 模型压缩和加速) is never offered against it.
Every item keeps the sentence it came from and starts as a draft.
A set holds at most MAX_CARDS cards and MAX_QUESTIONS questions; the definitions
beyond are listed in SetDoc.skipped. The work is linear in the notes: the
distractors for a definition come from a bounded window of its neighbours.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

import rjieba

from interchange.document import (
    FALSE_TEXT,
    FILL_BLANK,
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
from studysite.chinese import (
    CLAUSE_END,
    CLOSE_PAREN,
    COLON,
    COMMA,
    FULL_STOP,
    LIST_COMMA,
    QUOTES,
    SEMICOLON,
    none_of,
    one_of,
)

MAX_BLANKS = 12
MAX_BLANK_SENTENCE = 200  # characters; also bounds the work of finding its key term
# A set holds at most this many items; the definitions beyond are listed in
# SetDoc.skipped, so a long text cannot make a set nobody can review.
MAX_CARDS = 300
# Past this many sections a heading-like line is text of the last one: 9,000
# one-line "sections" made the notes page 4 MB and every search over them slow.
MAX_SECTIONS = 60
MAX_QUESTIONS = 300
# Distractors come from this many definitions on each side of the one asked.
WINDOW = 64
OPTIONS = 4
_BULLET = re.compile(rf"^\s*(?:[-*•·]|\d+{one_of('.', LIST_COMMA, CLOSE_PAREN)})\s+")
# The closing #s are cut by _heading(): `(.+?)\s*#*\s*$` backtracks cubically on a
# run of spaces (a line of 2,000 spaces took minutes).
_HEADING_MD = re.compile(r"^\s*#{1,6}\s+(.+)$")
_SPACES = re.compile(r"\s+")
_SENTENCE = re.compile(f"{none_of(CLAUSE_END)}+{one_of(CLAUSE_END)}?")
_SPACE_OR_QUOTE = " \t\u3000" + QUOTES
# A term ends at the first colon, comma or stop, ASCII or full-width (术语:定义, 术语：定义).
_NOT_TERM_END = none_of(COLON, COMMA, CLAUSE_END)
_TERM_COLON = re.compile(rf"^\s*({_NOT_TERM_END}{{1,20}}?)\s*{one_of(COLON)}\s*(.{{4,}})$")
_TERM_IS = re.compile(
    rf"^\s*((?:(?!\s){_NOT_TERM_END}){{2,14}}?)(?:通常|一般|主要|就|也|都)?(?:是指|指的是|指|是)(.{{4,}})$"
)
_PRONOUNS = (
    "这",
    "那",
    "它",
    "他",
    "她",
    "我们",
    "你",
    "其",
    "该",
    "此",
    "每",
    "一些",
    "有些",
    "所有",
)
_KEY_POS = {"n", "nz", "vn", "nr", "ns", "nt", "eng", "l", "i"}
# Nouns too general to be the point of a sentence: blanking them tests nothing.
_GENERIC = {
    "领域",
    "方式",
    "方法",
    "问题",
    "能力",
    "结果",
    "任务",
    "过程",
    "部分",
    "方面",
    "类别",
    "位置",
    "用户",
    "时代",
    "基础",
    "概念",
    "情况",
    "作用",
    "内容",
    "形式",
    "特点",
}


@dataclass(frozen=True)
class Sentence:
    text: str
    section: str


@dataclass(frozen=True)
class Definition:
    term: str
    definition: str
    sentence: str
    section: str


def _norm(text: str) -> str:
    return _SPACES.sub("", unicodedata.normalize("NFKC", text)).casefold()


def _stable(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _heading(line: str) -> str | None:
    """A Markdown heading's title, without the closing #s; None for any other line."""
    match = _HEADING_MD.match(line)
    if match is None:
        return None
    title = match.group(1)
    return title[: max(1, len(title.rstrip().rstrip("#").rstrip()))].strip()


def _is_plain_heading(line: str, following: str | None) -> bool:
    text = line.strip()
    return (
        0 < len(text) <= 16
        and text[-1] not in CLAUSE_END + COMMA + COLON
        and following is not None
        and _heading(following) is None
    )


def parse(text: str) -> tuple[list[NoteDoc], list[Sentence]]:
    """Sections as Markdown notes, and the sentences (bullets, clauses) in them."""
    lines = [
        line.rstrip() for line in unicodedata.normalize("NFC", text.lstrip("\ufeff")).splitlines()
    ]
    nonblank = [line for line in lines if line.strip()]
    sections: list[tuple[str, list[str]]] = [("", [])]
    sentences: list[Sentence] = []
    nested = False
    for index, line in enumerate(nonblank):
        following = nonblank[index + 1] if index + 1 < len(nonblank) else None
        heading = _heading(line)
        is_heading = heading is not None or (
            not _BULLET.match(line) and _is_plain_heading(line, following)
        )
        if is_heading and len(sections) <= MAX_SECTIONS:
            sections.append((line.strip() if heading is None else heading, []))
            nested = False
            continue
        title, body = sections[-1]
        bullet = _BULLET.match(line)
        content = line[bullet.end() :].strip() if bullet else line.strip()
        indented = (
            bullet and line[: bullet.start() + 1].startswith((" ", "\t")) and line[0] in " \t"
        )
        if bullet:
            if content.endswith(tuple(COLON)):
                body.append(f"- {content}")
                nested = True
            elif nested or indented:
                body.append(f"    - {content}")
            else:
                body.append(f"- {content}")
        else:
            nested = False
            body.append(content)
            body.append("")
        sentences += [Sentence(part, title) for part in _split(content)]
    notes = [
        NoteDoc(title, "\n".join(body).strip() + "\n")
        for title, body in sections
        if title or any(body)
    ]
    return notes, sentences


def _split(text: str) -> list[str]:
    """A bullet or paragraph as sentences; a 术语:定义 bullet stays whole."""
    if _TERM_COLON.match(text):
        return [text]
    parts = _SENTENCE.findall(text)
    return [part.strip() for part in parts if len(part.strip()) >= 4]


def definitions(sentences: list[Sentence]) -> list[Definition]:
    found: dict[str, Definition] = {}
    for sentence in sentences:
        text = sentence.text.strip()
        match = _TERM_COLON.match(text)
        if match is None:
            match = _TERM_IS.match(text)
            if match and match.group(1).startswith(_PRONOUNS):
                match = None
        if not match:
            continue
        term = match.group(1).strip(_SPACE_OR_QUOTE)
        # The closing stops, as a set of characters: re.sub("[。.;]+$") backtracked
        # quadratically on a run of 。 inside the definition.
        definition = match.group(2).strip().rstrip(FULL_STOP + "." + SEMICOLON)
        if len(term) < 1 or len(definition) < 4 or _norm(term) in found:
            continue
        found[_norm(term)] = Definition(term, definition, text, sentence.section)
    return list(found.values())


def _related(a: str, b: str) -> bool:
    """Terms too close to be told apart by the text: one contains the other."""
    return a in b or b in a


def _pick(candidates: list, key, count: int, seed: str, label=str) -> list:
    """Up to `count` candidates, same section first, then a stable pseudo-random order."""
    return sorted(candidates, key=lambda c: (key(c), _stable(seed + label(c))))[:count]


def _options(right: str, wrong: list[str], seed: str) -> list[ChoiceDoc]:
    choices = [ChoiceDoc(right, True)] + [ChoiceDoc(text, False) for text in wrong]
    return sorted(choices, key=lambda c: _stable(seed + c.text))


def _explain(d_section: str, sentence: str) -> str:
    where = f"「{d_section}」" if d_section else "笔记"
    return f"依据{where}:{sentence}"


class _Neighbours:
    """Each definition's candidate distractors: a bounded window around it.

    Up to WINDOW definitions on each side of it in its own section, and up to
    WINDOW on each side in the whole list (for other sections' ones), minus the
    terms too close to it. Bounded work per definition, so the whole set is
    linear in the notes; on notes with no more than WINDOW + 1 definitions the
    window is all of them.
    """

    def __init__(self, defs: list[Definition]):
        self.defs = defs
        self.terms = [_norm(d.term) for d in defs]
        self.label = {d: str(d) for d in defs}.__getitem__  # what _pick hashes
        self.by_section: dict[str, list[int]] = {}
        self.place: list[int] = []
        for index, d in enumerate(defs):
            members = self.by_section.setdefault(d.section, [])
            self.place.append(len(members))
            members.append(index)

    def of(self, index: int) -> list[Definition]:
        d, term = self.defs[index], self.terms[index]
        members, place = self.by_section[d.section], self.place[index]
        near = members[max(0, place - WINDOW) : place + WINDOW + 1]
        near += [
            other
            for other in range(max(0, index - WINDOW), min(len(self.defs), index + WINDOW + 1))
            if self.defs[other].section != d.section
        ]
        return [
            self.defs[other]
            for other in sorted(near)
            if other != index and not _related(self.terms[other], term)
        ]


def questions_from(
    defs: list[Definition], limit: int | None = None
) -> tuple[list[QuestionDoc], list[Definition]]:
    """One question per definition, rotating kinds, at most `limit` of them.

    Returns the questions and the definitions left unasked once the limit is reached.
    """
    questions: list[QuestionDoc] = []
    neighbours = _Neighbours(defs)
    for index, d in enumerate(defs):
        if limit is not None and len(questions) >= limit:
            return questions, defs[index:]
        others = neighbours.of(index)
        same_section = lambda o, d=d: 0 if o.section == d.section else 1  # noqa: E731
        kind = index % 3
        if kind == 0 and len(others) >= 1:
            wrong = _pick(others, same_section, OPTIONS - 1, d.term, neighbours.label)
            wrong_texts = [
                o.definition for o in wrong if _norm(o.definition) != _norm(d.definition)
            ]
            if wrong_texts:
                questions.append(
                    QuestionDoc(
                        prompt=f"下列哪一项是对「{d.term}」的正确描述?",
                        kind=SINGLE,
                        choices=_options(d.definition, wrong_texts, d.term),
                        explanation=_explain(d.section, d.sentence),
                        section=d.section,
                        draft=True,
                        source=d.sentence,
                    )
                )
        elif kind == 1 and len(others) >= 1:
            wrong = _pick(others, same_section, OPTIONS - 1, d.definition, neighbours.label)
            questions.append(
                QuestionDoc(
                    prompt=f"“{d.definition}”——这说的是哪一项?",
                    kind=SINGLE,
                    choices=_options(d.term, [o.term for o in wrong], d.definition),
                    explanation=_explain(d.section, d.sentence),
                    section=d.section,
                    draft=True,
                    source=d.sentence,
                )
            )
        elif kind == 2:
            swap = (
                _pick(others, same_section, 1, "swap" + d.term, neighbours.label)
                if index % 2
                else []
            )
            shown = swap[0].term if swap else d.term
            truth = not swap
            questions.append(
                QuestionDoc(
                    prompt=f"判断:「{shown}」——{d.definition}。",
                    kind=TRUE_FALSE,
                    choices=[ChoiceDoc(TRUE_TEXT, truth), ChoiceDoc(FALSE_TEXT, not truth)],
                    explanation=_explain(d.section, d.sentence)
                    + ("" if truth else f"这说的是「{d.term}」,不是「{shown}」。"),
                    section=d.section,
                    draft=True,
                    source=d.sentence,
                )
            )
    return questions, []


def blanks(sentences: list[Sentence], definition_sentences: set[str]) -> list[QuestionDoc]:
    """Fill-in-blank: in a sentence, hide its most specific key term."""
    tagged = {s: [(w.strip(), pos) for w, pos in rjieba.tag(s.text)] for s in sentences}
    frequency = Counter(word for words in tagged.values() for word, _ in words)
    out: list[QuestionDoc] = []
    for sentence in sentences:
        text = sentence.text
        if not 12 <= len(text) <= MAX_BLANK_SENTENCE:  # a longer one is no question
            continue
        candidates = [
            word
            for word, pos in tagged[sentence]
            if pos in _KEY_POS
            and len(word) >= 2
            and word not in _GENERIC
            and text.count(word) == 1
            and not word.isdigit()
            and not text.startswith(word)  # the term a 术语:定义 line defines
        ]
        if not candidates:
            continue
        word = min(candidates, key=lambda w: (frequency[w], -len(w), _stable(text + w)))
        if frequency[word] > 2:  # a word all over the notes makes an ambiguous blank
            continue
        out.append(
            QuestionDoc(
                prompt=f"填空:{text.replace(word, '____', 1)}",
                kind=FILL_BLANK,
                choices=[ChoiceDoc(word, True)],
                explanation=_explain(sentence.section, text),
                section=sentence.section,
                draft=True,
                source=text,
            )
        )
        if len(out) == MAX_BLANKS:
            break
    return out


def generate(text: str, title: str = "") -> SetDoc:
    """The whole set from notes text. Raises FormatError when nothing usable is found."""
    if not text.strip():
        raise FormatError("内容是空的:请粘贴笔记或上传 .md / .txt 文件。")
    notes, sentences = parse(text)
    defs = definitions(sentences)
    if not defs:
        raise FormatError(
            "没有找到可以出题的定义。请写成“术语:定义”的条目,或“X是……”“X指……”这样的句子。"
        )
    kept, over = defs[:MAX_CARDS], defs[MAX_CARDS:]
    found_blanks = blanks(sentences, {_norm(d.sentence) for d in defs})
    questions, unasked = questions_from(kept, MAX_QUESTIONS - len(found_blanks))
    cards = [CardDoc(d.term, d.definition, d.section, draft=True, source=d.sentence) for d in kept]
    skipped = [f"卡片\uff1a{d.term}" for d in over] + [
        f"题目\uff1a{d.term}" for d in unasked + over
    ]
    return SetDoc(
        title=title, notes=notes, questions=questions + found_blanks, cards=cards, skipped=skipped
    )
