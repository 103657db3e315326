"""Notes → a two-host conversation in Chinese. Pure and deterministic: the same
notes, questions and cards always give the same script, and its hash says when
to re-render. No model, no network: the conversation is assembled from what the
notes, the card backs and the question explanations say.

小林 (host A) asks and reacts; 小周 (host B) explains. 小林 never reads a bullet:
he asks about it (什么是…？ 为什么需要…？ 能举个例子吗？ …和…有什么区别？) and
reacts to the answer (对，这就是为什么…). 小周 answers from the bullet, adds the
card's back where it says something the bullet does not, gives the examples of
an enumeration when asked, links a term to the section that first named it, and
clears up what the question explanations say people confuse. A heading with no
text is not a chapter. The recap reads each question with its options before a
pause, then the answer; without questions it asks open questions from the cards.

Variety is a rule, not luck: no opening (`opening()`) is used more than
`MAX_SAME_OPENING` times; a phrasing that would pass it gives way to the next.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from itertools import islice
from typing import Any

import rjieba

from podcasts import pronounce
from quizzes.kinds import Kind
from studysite.chinese import (
    CLAUSE_END,
    CLOSE_PAREN,
    COLON,
    COMMA,
    FULL_STOP,
    HAN,
    LIST_COMMA,
    OPEN_PAREN,
    PUNCTUATION,
    QUESTION_MARK,
    SENTENCE_END,
    ascii_twins,
    none_of,
    one_of,
    typeset,
)

# 3: Chinese punctuation in what the hosts say; 4: a length cap; 5: a term is
# not said twice, Latin words are spaced from Chinese text; 6: a conversation
# (questions, reactions, examples, links, card backs, explanations, options).
# The hash also holds podcasts.pronounce.VERSION: the audio changes when the
# pronunciation does.
SCRIPT_VERSION = 7
HOST_A, HOST_B = "小林", "小周"
# eSpeak NG's Mandarin voice at its default rate speaks about four characters a
# second; Latin letters are spelt out, so count them as a little faster.
CHARS_PER_SECOND = 4.2
GAP_SECONDS = 0.35  # silence between lines
ANSWER_PAUSE_SECONDS = 3.0  # time to think before a quiz answer
RECAP_QUESTIONS = 3
# The sections are read until the episode would pass this; the rest is left to
# the notes page. Bounds the render (about 0.4 s of work per minute of audio)
# and what a learner is asked to sit through.
MAX_SECTION_SECONDS = 30 * 60
# No more lines than this start the same way (see `opening`).
MAX_SAME_OPENING = 3
OPENING_CHARS = 4
# A recap question is asked only if this share of its answer's key words was
# said before it.
ANSWERABLE_SHARE = 0.8
# A term is compared with this many terms explained just before it.
CONTRAST_REACH = 8

_TERM = re.compile(rf"^\s*({none_of(COLON, FULL_STOP, COMMA)}{{1,24}})\s*{one_of(COLON)}\s*(.*)$")
# 什么是Transformer 模型 → 什么是 Transformer 模型, as Chinese typography spaces them.
_HAN_BESIDE_LATIN = re.compile(rf"(?<=[{HAN}])(?=[A-Za-z])|(?<=[A-Za-z])(?=[{HAN}])")
# What is not spoken: spaces, punctuation and the hyphen.
_SILENT = re.compile(rf"[\s.\-]|{one_of(PUNCTUATION)}")
_NUMBERED = re.compile(rf"^\d{{1,3}}(?:{one_of('.', CLOSE_PAREN)}\s+|{LIST_COMMA})")
_YEAR = re.compile(r"^\d{3,4}\s*年")
# A question the notes ask themselves: 为什么…？因为…
_ASKED = re.compile(rf"^(.+?{one_of(QUESTION_MARK)})\s*(.+)$")
# The examples of an enumeration: …，如剪枝、量化和知识蒸馏。
_EXAMPLES = re.compile(
    rf"^(.*?)\s*{one_of(COMMA)}?\s*(例如|比如|诸如|如|包括|常见任务有|常见的有)\s*(.+?)\s*$"
)
# A cause or a purpose at the head of a definition: 为了…，需要… / 由于…，…
_CAUSE = re.compile(rf"^(为了|由于|因为)(.+?){one_of(COMMA)}\s*(.+)$")
# A consequence inside a sentence: …，从而… / …；因此…
_CONSEQUENCE = re.compile(
    rf"{one_of(COMMA, CLAUSE_END)}\s*(?:从而|因此|所以)\s*{one_of(COMMA)}?\s*(.+)$"
)
_CLAUSES = re.compile(rf"[^{re.escape(COMMA + CLAUSE_END)}]+")
# 循环神经网络（RNN） is also said as 循环神经网络 and as RNN.
_ALIAS = re.compile(
    rf"^(.+?)\s*{one_of(OPEN_PAREN)}\s*([^()\uff08\uff09]+?)\s*{one_of(CLOSE_PAREN)}$"
)
_CITATION = re.compile(rf"^\s*依据\u300c[^\u300d]*\u300d\s*{one_of(COLON)}?")
_SENTENCES = re.compile(f"{none_of(SENTENCE_END)}+{one_of(SENTENCE_END)}?")
# Words too common to tell one answer from another.
_PLAIN_WORDS = frozenset(
    [
        "可以",
        "能够",
        "进行",
        "通常",
        "主要",
        "使用",
        "一种",
        "以及",
        "通过",
        "需要",
        "经过",
        "什么",
        "哪些",
        "这些",
        "那些",
        "一个",
        "其他",
        "不同",
        "相关",
        "具有",
        "包括",
        "利用",
        "实现",
        "提高",
        "提升",
        "降低",
        "更加",
        "非常",
        "之间",
    ]
)
_LETTERS = "ABCDEFGH"
# A definition that opens like this follows its term directly: 文本生成可以生成…
# A definition opening like this follows its term directly: 文本生成可以生成…
_MODAL = ("可以", "能够", "能", "通常", "一般", "主要", "往往")
# …and a consequence that opens like this follows 它 directly: 所以它具备…
_CAN = ("具备", "具有", "能", "可以", "可", "会", "就")


@dataclass(frozen=True)
class Line:
    speaker: str
    text: str
    chapter: int
    pause_after: float = GAP_SECONDS

    @property
    def estimated_seconds(self) -> float:
        return estimate_seconds(self.text) + self.pause_after


@dataclass
class Script:
    title: str
    chapters: list[str] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    seconds: float = 0.0  # the running estimate, so checking it costs nothing

    def say(self, speaker: str, text: str, pause_after: float = GAP_SECONDS) -> None:
        text = _HAN_BESIDE_LATIN.sub(" ", text)
        line = Line(speaker, text, len(self.chapters) - 1, pause_after)
        self.lines.append(line)
        self.seconds += line.estimated_seconds

    def chapter(self, title: str) -> None:
        self.chapters.append(title)

    @property
    def estimated_seconds(self) -> float:
        return self.seconds

    def to_json(self) -> dict[str, object]:
        return {
            "title": self.title,
            "chapters": self.chapters,
            "lines": [asdict(line) for line in self.lines],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Script:
        """`data` is `to_json()` read back from the database: decoded JSON, so Any."""
        lines = [Line(**line) for line in data["lines"]]
        return cls(
            data["title"],
            list(data["chapters"]),
            lines,
            sum(line.estimated_seconds for line in lines),
        )


def estimate_seconds(text: str) -> float:
    return len(_SILENT.sub("", text)) / CHARS_PER_SECOND


@dataclass(frozen=True)
class Section:
    title: str
    body: str  # Markdown bullets


@dataclass(frozen=True)
class QuizQuestion:
    prompt: str
    answer: str  # the right options' text, joined with ；
    options: tuple[str, ...] = ()  # every option, in the order stored
    right: tuple[str, ...] = ()  # the right ones among them
    explanation: str = ""
    section: str = ""  # the title of the note it rests on
    kind: str = ""  # single, multiple, true_false


@dataclass(frozen=True)
class Card:
    front: str
    back: str
    section: str = ""


def content_hash(
    title: str,
    sections: list[Section],
    questions: list[QuizQuestion],
    cards: list[Card] | tuple[Card, ...] = (),
) -> str:
    payload = json.dumps(
        [
            SCRIPT_VERSION,
            pronounce.VERSION,
            title,
            [asdict(s) for s in sections],
            [asdict(q) for q in questions],
            [asdict(c) for c in cards],
        ],
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def points(body: str) -> list[tuple[str, list[str]]]:
    """Bullets of a Markdown section: (text, nested bullets). A numbered item
    (`1. …`) is a bullet; a line of plain text is a point of its own."""
    out: list[tuple[str, list[str]]] = []
    for raw in body.splitlines():
        stripped = raw.strip()
        bullet = stripped.startswith(("- ", "* ")) or bool(_NUMBERED.match(stripped))
        if not bullet:
            if stripped:
                out.append((stripped, []))
            continue
        text = _NUMBERED.sub("", stripped[2:] if stripped.startswith(("- ", "* ")) else stripped)
        text = text.strip()
        if raw.startswith((" ", "\t")) and out:
            out[-1][1].append(text)
        else:
            out.append((text, []))
    return out


def opening(text: str, terms: list[str] | tuple[str, ...] = ()) -> str:
    """How a line opens, to tell a template from its repeats: the first
    OPENING_CHARS characters left once every term (the set, section and card
    titles, the terms of the notes) is removed, digits are folded to `#`, and
    spaces and punctuation are dropped. 「什么是 Transformer？」 and 「什么是过拟合？」
    both open with 什么是 (after the terms go, 什么是); 「第 2 部分」 opens with 第#部分."""
    return _opening(text, _term_index(terms))


def _term_index(terms: Iterable[str]) -> tuple[frozenset[str], tuple[int, ...]]:
    """The terms, and their lengths longest first: a line is scanned once, with a
    set lookup per length at each character."""
    known = frozenset(t for t in terms if t)
    return known, tuple(sorted({len(t) for t in known}, reverse=True))


def _opening(text: str, index: tuple[frozenset[str], tuple[int, ...]]) -> str:
    known, lengths = index
    kept, at = [], 0
    while at < len(text):
        size = next((n for n in lengths if text[at : at + n] in known), 0)
        if size:
            at += size
            continue
        kept.append(text[at])
        at += 1
    return _SILENT.sub("", re.sub(r"\d+", "#", "".join(kept)))[:OPENING_CHARS]


@functools.lru_cache(maxsize=4096)
def key_words(text: str) -> tuple[str, ...]:
    """The words that carry an answer: two or more characters with a Chinese
    character or a letter in them, and not a word every answer uses."""
    words = []
    for word in rjieba.cut(_clean(text)):
        word = word.strip()
        if len(word) >= 2 and re.search(rf"[{HAN}A-Za-z]", word) and word not in _PLAIN_WORDS:
            words.append(word)
    return tuple(dict.fromkeys(words))


def spoken_share(text: str, said: str) -> float:
    """How much of `text`'s key words `said` holds (1.0 when it has none)."""
    words = key_words(text)
    return sum(word in said for word in words) / len(words) if words else 1.0


def _clean(text: str) -> str:
    return typeset(re.sub(r"[*_`#>\[\]]", "", text).strip())


def _bare(text: str) -> str:
    """Without the closing mark: to join clauses or slot into a template."""
    return _clean(text).rstrip("".join(SENTENCE_END) + ".;\uff1b" + COLON + COMMA).strip()


def _sentence(text: str) -> str:
    text = _clean(text)
    if text.endswith((*COLON, *COMMA)):
        text = text[:-1]
    return text if text.endswith((*SENTENCE_END, ".")) else text + FULL_STOP


def _bigrams(text: str) -> set[str]:
    text = _SILENT.sub("", text)
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _similar(a: str, b: str) -> float:
    """Share of `a`'s character pairs also in `b`: 1.0 when `b` says all of `a`."""
    pairs = _bigrams(a)
    return len(pairs & _bigrams(b)) / len(pairs) if pairs else 1.0


@dataclass
class Item:
    """One point of a section, as the hosts will talk about it."""

    term: str  # "" for a plain statement
    text: str  # the definition or the statement
    nested: list[Item] = field(default_factory=list)


def items(body: str) -> list[Item]:
    out = []
    for text, nested in points(body):
        out.append(_item(text, [_item(child, []) for child in nested]))
    return out


def _item(text: str, nested: list[Item]) -> Item:
    text = _clean(text)
    lead = _TERM.match(text)
    if lead and not _ASKED.match(lead.group(1)):
        term, definition = lead.group(1).strip(), lead.group(2).strip()
        return Item(term, definition, nested)
    return Item("", text, nested)


# What each host says, by purpose: several phrasings, the first that keeps its
# opening under MAX_SAME_OPENING is taken. {t} is a term, {s} a section.
PHRASES: dict[str, tuple[str, ...]] = {
    "section": (
        "第 {n} 部分\uff0c我们来聊聊「{s}」。",
        "接下来是「{s}」。",
        "下面进入「{s}」这一部分。",
        "我们再来看看「{s}」。",
        "然后说说「{s}」。",
        "换个话题\uff0c聊聊「{s}」。",
        "「{s}」这部分也很重要。",
    ),
    "what": (
        "什么是{t}\uff1f",
        "{t}指的是什么\uff1f",
        "那{t}呢\uff1f",
        "{t}又是什么意思\uff1f",
        "怎么理解{t}\uff1f",
        "说说{t}吧。",
        "能解释一下{t}吗\uff1f",
        "{t}是干什么的\uff1f",
        "我常听到{t}\uff0c它到底是什么\uff1f",
    ),
    "label": (
        "{t}是怎么回事\uff1f",
        "「{t}」具体指什么\uff1f",
        "讲讲「{t}」\uff1f",
        "那「{t}」呢\uff1f",
    ),
    "when": (
        "{t}是什么时候出现的\uff1f",
        "{t}是哪一年的事\uff1f",
        "{t}从什么时候开始\uff1f",
    ),
    "year": (
        "{t}发生了什么\uff1f",
        "那{t}呢\uff1f",
        "到了{t}呢\uff1f",
    ),
    "why": (
        "为什么需要{t}\uff1f",
        "为什么要用{t}\uff1f",
        "{t}是为了解决什么问题\uff1f",
        "为什么会有{t}\uff1f",
    ),
    "example": (
        "能举个例子吗\uff1f",
        "有哪些具体的例子\uff1f",
        "比如说呢\uff1f",
        "具体有哪些\uff1f",
        "都有哪些呢\uff1f",
    ),
    "group": (
        "{t}有哪些\uff1f",
        "{t}包括什么\uff1f",
        "说说{t}吧。",
        "{t}这一块呢\uff1f",
        "那{t}呢\uff1f",
    ),
    "group_list": (
        "主要有 {n} 个\uff1a{x}。",
        "一共 {n} 个\uff1a{x}。",
        "有{x}。",
        "包括{x}。",
        "分别是{x}。",
        "可以分成 {n} 类\uff1a{x}。",
    ),
    "define": (
        "{t}指的是{x}",
        "{t}\uff0c就是{x}",
        "{t}是{x}",
        "{t}\uff0c简单说就是{x}",
        "{t}说的是{x}",
    ),
    "more": (
        "还有呢\uff1f",
        "然后呢\uff1f",
        "这一点怎么理解\uff1f",
        "具体说说\uff1f",
        "还有别的特点吗\uff1f",
        "嗯\uff0c接着说\uff1f",
    ),
    "start": (
        "这部分先讲什么\uff1f",
        "从哪里讲起呢\uff1f",
        "先说最基本的吧\uff1f",
        "最先要知道的是什么\uff1f",
    ),
    "because": (
        "对\uff0c这就是为什么需要{t}。",
        "明白了\uff0c难怪要用{t}。",
        "原来如此\uff0c{t}是这么来的。",
    ),
    "so_it": (
        "对\uff0c所以它{x}。",
        "难怪它{x}。",
        "这样一来\uff0c它就{x}。",
    ),
    "so": (
        "对\uff0c所以{x}。",
        "也就是说\uff0c{x}。",
        "难怪{x}。",
        "这样一来\uff0c{x}。",
    ),
    "rephrase": (
        "换句话说\uff0c{t}就是{x}。",
        "用一句话概括\uff1a{t}是{x}。",
        "简单地说\uff0c{t}就是{x}。",
        "所以说\uff0c{t}可以理解为{x}。",
    ),
    "link": (
        "这里的{t}\uff0c我们在「{s}」里讲过\uff1a",
        "还记得「{s}」里说的{t}吗\uff1f",
        "{t}在「{s}」里也出现过\uff1a",
    ),
    "contrast_ask": (
        "{t}和{u}有什么区别\uff1f",
        "这和前面讲的{u}有什么不同\uff1f",
        "{u}和{t}容易混\uff0c怎么区分\uff1f",
    ),
    "contrast": (
        "区别在于\uff1a{u}\uff0c{y}\uff1b而{t}\uff0c{x}。",
        "{u}是说{y}\uff1b{t}是说{x}。",
        "关键看这一点\uff1a{u}\uff0c{y}\uff1b{t}\uff0c{x}。",
    ),
    # What the question explanations add: not always a confusion, so ask openly.
    "confuse": (
        "这一部分还有什么要补充的吗\uff1f",
        "做题的时候要注意什么\uff1f",
        "还有别的要提醒的吗\uff1f",
    ),
    "ok": (
        "好\uff0c清楚了。",
        "嗯\uff0c记住了。",
        "这个例子很直观。",
    ),
    "filler": ("另外\uff0c", "还有\uff0c", "再说一点\uff0c", "同时\uff0c", "此外\uff0c"),
}


class _Talk:
    """The script being written, with the phrasings already used."""

    def __init__(self, title: str, terms: list[str]):
        self.script = Script(title)
        self.terms = _term_index(terms)
        self.openings: Counter[str] = Counter()
        self.turn: Counter[str] = Counter()

    def said(self) -> str:
        return "\n".join(line.text for line in self.script.lines)

    def _fits(self, text: str) -> bool:
        return self.openings[_opening(text, self.terms)] < MAX_SAME_OPENING

    def say(self, speaker: str, text: str, pause_after: float = GAP_SECONDS) -> None:
        if not self._fits(text):
            for filler in PHRASES["filler"]:
                if self._fits(filler + text):
                    text = filler + text
                    break
        self.openings[_opening(text, self.terms)] += 1
        self.script.say(speaker, text, pause_after)

    def phrase(self, purpose: str, **slots: str) -> str | None:
        """The next phrasing for `purpose` whose opening is still free, or None."""
        options = PHRASES[purpose]
        start = self.turn[purpose]
        # 「自然语言处理 (NLP)」 quoted: what comes before it is no part of the name
        # the pronunciation front end learns for NLP.
        slots = {
            key: f"\u300c{value}\u300d" if _ALIAS.match(value) and key in "tu" else value
            for key, value in slots.items()
        }
        for step in range(len(options)):
            text = options[(start + step) % len(options)].format(**slots)
            text = text.replace("\u300c\u300c", "\u300c").replace("\u300d\u300d", "\u300d")
            if self._fits(text):
                self.turn[purpose] = start + step + 1
                return text
        return None

    def ask(self, purpose: str, **slots: str) -> bool:
        text = self.phrase(purpose, **slots)
        if text:
            self.say(HOST_A, text)
        return bool(text)


def _split_examples(text: str) -> tuple[str, str] | None:
    """`用带标签的数据训练模型，例如图像分类、…` → (the claim, the examples), when
    the claim stands on its own and the examples are an enumeration and nothing else."""
    match = _EXAMPLES.match(_bare(text))
    if not match:
        return None
    head, marker, listed = match.group(1), match.group(2), match.group(3)
    head = head.rstrip(COMMA).strip()
    if (
        len(_SILENT.sub("", head)) < 4
        or head.startswith(("随着", "由于", "因为", "为了", "除了"))
        or head.count("(") + head.count("\uff08") != head.count(")") + head.count("\uff09")
        or re.search(one_of(COMMA, CLAUSE_END), listed)
        or not re.search(one_of(LIST_COMMA) + "|和|或|等", listed)
    ):
        return None
    said = "比如" if marker in {"例如", "比如", "诸如", "如"} else marker
    return head, f"{said}{listed}"


def _explanation_extras(explanation: str, notes_text: str) -> list[str]:
    """What an explanation says beyond the notes sentence it quotes: the
    sentences not already in the notes, and not leaning on 这/它 for context."""
    body = _CITATION.sub("", _clean(explanation))
    out = []
    for sentence in _SENTENCES.findall(body):
        sentence = sentence.strip()
        if len(sentence) < 6 or sentence.startswith(("这", "它", "此")):
            continue
        if _similar(sentence, notes_text) >= 0.85:  # the quoted notes sentence
            continue
        out.append(_sentence(sentence))
    return out


def _first_clauses(text: str, least: int = 8) -> str:
    """The opening clauses of `text`, at least `least` characters when it has them."""
    out = ""
    for clause in _CLAUSES.findall(_bare(text)):
        out = f"{out}\uff0c{clause.strip()}" if out else clause.strip()
        if len(out) >= least:
            break
    return out


def _tags(clause: str) -> list[tuple[str, str]]:
    return [(word, tag) for word, tag in rjieba.tag(clause) if word.strip()]


def _is_noun_phrase(text: str) -> bool:
    """`由大量…组成的计算模型`, `…的调和平均数`: a clause with 的 that ends on a noun."""
    for clause in _CLAUSES.findall(text):
        tags = _tags(clause)
        if "的" in clause and tags and tags[-1][1].startswith(("n", "eng")):
            return True
    return False


def _has_own_subject(text: str) -> bool:
    """`大模型需要海量的数据…` says something of its own subject and is said as it
    is, not after its term. A clause has its own subject when a noun is followed
    by a verb with no 的 between them (`语言之间的自动翻译` is a noun), or it ends on
    an adjective (`内部机制复杂`); a clause opening with a preposition has none."""
    clauses = _CLAUSES.findall(text)
    tags = _tags(clauses[0] if clauses else text)
    if not tags or tags[0][1].startswith("p"):
        return False
    noun = False
    for word, tag in tags:
        if tag.startswith("v") and noun:
            return True
        if word == "的":
            noun = False
        elif tag.startswith(("n", "r", "eng")):
            noun = True
    return tags[-1][1].startswith("a")


def _aliases(term: str) -> list[str]:
    match = _ALIAS.match(term)
    return [term, match.group(1), match.group(2)] if match else [term]


class _Conversation:
    """The script under construction, and what has been said so far."""

    def __init__(
        self,
        title: str,
        sections: list[Section],
        questions: list[QuizQuestion],
        cards: Iterable[Card],
    ):
        self.title = title
        self.sections = [(s.title, items(s.body)) for s in sections]
        self.questions = questions
        self.cards = {_clean(card.front): card for card in cards if card.front and card.back}
        self.cards_said: set[str] = set()
        terms = [title, *(s.title for s in sections), *self.cards]
        for _title, section_items in self.sections:
            for item in section_items:
                terms += [item.term, *(child.term for child in item.nested)]
        self.terms = [alias for term in dict.fromkeys(terms) if term for alias in _aliases(term)]
        self.talk = _Talk(title, self.terms)
        self.introduced: dict[str, str] = {}  # term → the section that first explained it
        self.definitions: dict[str, str] = {}  # term → what it was said to be
        self.linked: set[str] = set()
        self.contrasted: set[frozenset[str]] = set()
        self.distinctive: dict[str, bool] = {}
        self.order: list[str] = []  # terms as they were explained
        self.notes_text = "\n".join(s.body for s in sections)
        self.items_text = [
            item.text  # already clean
            for _t, its in self.sections
            for top in its
            for item in [top, *top.nested]
        ]

    # -- a term -------------------------------------------------------------
    def explain_term(self, section: str, item: Item, ask: bool = True) -> None:
        talk = self.talk
        term, definition = item.term, _bare(item.text)
        cause = _CAUSE.match(definition)
        if _YEAR.match(term):
            talk.ask("year", t=term) or talk.ask("more")
            talk.say(HOST_B, _sentence(f"{term}\uff0c{definition}"))
            self._remember(term, section, definition)
            return
        if ask:
            if _YEAR.match(definition):
                asked = talk.ask("when", t=term)
            elif cause:
                asked = talk.ask("why", t=term)
            else:
                asked = talk.ask("what" if self._is_term(term) else "label", t=term)
            if not asked:
                talk.ask("more")
        self.link(section, f"{term} {definition}", exclude=term)
        examples = _split_examples(definition)
        if examples:
            head, listed = examples
            talk.say(HOST_B, self._define(term, head))
            talk.ask("example")
            talk.say(HOST_B, _sentence(listed))
        else:
            talk.say(HOST_B, _sentence(definition) if cause else self._define(term, definition))
        self._card(term, section)
        self._react(term, definition, cause)
        self._remember(term, section, definition)
        self.contrast(section, term, definition)

    def _define(self, term: str, definition: str) -> str:
        """小周's answer: the definition, with the term where Chinese wants it:
        「准确率指的是…的比例」, 「编码器把输入序列…」, or as the notes say it when it
        has a subject of its own (「大模型需要海量的数据…」)."""
        if definition.startswith((term, "随着", "由于", "因为", "为了", "除了")) or _YEAR.match(
            definition
        ):
            return _sentence(definition)
        if _has_own_subject(definition):
            return _sentence(definition)
        tail = key_words(term)[-1:] or [term]
        if definition.startswith(tail[0]) or (
            _is_noun_phrase(definition) and not definition.startswith(_MODAL)
        ):
            return _sentence(self.talk.phrase("define", t=term, x=definition) or definition)
        return _sentence(f"{term}{definition}")  # 编码器 + 把输入序列转换成…

    def _is_term(self, term: str) -> bool:
        han = len(re.findall(f"[{HAN}]", term))
        return term in self.cards or han <= 4 or bool(re.search(r"[A-Za-z]", term))

    def _remember(self, term: str, section: str, definition: str) -> None:
        if term not in self.introduced:
            self.order.append(term)
        self.introduced.setdefault(term, section)
        self.definitions.setdefault(term, definition)

    def _card(self, term: str, section: str) -> None:
        """The card's back, where it says what has not been said already."""
        card = self.cards.get(term)
        if not card or term in self.cards_said or card.section not in {"", section}:
            return
        self.cards_said.add(term)
        back = _bare(card.back)
        if _similar(back, self.talk.said()) >= 0.6:
            return
        text = None if back.startswith(term) else self.talk.phrase("rephrase", t=term, x=back)
        self.talk.say(HOST_B, text or _sentence(back))

    def other_cards(self, section: str) -> None:
        """Cards of this section whose term the notes never set out as a point."""
        for term, card in self.cards.items():
            if card.section != section or term in self.cards_said or term in self.definitions:
                continue
            self.cards_said.add(term)
            back = _bare(card.back)
            if _similar(back, self.talk.said()) >= 0.6:
                continue
            self.talk.ask("what", t=term) or self.talk.ask("more")
            self.talk.say(HOST_B, self._define(term, back))

    def _react(self, term: str, definition: str, cause: re.Match[str] | None) -> None:
        talk = self.talk
        if cause:
            talk.ask("because", t=term)
            return
        consequence = _CONSEQUENCE.search(definition)
        if consequence:
            self._so(_bare(consequence.group(1)))

    def _so(self, then: str) -> None:
        """小林 draws the consequence: 对，所以它能并行处理整个序列。"""
        if _has_own_subject(then):
            self.talk.ask("so", x=then)
        else:
            self.talk.ask("so_it", x=then if then.startswith(_CAN) else f"能{then}")

    def link(self, section: str, text: str, exclude: str = "") -> None:
        """A term first explained in an earlier section comes back: say where, and
        what it was."""
        for term, where in self.introduced.items():
            if where == section or term in self.linked or term == exclude:
                continue
            named = [alias for alias in _aliases(term) if len(alias) >= 2 and alias in text]
            if not named:
                continue
            self.linked.add(term)
            was = self.definitions.get(term, "")
            line = self.talk.phrase("link", t=named[-1] if len(named) > 0 else term, s=where)
            if line:
                if was:
                    line = f"{line}{_sentence(_first_clauses(was))}"
                self.talk.say(HOST_B, line)
            return

    def contrast(self, section: str, term: str, definition: str) -> None:
        """Two terms of the section that are easily confused — their names share a
        word, or their definitions share two distinctive ones: ask how they differ.
        Only the last CONTRAST_REACH terms are compared: neighbours get confused,
        and the work stays bounded on long notes."""
        if not self._is_term(term):
            return
        words = set(key_words(definition)) - set(key_words(term))
        best = None
        recent = [t for t in self.order[-CONTRAST_REACH:] if self.introduced.get(t) == section]
        for other in recent:
            other_def = self.definitions[other]
            pair = frozenset((term, other))
            if (
                other == term
                or not other_def
                or self.introduced.get(other) != section
                or pair in self.contrasted
                or not self._is_term(other)
                or _YEAR.match(other)
            ):
                continue
            shared = [w for w in words & set(key_words(other_def)) if self._distinctive(w)]
            named = set(key_words(term)) & set(key_words(other)) - {self.title}
            score = len(shared) + (2 if named and shared else 0)
            if score >= 2 and (best is None or score > best[1]):
                best = (other, score)
        if not best:
            return
        other = best[0]
        self.contrasted.add(frozenset((term, other)))
        asked = self.talk.phrase("contrast_ask", t=term, u=other)
        answer = self.talk.phrase(
            "contrast",
            t=term,
            u=other,
            x=_first_clauses(definition, 10),
            y=_first_clauses(self.definitions[other], 10),
        )
        if asked and answer:
            self.talk.say(HOST_A, asked)
            self.talk.say(HOST_B, answer)

    def _distinctive(self, word: str) -> bool:
        """A word few points use (样本, 语音), not one most do (模型)."""
        if word in self.title:
            return False
        if word not in self.distinctive:
            uses = (1 for text in self.items_text if word in text)
            self.distinctive[word] = next(islice(uses, 3, None), None) is None  # ≤ 3 uses
        return self.distinctive[word]

    # -- a plain statement --------------------------------------------------
    def explain_statement(self, section: str, item: Item, first: bool) -> None:
        talk = self.talk
        text = _bare(item.text)
        asked = _ASKED.match(text)
        if asked:  # the notes ask it themselves: 为什么…？因为…
            talk.say(HOST_A, _sentence(asked.group(1)))
            self.link(section, text)
            talk.say(HOST_B, _sentence(asked.group(2)))
            return
        subject = re.match(r"^(.{2,16}?)(?:是|指)", text)
        if subject and subject.group(1).strip() in self.terms:  # 机器学习是…
            talk.ask("what", t=subject.group(1).strip()) or talk.ask("more")
        elif first:
            talk.ask("start") or talk.ask("more")
        else:
            talk.ask("more")
        self.link(section, text)
        examples = _split_examples(text)
        if examples and not first:
            talk.say(HOST_B, _sentence(examples[0]))
            talk.ask("example")
            talk.say(HOST_B, _sentence(examples[1]))
        else:
            talk.say(HOST_B, _sentence(text))
        consequence = _CONSEQUENCE.search(text)
        if consequence:
            self._so(_bare(consequence.group(1)))

    # -- a group of nested points ------------------------------------------
    def explain_group(self, section: str, item: Item) -> None:
        talk = self.talk
        heading = _bare(item.term or item.text)
        named = [child for child in item.nested if child.term]
        if len(named) >= 2:
            talk.ask("group", t=heading) or talk.ask("more")
            names = [child.term for child in named]
            listed = "、".join(names[:-1]) + f"和{names[-1]}"
            line = talk.phrase("group_list", t=heading, n=str(len(names)), x=listed)
            talk.say(HOST_B, line or f"{listed}。")
        else:
            talk.ask("what" if self._is_term(heading) else "label", t=heading) or talk.ask("more")
        for index, child in enumerate(item.nested):
            if child.term:
                self.explain_term(section, child, ask=index > 0 or len(named) < 2)
            else:
                if index:
                    talk.ask("more")
                self.link(section, child.text)
                talk.say(HOST_B, _sentence(child.text))
        self._remember(heading, section, "")

    def confusions(self, section: str) -> None:
        """What the questions' explanations say people mix up in this section."""
        extras = []
        for question in self.questions:
            if question.section.split(" \u00b7 ")[0] == section and question.explanation:
                extras += _explanation_extras(question.explanation, self.notes_text)
        extras = [e for e in dict.fromkeys(extras) if _similar(e, self.talk.said()) < 0.85]
        if extras and self.talk.ask("confuse"):
            self.talk.say(HOST_B, "".join(extras[:2]))


def build_script(
    title: str,
    sections: list[Section],
    questions: list[QuizQuestion],
    cards: list[Card] | tuple[Card, ...] = (),
) -> Script:
    conversation = _Conversation(title, sections, questions, cards)
    talk = conversation.talk
    script = talk.script
    intro = [items_ for name, items_ in conversation.sections if not name]
    # A heading with nothing under it is no chapter.
    titled = [(name, items_) for name, items_ in conversation.sections if name and items_]
    script.chapter("开场")
    talk.say(HOST_A, f"大家好\uff0c欢迎收听学习站播客\uff0c我是{HOST_A}。")
    talk.say(HOST_B, f"我是{HOST_B}。今天我们一起学习「{title}」。")
    if titled:
        names = "、".join(f"「{name}」" for name, _items in titled)
        talk.say(HOST_A, f"这一期分为 {len(titled)} 个部分\uff1a{names}。")
    if any(intro):
        talk.say(HOST_A, f"先用一句话说说\uff0c{title}是什么\uff1f")
    for section_items in intro:
        for item in section_items:
            if script.seconds > MAX_SECTION_SECONDS:
                break
            text = f"{item.term}\uff1a{item.text}" if item.term else item.text
            talk.say(HOST_B, _sentence(text))
            for child in item.nested:
                talk.say(HOST_B, _sentence(child.text))
    for number, (name, section_items) in enumerate(titled, start=1):
        if script.seconds > MAX_SECTION_SECONDS:
            talk.say(HOST_A, f"还有 {len(titled) - number + 1} 个部分\uff0c请到学习笔记里阅读。")
            break
        script.chapter(name)
        if not talk.ask("section", n=str(number), s=name):
            talk.say(HOST_A, f"下面是「{name}」。")
        for index, item in enumerate(section_items):
            if script.seconds > MAX_SECTION_SECONDS:
                talk.say(HOST_A, "这一部分还有更多内容\uff0c请到学习笔记里阅读。")
                break
            if item.nested:
                conversation.explain_group(name, item)
            elif item.term:
                conversation.explain_term(name, item)
            else:
                conversation.explain_statement(name, item, first=index == 0)
        conversation.other_cards(name)
        conversation.confusions(name)
    recap(conversation, questions)
    script.chapter("结束")
    talk.say(HOST_A, f"今天关于「{title}」的内容就到这里。")
    talk.say(
        HOST_B,
        "别忘了去做问答、复习抽认卡\uff0c巩固今天学到的内容。我们下期再见\uff01",
        pause_after=0.0,
    )
    return script


def _options_in_order(question: QuizQuestion) -> list[str]:
    """The options in a fixed order that does not depend on where the right one
    was stored (a stored order often puts it first), nor on how the punctuation
    was typed."""
    return sorted(
        question.options,
        key=lambda option: hashlib.sha256(
            ascii_twins(f"{question.prompt}\n{option}").encode()
        ).hexdigest(),
    )


def answer_text(question: QuizQuestion) -> str:
    """What a listener must have heard to answer: the right options, or for
    true/false the statement."""
    return question.prompt if question.kind == Kind.TRUE_FALSE else question.answer


def recap(conversation: _Conversation, questions: list[QuizQuestion]) -> None:
    """Up to RECAP_QUESTIONS questions whose answers were said in the episode, one
    section each where possible, options read before the pause; else open
    questions from the cards."""
    talk = conversation.talk
    said = talk.said()
    answerable = [
        q
        for q in questions
        if q.prompt and q.answer and spoken_share(answer_text(q), said) >= ANSWERABLE_SHARE
    ]
    chosen, sections = [], set()
    for question in answerable:
        if question.section not in sections:
            chosen.append(question)
            sections.add(question.section)
    chosen += [q for q in answerable if q not in chosen]
    chosen = chosen[:RECAP_QUESTIONS]
    open_cards = []
    if len(chosen) < RECAP_QUESTIONS:
        open_cards = [
            card
            for card in conversation.cards.values()
            if spoken_share(card.back, said) >= ANSWERABLE_SHARE
        ][: RECAP_QUESTIONS - len(chosen)]
    if not chosen and not open_cards:
        return
    talk.script.chapter("小测验")
    count = len(chosen) + len(open_cards)
    talk.say(HOST_A, f"最后来 {count} 道小测验\uff0c听到题目后先别急\uff0c想一想再听答案。")
    labels = ["第一题", "第二题", "第三题", "第四题", "第五题"]
    for number, question in enumerate(chosen):
        label = "最后一题" if number == count - 1 and number else labels[number]
        talk.say(HOST_A, _question_line(label, question), pause_after=ANSWER_PAUSE_SECONDS)
        talk.say(HOST_B, _answer_line(question))
    for number, card in enumerate(open_cards, start=len(chosen)):
        label = "最后一题" if number == count - 1 and number else labels[number]
        talk.say(
            HOST_A,
            f"{label}\uff0c不看选项\uff0c说说什么是{_clean(card.front)}\uff1f",
            pause_after=ANSWER_PAUSE_SECONDS,
        )
        talk.say(HOST_B, _sentence(f"答案是\uff1a{_bare(card.back)}"))


def _question_line(label: str, question: QuizQuestion) -> str:
    prompt = _clean(question.prompt)
    if question.kind == Kind.TRUE_FALSE:
        statement = re.sub(rf"^判断{one_of(COLON)}\s*", "", prompt)
        return f"{label}\uff0c判断对错\uff1a{_sentence(_bare(statement))}"
    prompt = prompt if prompt.endswith(tuple(SENTENCE_END)) else prompt + "\uff1f"
    options = _options_in_order(question)
    many = "\uff08多选\uff09" if question.kind == Kind.MULTIPLE else ""
    read = "\uff1b".join(f"{_LETTERS[i]}\uff0c{_bare(option)}" for i, option in enumerate(options))
    return f"{label}{many}\uff1a{prompt}" + (f"{read}。" if read else "")


def _answer_line(question: QuizQuestion) -> str:
    if question.kind == Kind.TRUE_FALSE:
        verdict = "对" if question.answer.strip() in {"正确", "对", "True", "true"} else "错"
        return f"答案是\uff1a{verdict}。"
    options = _options_in_order(question)
    letters = [_LETTERS[i] for i, option in enumerate(options) if option in question.right]
    said = "\uff1b".join(_bare(option) for option in options if option in question.right)
    if letters:
        return f"答案是 {'、'.join(letters)}\uff1a{said}。"
    return f"答案是\uff1a{_sentence(question.answer)}"
