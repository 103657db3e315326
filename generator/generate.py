"""Notes text → a study set (SetDoc), embedded: no network, deterministic, fast.

What it finds in the text, and only there:
- structure: Markdown or plain-text headings, bullets (a bullet ending in a
  colon heads the bullets under it) and paragraphs become note sections;
- definitions: `术语：定义` lines (either colon) and sentences `X是…`, `X指…`, `X是指…`;
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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import rjieba

from generator import quality
from generator.quality import MASK, give_away, near_duplicate
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
from studysite.chinese import (
    CLAUSE_END,
    CLOSE_PAREN,
    COLON,
    COMMA,
    FULL_STOP,
    LIST_COMMA,
    QUESTION_MARK,
    QUOTES,
    SEMICOLON,
    SENTENCE_END,
    ascii_twins,
    none_of,
    one_of,
)

MAX_BLANKS = 16
MAX_BLANK_SENTENCE = 200  # characters; also bounds the work of finding its key term
# A set holds at most this many items; the definitions beyond are listed in
# SetDoc.skipped, so a long text cannot make a set nobody can review.
MAX_CARDS = 300
# Past this many sections a heading-like line is text of the last one: 9,000
# one-line "sections" made the notes page 4 MB and every search over them slow.
MAX_SECTIONS = 60
MAX_QUESTIONS = 300
# Each kind of question that is not one per definition (lists, contrasts, causes)
# adds at most this many.
MAX_EXTRA = 30
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
_DATED = re.compile(r"^\s*(?:公元前?)?\d")
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
    line: str = ""  # the whole bullet or paragraph it is part of
    group: str = ""  # the bullet ending in a colon that heads it (模型结构), if nested


@dataclass(frozen=True)
class Definition:
    term: str
    definition: str
    sentence: str
    section: str
    group: str = ""


def _norm(text: str) -> str:
    return _SPACES.sub("", unicodedata.normalize("NFKC", text)).casefold()


def _stable(key: str) -> str:
    # Punctuation-blind, so notes typed with ：，and with : , pick the same options.
    return hashlib.sha256(ascii_twins(key).encode()).hexdigest()


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
    group = ""
    children, group_indented = 0, False
    for index, line in enumerate(nonblank):
        following = nonblank[index + 1] if index + 1 < len(nonblank) else None
        heading = _heading(line)
        is_heading = heading is not None or (
            not _BULLET.match(line) and _is_plain_heading(line, following)
        )
        if is_heading and len(sections) <= MAX_SECTIONS:
            sections.append((line.strip() if heading is None else heading, []))
            nested, group = False, ""
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
                nested, group, children = True, content, 0
            elif nested or indented:
                children += 1
                group_indented = bool(indented) if children == 1 else group_indented
                if nested and not indented and children > 1 and group_indented:
                    # The indented children ended: this bullet is back at the top level.
                    nested, group = False, ""
                    body.append(f"- {content}")
                else:
                    body.append(f"    - {content}")
            else:
                body.append(f"- {content}")
                group = ""
        else:
            nested, group = False, ""
            body.append(content)
            body.append("")
        in_group = group if bullet and not content.endswith(tuple(COLON)) else ""
        sentences += [Sentence(part, title, content, in_group) for part in _split(content)]
    notes = [
        NoteDoc(title, "\n".join(body).strip() + "\n")
        for title, body in sections
        if title or any(body)
    ]
    return notes, sentences


def _split(text: str) -> list[str]:
    """A bullet or paragraph as sentences; a 术语：定义 bullet stays whole."""
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
        if len(term) < 1 or len(definition) < 4 or quality.is_label(term):
            continue  # 早期模型, 其他结构, 2012年: a heading or an event, not a term
        key = quality.term_key(term)  # Transformer and Transformer 模型 are one card
        if key in found:
            # Keep the one that says what the term is, not when it appeared.
            if _DATED.match(found[key].definition) and not _DATED.match(definition):
                del found[key]
            else:
                continue
        found[key] = Definition(term, definition, text, sentence.section, sentence.group)
    return list(found.values())


def _related(a: str, b: str) -> bool:
    """Terms too close to be told apart by the text: one contains the other."""
    return a in b or b in a


_C = TypeVar("_C")


def _pick(
    candidates: list[_C],
    key: Callable[[_C], float],
    count: int,
    seed: str,
    label: Callable[[_C], str] = str,
    accept: Callable[[_C, list[_C]], bool] | None = None,
) -> list[_C]:
    """Up to `count` candidates, same section first, then a stable pseudo-random order.

    `accept(candidate, chosen)` may refuse one (a near-duplicate of the right answer).
    """
    ranked = sorted(candidates, key=lambda c: (key(c), _stable(seed + label(c))))
    if accept is None:
        return ranked[:count]
    chosen: list[_C] = []
    for candidate in ranked:
        if len(chosen) == count:
            break
        if accept(candidate, chosen):
            chosen.append(candidate)
    return chosen


def _options(right: list[str] | str, wrong: list[str], seed: str) -> list[ChoiceDoc]:
    rights = [right] if isinstance(right, str) else right
    choices = [ChoiceDoc(text, True) for text in rights] + [
        ChoiceDoc(text, False) for text in wrong
    ]
    return sorted(choices, key=lambda c: _stable(seed + c.text))


def _explain(d_section: str, sentence: str) -> str:
    where = f"「{d_section}」" if d_section else "笔记"
    return f"依据{where}\uff1a{sentence}"


def _question(prompt: str, kind: str, choices: list[ChoiceDoc], section: str, source: str,
              explanation: str = "") -> QuestionDoc:  # fmt: skip
    return QuestionDoc(
        prompt=prompt,
        kind=kind,
        choices=choices,
        explanation=explanation or _explain(section, source),
        section=section,
        draft=True,
        source=source,
    )


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
        # Pieces common to the descriptions (模型 in notes on 大模型) tell nothing apart.
        self.common = quality.common_pieces([d.definition for d in defs[: 4 * WINDOW]])
        self.names = frozenset(self.terms)
        self._masked: dict[int, str] = {}

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

    def masked(self, d: Definition) -> str:
        """Its description with its term and the term's distinctive words as ____."""
        key = id(d)
        if key not in self._masked:
            self._masked[key] = _mask(d.definition, d.term, self.common, self.names)
        return self._masked[key]


_MASKS = re.compile(rf"{re.escape(MASK)}(?:\s*{re.escape(MASK)})+")


def _pieces(term: str, common: frozenset[str]) -> set[str]:
    """The term, and each word of it that is not common to the notes' descriptions."""
    words = {word.strip() for word, _ in rjieba.tag(term, False)}
    return {term.strip()} | {
        word for word in words if len(word) >= 2 and not set(quality.bigrams(word)) <= common
    }


def _in_other_term(text: str, start: int, end: int, names: frozenset[str]) -> bool:
    """Is text[start:end] part of a longer term there (范式 in 第二范式)?"""
    return any(
        _norm(text[max(0, start - before) : end + after]) in names
        for before in range(5)
        for after in range(5)
        if before or after
    )


def _mask(text: str, term: str, common: frozenset[str], names: frozenset[str] = frozenset()) -> str:
    """`text` with `term`, and each word of it no other description shares, as ____."""
    pieces = _pieces(term, common)
    bounds, at = {0}, 0
    for word, _tag in rjieba.tag(text, False):
        at += len(word)
        bounds.add(at)
    spans: list[tuple[int, int]] = []
    for piece in sorted(pieces, key=len, reverse=True):
        for found in re.finditer(re.escape(piece), text, flags=re.IGNORECASE):
            start, end = found.span()
            whole = piece == term.strip() or (
                start in bounds
                and end in bounds  # 没有氧气 is not 有氧
                and not _in_other_term(text, start, end, names)
            )
            if whole and not any(s < end and start < e for s, e in spans):
                spans.append((start, end))
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + MASK + text[end:]
    return _MASKS.sub(MASK, text)


def _visible(text: str) -> bool:
    """Enough of a description is left to recognise it once its term is masked."""
    return len(text.replace(MASK, "").strip()) >= 6


def _local(picked: list[Definition], d: Definition) -> int:
    return sum(o.section == d.section for o in picked)


def _with_mask_parity(right: str, wrong: list[str], spare: list[str]) -> list[str]:
    """When the right description carries a ____, so does a wrong one: the mask is no cue."""
    if MASK not in right or any(MASK in w for w in wrong) or not wrong:
        return wrong
    masked = [s for s in spare if MASK in s and s not in wrong]
    return wrong[:-1] + masked[:1] if masked else wrong


def questions_from(
    defs: list[Definition], limit: int | None = None
) -> tuple[list[QuestionDoc], list[Definition]]:
    """One question per definition, rotating kinds, at most `limit` of them.

    A description never gives its term away: the term and its distinctive words
    are masked, and an item a two-character piece still links to its answer is
    left out. Returns the questions and the definitions left unasked once the
    limit is reached.
    """
    questions: list[QuestionDoc] = []
    neighbours = _Neighbours(defs)
    for index, d in enumerate(defs):
        if limit is not None and len(questions) >= limit:
            return questions, defs[index:]
        others = neighbours.of(index)
        same_section = lambda o, d=d: 0 if o.section == d.section else 1  # noqa: E731
        makers = (_describe, _name, _judge)
        question = None
        for turn in range(3):  # the kind in rotation; the next one when it cannot be asked
            question = makers[(index + turn) % 3](d, others, same_section, neighbours, index)
            if question is not None:
                break
        if question is not None:
            questions.append(question)
    return questions, []


def _describe(
    d: Definition,
    others: list[Definition],
    same_section: Callable[[Definition], int],
    neighbours: _Neighbours,
    index: int,
) -> QuestionDoc | None:
    """下列哪一项是对「X」的正确描述？ — the other options are other descriptions."""
    right = neighbours.masked(d)
    if not _visible(right):
        return None

    own_words = _pieces(d.term, neighbours.common)

    def accept(o: Definition, chosen: list[Definition]) -> bool:
        text = neighbours.masked(o)
        return (
            _visible(text)
            # 秦朝在地方推行郡县制 is true of 秦朝 too: no wrong option speaks of the term
            and not any(word.casefold() in o.definition.casefold() for word in own_words)
            and _norm(o.definition) != _norm(d.definition)
            and not near_duplicate(o.definition, d.definition)
            and all(not near_duplicate(o.definition, c.definition) for c in chosen)
        )

    ranked = _pick(others, same_section, 2 * OPTIONS, d.term, neighbours.label, accept)
    if _local(ranked[: OPTIONS - 1], d) < 2:
        return None  # options from other chapters are ruled out at a glance
    texts = [neighbours.masked(o) for o in ranked]
    wrong = _with_mask_parity(right, texts[: OPTIONS - 1], texts[OPTIONS - 1 :])
    if not wrong or give_away(d.term, [right], wrong):
        return None
    return _question(
        f"下列哪一项是对「{d.term}」的正确描述\uff1f",
        SINGLE,
        _options(right, wrong, d.term),
        d.section,
        d.sentence,
    )


def _name(
    d: Definition,
    others: list[Definition],
    same_section: Callable[[Definition], int],
    neighbours: _Neighbours,
    index: int,
) -> QuestionDoc | None:
    """“description”——这说的是哪一项？ — the options are terms."""
    described = neighbours.masked(d)
    if not _visible(described):
        return None

    def accept(o: Definition, chosen: list[Definition]) -> bool:
        return not near_duplicate(o.term, d.term) and not any(
            _related(_norm(o.term), _norm(c.term)) for c in chosen
        )

    picked = _pick(others, same_section, OPTIONS - 1, d.definition, neighbours.label, accept)
    wrong = [o.term for o in picked]
    if _local(picked, d) < 2 or give_away(described, [d.term], wrong):
        return None
    return _question(
        f"“{described}”——这说的是哪一项\uff1f",
        SINGLE,
        _options(d.term, wrong, d.definition),
        d.section,
        d.sentence,
    )


def _judge(
    d: Definition,
    others: list[Definition],
    same_section: Callable[[Definition], int],
    neighbours: _Neighbours,
    index: int,
) -> QuestionDoc | None:
    """判断：「X」——description. False ones swap in a term of the same section."""
    statement = neighbours.masked(d)
    common = neighbours.common
    if MASK in statement or give_away(d.term, [statement], [], common):
        return None  # the statement names its own term: true at a glance
    swap = []
    if index % 2:
        # Never another domain's term (absurd at a glance), never one the statement names.
        same = [
            o
            for o in others
            if o.section == d.section and not give_away(o.term, [statement], [], common)
        ]
        swap = _pick(same, lambda o: 0, 1, "swap" + d.term, neighbours.label)
    shown = swap[0].term if swap else d.term
    truth = not swap
    explanation = _explain(d.section, d.sentence) + (
        "" if truth else f"这说的是「{d.term}」\uff0c不是「{shown}」。"
    )
    return _question(
        f"判断\uff1a「{shown}」——{statement}。",
        TRUE_FALSE,
        [ChoiceDoc(TRUE_TEXT, truth), ChoiceDoc(FALSE_TEXT, not truth)],
        d.section,
        d.sentence,
        explanation,
    )


def contrasts(defs: list[Definition], per_section: int = 2) -> list[QuestionDoc]:
    """「A」和「B」容易混淆：two terms of one section that share a word (语音识别 /
    语音合成, 第二范式 / 第三范式); the learner tells A's description from B's."""
    neighbours = _Neighbours(defs)
    common = neighbours.common
    pieces = [set(quality.bigrams(d.term)) - common for d in defs]
    out: list[QuestionDoc] = []
    made: Counter[str] = Counter()
    paired: set[int] = set()
    for section, members in neighbours.by_section.items():
        for place, a in enumerate(members):
            if made[section] >= per_section:
                break
            if a in paired:
                continue
            for b in members[place + 1 : place + 1 + WINDOW]:
                if b in paired or not pieces[a] & pieces[b]:
                    continue
                if _related(neighbours.terms[a], neighbours.terms[b]):
                    continue
                question = _contrast(defs[a], defs[b], neighbours, members)
                if question is not None:
                    out.append(question)
                    made[section] += 1
                    paired.update((a, b))
                    break
    return out


def _contrast(
    a: Definition, b: Definition, neighbours: _Neighbours, members: list[int]
) -> QuestionDoc | None:
    right, partner = neighbours.masked(a), _mask(neighbours.masked(b), a.term, neighbours.common)
    right = _mask(right, b.term, neighbours.common)
    if not (_visible(right) and _visible(partner)) or near_duplicate(a.definition, b.definition):
        return None
    wrong = [partner]
    for other in members[:WINDOW]:
        o = neighbours.defs[other]
        if len(wrong) == OPTIONS - 1:
            break
        text = neighbours.masked(o)
        if o in (a, b) or not _visible(text):
            continue
        if any(near_duplicate(o.definition, x.definition) for x in (a, b)):
            continue
        wrong.append(text)
    if give_away(f"{a.term} {b.term}", [right], wrong):
        return None
    return _question(
        f"「{a.term}」和「{b.term}」容易混淆。下列哪一项说的是「{a.term}」\uff0c而不是「{b.term}」\uff1f",
        SINGLE,
        _options(right, wrong, a.term + b.term),
        a.section,
        a.sentence,
        _explain(a.section, a.sentence) + f"而「{b.term}」\uff1a{b.definition}。",
    )


# Cause sentences: 为了P，Q / 由于P，Q / P，因此Q / Q，以P / 为什么Q？因为P.
_CLAUSE_TEXT = none_of(COMMA, CLAUSE_END, COLON)
_PURPOSE = re.compile(rf"^为了({_CLAUSE_TEXT}+){one_of(COMMA)}\s*({_CLAUSE_TEXT}+)")
_CAUSE = re.compile(rf"^由于({_CLAUSE_TEXT}+){one_of(COMMA)}\s*({_CLAUSE_TEXT}+)")
_THEREFORE = re.compile(
    rf"^(?:因为)?({none_of(SENTENCE_END, COLON)}+?){one_of(COMMA, SEMICOLON)}\s*(?:因此|所以)"
    rf"{one_of(COMMA)}?\s*({_CLAUSE_TEXT}+)"
)
_AIM = re.compile(rf"({_CLAUSE_TEXT}+){one_of(COMMA)}\s*(?:以便?|旨在)({_CLAUSE_TEXT}+)")
_ASKED = re.compile(
    rf"^为什么({none_of(QUESTION_MARK)}+){one_of(QUESTION_MARK)}\s*因为({none_of(SENTENCE_END)}+)"
)
_EXAMPLE_START = re.compile("^(?:例如|诸如|比如|譬如|如)")
_SENTENCES_OF = re.compile(f"{none_of(SENTENCE_END)}+{one_of(SENTENCE_END)}?")


@dataclass(frozen=True)
class Reason:
    what: str  # what happens (需要采用模型压缩技术)
    why: str  # 为了降低模型的计算和存储成本 / 因为模型和数据规模巨大
    section: str
    source: str


def _body(line: str) -> str:
    """A line without its 术语： label."""
    match = _TERM_COLON.match(line)
    return match.group(2) if match else line


def _starts_with_verb(text: str) -> bool:
    words = rjieba.tag(text.strip(), False)
    return bool(words) and words[0][1].startswith("v")


def reasons(sentences: list[Sentence]) -> list[Reason]:
    """Each line's cause or purpose, once."""
    out: list[Reason] = []
    seen: set[str] = set()
    for sentence in sentences:
        line = sentence.line or sentence.text
        if line in seen:
            continue
        seen.add(line)
        body = _body(line)
        parts = [body] if _ASKED.match(body) else _SENTENCES_OF.findall(body)
        for part in parts:
            found = _reason(part.strip())
            if found is not None:
                what, why = found
                out.append(Reason(what.strip(), why.strip(), sentence.section, line))
                break
    return out


def _reason(part: str) -> tuple[str, str] | None:
    if match := _ASKED.match(part):
        return f"为什么{match.group(1).strip()}", "因为" + match.group(2)
    if match := _PURPOSE.match(part):
        return f"为什么{match.group(2)}", "为了" + match.group(1)
    if match := _CAUSE.match(part):
        return f"为什么{match.group(2)}", "因为" + match.group(1)
    if match := _THEREFORE.match(part):
        return f"为什么{match.group(2)}", "因为" + match.group(1)
    if (match := _AIM.search(part)) and _starts_with_verb(match.group(2)):
        what = match.group(1).strip()
        if _EXAMPLE_START.match(what):
            return None  # 如 MoE，旨在…: the example is not what aims
        return f"为什么{'要' if _starts_with_verb(what) else ''}{what}", "为了" + match.group(2)
    return None


def why_questions(found: list[Reason]) -> list[QuestionDoc]:
    """为什么 questions: the other options are reasons given elsewhere in the notes.

    Options of the same kind keep their 为了…/因为…; when too few share the
    right one's kind, every option is the bare reason, so no option stands out
    by its wording.
    """
    out: list[QuestionDoc] = []
    for index, reason in enumerate(found):
        window = [r for r in found[max(0, index - WINDOW) : index + WINDOW + 1] if r is not reason]

        def accept(other: Reason, chosen: list[Reason], reason: Reason = reason) -> bool:
            return all(
                not near_duplicate(_bare(other.why), _bare(seen.why))
                and _norm(_bare(other.why)) != _norm(_bare(seen.why))
                for seen in [reason, *chosen]
            )

        def pick(
            pool: list[Reason],
            reason: Reason = reason,
            accept: Callable[[Reason, list[Reason]], bool] = accept,
        ) -> list[Reason]:
            return _pick(
                pool,
                lambda other: 0 if other.section == reason.section else 1,
                OPTIONS - 1,
                reason.what,
                lambda other: other.why,
                accept,
            )

        wrong = pick([r for r in window if r.why[:2] == reason.why[:2]])
        right, texts = reason.why, [r.why for r in wrong]
        if len(wrong) < 2:
            wrong = pick(window)
            right, texts = _bare(reason.why), [_bare(r.why) for r in wrong]
            if not any(r.why[:2] == reason.why[:2] for r in wrong):
                continue  # the one cause among purposes would stand out by its shape
        cue = reason.what.removeprefix("为什么")
        if len(wrong) < 2 or give_away(cue, [right], texts):
            continue
        out.append(
            _question(
                reason.what + "\uff1f",
                SINGLE,
                _options(right, texts, reason.what),
                reason.section,
                reason.source,
            )
        )
    return out


def _bare(why: str) -> str:
    return why[2:] if why.startswith(("为了", "因为")) else why


@dataclass(frozen=True)
class Enumeration:
    head: str  # 模型压缩 / 事务的四个特性
    items: tuple[str, ...]
    section: str
    source: str
    examples: bool = False  # listed after 如/例如: examples of the head
    listed: str = ""  # the items, when they are bullets under the head rather than in it


_LIST_CUES = ("包括", "包含", "分为", "有")
_EXAMPLE_CUES = ("例如", "诸如", "比如", "譬如", "如")
_LAST_ITEM = re.compile("以及|和|或|及|与")
_NOUN_TAGS = {"n", "nz", "vn", "eng", "l", "nr", "ns", "nt"}


def _items(text: str) -> list[str]:
    """A、B和C等 as [A, B, C]."""
    text = re.sub(r"等.*$", "", text).strip()
    parts = [p.strip() for p in text.split(LIST_COMMA)]
    last = _LAST_ITEM.split(parts[-1], maxsplit=1)
    if len(last) == 2 and all(p.strip() for p in last):
        parts[-1:] = [p.strip() for p in last]
    return [p.strip(_SPACE_OR_QUOTE) for p in parts]


def _trailing_noun(clause: str) -> str:
    """The noun phrase a clause ends with: 需要采用模型压缩技术 → 模型压缩技术."""
    words = rjieba.tag(clause, False)
    start = len(words)
    while start > 0:
        word, tag = words[start - 1]
        if tag in _NOUN_TAGS or (
            tag.startswith("v")
            and start > 1
            and words[start - 2][1] in _NOUN_TAGS
            and start < len(words)
        ):
            start -= 1
        else:
            break
    phrase = "".join(w for w, _ in words[start:]).strip()
    return phrase if not phrase or words[start][1] in _NOUN_TAGS else ""


def _noun_end(text: str) -> str:
    """`text` up to its last noun: 隔离级别由低到高 → 隔离级别."""
    words = rjieba.tag(text.strip(), False)
    while words and words[-1][1] not in _NOUN_TAGS:
        words.pop()
    return "".join(w for w, _ in words).strip()


def _leading_noun(text: str) -> str:
    """The noun phrase a text starts with: 超大型模型相继问世 → 超大型模型."""
    words = rjieba.tag(text.strip(), False)
    end = 0
    while end < len(words) and (words[end][1] in _NOUN_TAGS or words[end][1] in {"b", "a"}):
        end += 1
    while end and words[end - 1][1] not in _NOUN_TAGS:
        end -= 1
    return "".join(w for w, _ in words[:end])


def enumerations(sentences: list[Sentence], defs: list[Definition]) -> list[Enumeration]:
    """Lists in the notes: bullets nested under 「X：」, and X包括A、B和C / X，如A、B."""
    out: list[Enumeration] = []
    groups: dict[tuple[str, str], list[Definition]] = {}
    for d in defs:
        if d.group:
            groups.setdefault((d.section, d.group), []).append(d)
    for (section, line), members in groups.items():
        head = line.rstrip(COLON).strip()
        if len(members) >= 2 and not quality.is_label(head):
            terms = tuple(m.term for m in members)
            out.append(Enumeration(head, terms, section, line, listed="、".join(terms)))
    seen: set[str] = set()
    for sentence in sentences:
        line = sentence.line or sentence.text
        if line in seen:
            continue
        seen.add(line)
        found = _enumeration(line, sentence.section)
        if found is not None:
            out.append(found)
    return out


_CLAUSES = re.compile(f"{_CLAUSE_TEXT}+")


def _enumeration(line: str, section: str) -> Enumeration | None:
    match = _TERM_COLON.match(line)
    term = match.group(1).strip(_SPACE_OR_QUOTE) if match else ""
    clauses = _CLAUSES.findall(_body(line))
    for place, clause in enumerate(clauses):
        clause = clause.strip()
        cue = next((c for c in _EXAMPLE_CUES if clause.startswith(c)), None)
        examples = cue is not None
        if cue is None:
            at = [(clause.find(c), c) for c in _LIST_CUES if clause.find(c) > 0]
            if not at or LIST_COMMA not in clause:
                continue
            index, cue = min(at)
            starts, at_char = {}, 0
            for word, _tag in rjieba.tag(clause, False):
                starts[at_char], at_char = word, at_char + len(word)
            if starts.get(index) != cue:  # 具有 is not 有
                continue
            head, listed = _noun_end(clause[:index]), clause[index + len(cue) :]
        else:
            head, listed = "", clause[len(cue) :]
        items = _items(listed)
        if len(items) < 2 or not all(0 < len(i) <= 12 for i in items):
            continue
        tail = re.search(r"等(.+)$", listed.strip())
        if not head and tail:
            head = _leading_noun(tail.group(1))
        if not head and examples and term and not quality.is_label(term):
            head = term
        if not head and place:
            head = _trailing_noun(clauses[place - 1])
        if head and term and not set(quality.bigrams(head)) & set(quality.bigrams(term)):
            head = f"{term}的{head}"
        if len(head) < 3 or quality.is_label(head):
            continue
        return Enumeration(head, tuple(items), section, line, examples)
    return None


def enumeration_questions(found: list[Enumeration], defs: list[Definition]) -> list[QuestionDoc]:
    """下列哪些属于「X」？ — right: items of the list; wrong: items of other lists and terms
    near it, same section first."""
    out: list[QuestionDoc] = []
    terms_by_section: dict[str, list[str]] = {}
    for d in defs:
        terms_by_section.setdefault(d.section, []).append(d.term)
    for index, listing in enumerate(found):
        window = found[max(0, index - WINDOW) : index + WINDOW + 1]
        mine = [_norm(i) for i in listing.items] + [_norm(listing.head)]
        # Items of lists like this one (bullets under a heading, or examples), same
        # section first; never items of a list headed by one of ours (剪枝 is 模型压缩).
        pool: list[tuple[float, str]] = [
            (2 * (e.examples != listing.examples) + (e.section != listing.section), item)
            for e in window
            if e is not listing and not any(_related(_norm(e.head), m) for m in mine)
            for item in e.items
        ]
        # Then terms of the same section: a list from another chapter is ruled out at a
        # glance (细胞器 against 光照强度), terms beside it are not (细胞器 against 细胞壁).
        pool += [(0.5, t) for t in terms_by_section.get(listing.section, [])[: 2 * WINDOW]]

        def accept(
            candidate: tuple[float, str],
            chosen: list[tuple[float, str]],
            mine: list[str] = mine,
        ) -> bool:
            text = _norm(candidate[1])
            return (
                not any(_related(text, m) or near_duplicate(text, m) for m in mine)
                and all(_norm(c[1]) != text for c in chosen)
                and not quality.is_label(candidate[1])
            )

        right = sorted(listing.items, key=lambda i: _stable(listing.head + i))[:3]
        wrong = [
            c[1]
            for c in _pick(
                pool, lambda c: c[0], 5 - len(right), listing.head, lambda c: c[1], accept
            )
        ]
        if len(wrong) < 2 or give_away(listing.head, right, wrong):
            continue
        prompt = (
            f"下列哪些是「{listing.head}」的例子\uff1f（多选）"
            if listing.examples
            else f"下列哪些属于「{listing.head}」\uff1f（多选）"
        )
        explanation = _explain(listing.section, listing.source) + (
            f"{listing.listed}。" if listing.listed else ""
        )
        out.append(
            _question(
                prompt,
                MULTIPLE,
                _options(right, wrong, listing.head),
                listing.section,
                listing.source,
                explanation,
            )
        )
    return out


def blanks(sentences: list[Sentence], defs: Sequence[Definition] = ()) -> list[QuestionDoc]:
    """Fill-in-blank: in a sentence, hide a set term or a specific noun.

    Never a generic word, a person's name, part of a word or one item of a list
    (see quality.weak_blank). Sentences are taken in turn from each section, so
    every section gets its blanks before any gets a second one.
    """
    terms = frozenset(d.term for d in defs)
    by_section: dict[str, list[Sentence]] = {}
    for sentence in sentences:
        by_section.setdefault(sentence.section, []).append(sentence)
    section_terms: dict[str, list[str]] = {}
    for d in defs:
        section_terms.setdefault(d.section, []).append(d.term)
    frequency = Counter(
        word for s in sentences for word, _ in rjieba.tag(s.text, False) if len(word) >= 2
    )
    queues = [iter(members) for members in by_section.values()]
    out: list[QuestionDoc] = []
    used: set[str] = set()
    while queues and len(out) < MAX_BLANKS:
        for queue in list(queues):
            question = next(
                (q for s in queue if (q := _blank(s, terms, section_terms, frequency, used))),
                None,
            )
            if question is None:
                queues.remove(queue)
                continue
            out.append(question)
            if len(out) == MAX_BLANKS:
                break
    return out


def _noun_runs(text: str) -> list[str]:
    """Nouns, and runs of adjacent two-character-or-longer nouns as one phrase
    (注意力 机制 → 注意力机制); not a run that a 和 joins to the next noun
    (生物体 结构和功能 is 生物体 + 结构和功能, not 生物体结构)."""
    words = rjieba.tag(text, False)
    out: list[str] = []
    run: list[str] = []
    for word, tag in [*words, ("", "x")]:
        if tag in {"n", "nz", "eng"} and len(word.strip()) >= 2:
            run.append(word)
            continue
        if tag in quality.BLANK_TAGS and word.strip():
            out.append(word)  # a verbal noun stands alone: 加工, not 蛋白质加工
        out.extend(run)
        if len(run) > 1 and word not in _COORDINATORS:
            out.append("".join(run))
        run = []
    return out


_COORDINATORS = {"和", "或", "与", "及", "以及", "、"}


def _blank(
    sentence: Sentence,
    terms: frozenset[str],
    section_terms: dict[str, list[str]],
    frequency: Counter[str],
    used: set[str],
) -> QuestionDoc | None:
    text = sentence.text
    if not 12 <= len(text) <= MAX_BLANK_SENTENCE or text.endswith(tuple(COLON)):
        return None  # too long to be a question, or the heading of a list
    label = _TERM_COLON.match(text)
    start = len(text) - len(label.group(2)) if label else 0  # never the term a line defines
    body = text[start:]
    present = [t for t in section_terms.get(sentence.section, [])[: 2 * WINDOW] if t in body]
    words = [w for w in _noun_runs(body) if len(w) >= 2]
    candidates = [(0, t) for t in present] + [(1, w) for w in words if w not in present]
    good = [
        (rank, word)
        for rank, word in candidates
        if word not in used  # the same answer twice teaches nothing new
        and text.count(word) == 1
        and not text.startswith(word)
        and frequency[word] <= 2  # a word all over the notes makes an ambiguous blank
        and not quality.weak_blank(word, text, terms)
    ]
    if not good:
        return None
    _, word = min(good, key=lambda c: (c[0], frequency[c[1]], -len(c[1]), _stable(text + c[1])))
    used.add(word)
    return _question(
        f"填空\uff1a{text.replace(word, MASK, 1)}",
        FILL_BLANK,
        [ChoiceDoc(word, True)],
        sentence.section,
        text,
    )


def generate(text: str, title: str = "") -> SetDoc:
    """The whole set from notes text. Raises FormatError when nothing usable is found."""
    if not text.strip():
        raise FormatError("内容是空的\uff1a请粘贴笔记或上传 .md / .txt 文件。")
    notes, sentences = parse(text)
    defs = definitions(sentences)
    if not defs:
        raise FormatError(
            "没有找到可以出题的定义。请写成“术语\uff1a定义”的条目\uff0c或“X是……”“X指……”这样的句子。"
        )
    kept, over = defs[:MAX_CARDS], defs[MAX_CARDS:]
    extra = (
        blanks(sentences, kept)
        + enumeration_questions(enumerations(sentences, kept), kept)[:MAX_EXTRA]
        + contrasts(kept)[:MAX_EXTRA]
        + why_questions(reasons(sentences))[:MAX_EXTRA]
    )
    questions, unasked = questions_from(kept, MAX_QUESTIONS - len(extra))
    cards = [CardDoc(d.term, d.definition, d.section, draft=True, source=d.sentence) for d in kept]
    skipped = [f"卡片\uff1a{d.term}" for d in over] + [
        f"题目\uff1a{d.term}" for d in unasked + over
    ]
    order = {note.title: place for place, note in enumerate(notes)}
    ordered = sorted(questions + extra, key=lambda q: order.get(q.section, len(order)))
    return SetDoc(title=title, notes=notes, questions=ordered, cards=cards, skipped=skipped)
