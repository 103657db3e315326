"""Is a generated item worth a learner's time? Pure checks, no ORM.

The generator calls them to leave out what a teacher would strike, and
`manage.py generator_report` calls them on a finished set to show what is left:
- give-away: a two-character piece links the prompt to a right option and to
  no wrong one (「模型压缩」 → 「…需要采用模型压缩技术…」), or the right option is
  the only one with a ____ mask;
- weak blank: the blank is not a whole word of its sentence, is a generic word
  (系统, 级别), a person-name tag (张表中), or one example of an enumeration;
- near-duplicate distractor: a wrong option with character-bigram similarity
  ≥ NEAR_DUPLICATE to a right one (要么全部成功… / 要么全部完成…);
- label-as-term: a "term" that is a year or a heading (随着…, 其他结构, 模型规模持续增大);
- duplicate term: two cards for one term (Transformer / Transformer 模型).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

import rjieba

from interchange.document import (
    FILL_BLANK,
    MULTIPLE,
    SINGLE,
    TRUE_FALSE,
    TRUE_TEXT,
    QuestionDoc,
    SetDoc,
)
from studysite.chinese import CLAUSE_END, COLON, COMMA, LIST_COMMA, QUOTES, none_of, one_of

MASK = "____"
NEAR_DUPLICATE = 0.6
# Bigrams are taken inside runs of hanzi: a pair straddling a comma or a space
# ("功,要") belongs to no word. A Latin word or a number is one piece (transformer).
_RUN = re.compile(r"[a-z0-9][a-z0-9+.\-]*|[^\W\da-z_]+")
# What a prompt quotes (「term」, “description”) is the part of it that varies.
_QUOTED = re.compile(f"{one_of(QUOTES)}({none_of(QUOTES)}+){one_of(QUOTES)}")

# Nouns of everyday language: blanking one tests Chinese, not the subject.
# Longer domain words need no list: they are ≥ 3 characters, Latin, or terms of the set.
_GENERIC_WORDS = (
    "领域 方式 方法 问题 能力 结果 任务 过程 部分 方面 类别 位置 用户 时代 基础 概念 情况 作用 "
    "内容 形式 特点 仓库 系统 级别 视频 关系 事情 东西 时候 时期 地方 方向 程度 条件 数量 "
    "规模 性能 效率 成本 信息 数据 技术 工具 手段 目标 作品 文本 图像 音频 语言 世界 社会 研究者 研究人员 人们 高质量"
)
GENERIC = frozenset(_GENERIC_WORDS.split())
# What a blank may be: a noun, a proper noun, a verbal noun, a Latin word.
BLANK_TAGS = frozenset({"n", "nz", "vn", "eng"})
_FUNCTION_CHARS = "对在从把被向给为与和跟"
# Verbs the dictionary tags v that end a noun phrase as a noun (催化作用, 光反应).
_NOMINAL_VERBS = frozenset({"作用", "影响", "变化", "反应", "运动", "需求"})
# A lone character with one of these tags is a word of its own (在, 和, 是), not a fragment.
_GRAMMAR_TAGS = frozenset({"p", "c", "d", "r", "v", "u", "uj", "ul", "m", "q", "x"})
_NOT_NOUN_STARTS = ("无法", "不", "没", "未", "经常", "常常", "已经", "正在", "可以", "能够")
PERSON_TAGS = frozenset({"nr", "nrt", "nrfg"})
# Words that open an example list: what follows is one instance among several.
_EXAMPLE = re.compile("(?:例如|诸如|比如|譬如|如)")
# Labels open with these (随着计算能力的提升…, 除了 Transformer 之外…, 早期模型, 其他结构).
LABEL_OPENINGS = ("随着", "除了", "早期", "其他", "其它", "其余", "另外", "此外", "近年", "未来")
# A label says something happens (持续增大, 不断探索): an adverb is in it.
_ADVERB_TAGS = frozenset({"d", "vd", "ad"})
_YEARISH = re.compile(r"^(?:公元前?)?\d+(?:年代?|世纪)?")
# Heads that make a second name for the same thing: Transformer / Transformer 模型.
TERM_HEADS = ("模型", "技术", "方法", "算法", "机制", "结构", "系统")


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def bigrams(text: str) -> Counter[str]:
    """Character bigrams inside each run of word characters, counted with repetition.

    A run of one character counts as itself, so 「表」 still has a piece.
    """
    pieces: Counter[str] = Counter()
    for run in _RUN.findall(fold(text).replace(MASK, " ")):
        if run.isascii():
            pieces[run] += 1
        else:
            pieces.update([run[i : i + 2] for i in range(len(run) - 1)] or [run])
    return pieces


def similarity(a: str, b: str) -> float:
    """Sørensen–Dice over character bigrams: 1.0 for the same words, 0.0 for none shared."""
    x, y = bigrams(a), bigrams(b)
    total = x.total() + y.total()
    return 2 * (x & y).total() / total if total else 0.0


def coverage(part: str, whole: str) -> float:
    """The share of `part`'s distinct bigrams that occur in `whole`."""
    mine, theirs = set(bigrams(part)), set(bigrams(whole))
    return len(mine & theirs) / len(mine) if mine else 0.0


def near_duplicate(a: str, b: str) -> bool:
    return similarity(a, b) >= NEAR_DUPLICATE


def common_pieces(texts: list[str], share: float = 0.2) -> frozenset[str]:
    """Bigrams found in at least `share` of the texts (and in three): 模型 in notes on 大模型."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(set(bigrams(text)))
    floor = max(3, share * len(texts))
    return frozenset(piece for piece, count in counts.items() if count >= floor)


def give_away(
    cue: str, right: list[str], wrong: list[str], common: frozenset[str] = frozenset()
) -> str:
    """The piece that tells the right option from the wrong ones without knowing the subject.

    A bigram of `cue` (the varying part of the prompt) found in a right option and
    in no wrong one; or a ____ mask only the right options carry. "" when none.
    """
    if right and wrong and all(MASK in r for r in right) and not any(MASK in w for w in wrong):
        return MASK
    seen_wrong = set().union(*(bigrams(w) for w in wrong)) if wrong else set()
    for piece in bigrams(cue):
        linked = any(piece in bigrams(r) for r in right)
        if len(piece) >= 2 and piece not in common and piece not in seen_wrong and linked:
            return piece
    return ""


def term_key(term: str) -> str:
    """Two names of one term share a key: Transformer / Transformer 模型 / transformer."""
    key = re.sub(r"\s+", "", fold(term))
    for head in TERM_HEADS:
        if key.endswith(head) and len(key) > len(head) + 1:
            return key[: -len(head)]
    return key


def is_label(term: str) -> bool:
    """A heading or an event, not a term: a year, 随着…/除了…/早期…/其他…, or a clause
    with an adverb in it (模型规模持续增大)."""
    text = term.strip()
    if not text or _YEARISH.match(text) or text.startswith(LABEL_OPENINGS):
        return True
    words = rjieba.tag(text, False)
    opening, tag = words[0] if words else ("", "")
    if tag in {"p", "c", "r"} and len(opening) >= 2 and len(words) > 1:  # 随着…, 并且…, 这些…
        return True
    return any(tag in _ADVERB_TAGS for _, tag in words)


def is_person(word: str) -> bool:
    return any(tag in PERSON_TAGS for _, tag in rjieba.tag(word, False))


def _spans(source: str) -> list[tuple[int, int, str]]:
    """Each word of `source` as (start, end, tag), segmented without guessing new words
    (with guessing, rjieba reads 两张或多张表中 as the name 张表中)."""
    out, at = [], 0
    for word, tag in rjieba.tag(source, False):
        out.append((at, at + len(word), tag))
        at += len(word)
    return out


_CLAUSE = re.compile(f"{none_of(COMMA, CLAUSE_END, COLON)}+")


def enumerated(source: str) -> list[tuple[int, int]]:
    """Stretches of `source` that list examples: a clause with 、 in it (A、B和C), and
    what follows 如/例如/诸如 in its clause. Blanking one item would refuse its siblings."""
    out = []
    for clause in _CLAUSE.finditer(source):
        if LIST_COMMA in clause.group():
            out.append(clause.span())
            continue
        for cue in _EXAMPLE.finditer(clause.group()):
            out.append((clause.start() + cue.start(), clause.end()))
    return out


def _straddled(text: str, at: int) -> bool:
    """Does a dictionary word of up to four characters run across position `at`?"""
    return any(
        rjieba.has_word(text[at - left : at + right])
        for left in range(1, 4)
        for right in range(1, 4)
        if left + right <= 4
        and at - left >= 0
        and at + right <= len(text)
        and text[at - left : at + right].isalnum()
    )


def _ends_in_predicate(word: str) -> bool:
    """Does the word end in a verb or adjective of its own (社会|安定), or name a role (统治者)?"""
    if word.endswith("者"):
        return True
    tail = [part for part in rjieba.cut_for_search(word) if part != word and word.endswith(part)]
    if not tail or tail[-1] in _NOMINAL_VERBS:
        return False
    return rjieba.tag(tail[-1], False)[0][1][:1] in {"v", "a", "d"}


def _opens_clause(text: str, at: int) -> bool:
    return at == 0 or not text[at - 1].isalnum()


def weak_blank(answer: str, source: str, terms: frozenset[str] = frozenset()) -> str:
    """Why hiding `answer` in `source` makes a poor blank; "" when it is a good one."""
    if not answer or source.count(answer) != 1:
        return "答案不在原句中或出现多次"
    if len(answer.strip()) < 2:
        return "泛泛的词"  # 表: one character is guessed, not recalled
    if answer.startswith(_NOT_NOUN_STARTS):
        return "不是名词"  # the dictionary tags 无法 and 经常出现 as nouns
    start = source.find(answer)
    end = start + len(answer)
    spans = _spans(source)
    covered = [tag for s, e, tag in spans if s < end and e > start]
    if not {s for s, _, _ in spans} >= {start} or end not in {e for _, e, _ in spans}:
        return "不是完整的词"
    if any(s < end and e > start for s, e in enumerated(source)):
        return "列举中的一项"
    if answer in terms:
        return ""  # a term of the set is what the notes teach, however rjieba tags it
    if any(tag in PERSON_TAGS for tag in covered):
        return "人名"
    if _straddled(source, start) or _straddled(source, end):
        return "不是完整的词"  # 利用光|能: the dictionary's 光能 runs across the edge
    before = [(s, e, tag) for s, e, tag in spans if e == start]
    lone = before and before[0][1] - before[0][0] == 1 and before[0][2] not in _GRAMMAR_TAGS
    if lone and _opens_clause(source, before[0][0]):
        return "不是完整的词"  # 中____张仲景: a lone character opening a clause is part of a word
    short = all(e - s < 3 for s, e, _ in spans if s < end and e > start)
    if len(covered) > 1 and short and "eng" not in covered:
        return "不是一个词"  # 联军大败: two short words side by side are rarely one term
    if answer in GENERIC:
        return "泛泛的词"
    if not covered or any(tag not in BLANK_TAGS for tag in covered):
        return "不是名词"
    if len(covered) == 1 and _ends_in_predicate(answer):
        return "不是名词"  # 继续执行, 社会安定: the dictionary tags a clause as a noun
    if answer[0] in _FUNCTION_CHARS and answer[1:] and len(covered) == 1:
        return "不是完整的词"  # 对模型: the dictionary glues a preposition to a noun
    if len(answer) < 3 and "eng" not in covered or answer.isdigit():
        return "泛泛的词"
    return ""


@dataclass
class Review:
    kind: str  # 卡片 or 题目
    text: str
    flags: list[str] = field(default_factory=list)


def _right_and_wrong(question: QuestionDoc) -> tuple[list[str], list[str]]:
    return (
        [c.text for c in question.choices if c.correct],
        [c.text for c in question.choices if not c.correct],
    )


def review(doc: SetDoc) -> list[Review]:
    """Every card and question of a generated set, with the flags a teacher would raise."""
    out: list[Review] = []
    keys: dict[str, str] = {}
    terms = frozenset(card.front for card in doc.cards)
    common = common_pieces([card.back for card in doc.cards])
    for card in doc.cards:
        item = Review("卡片", f"{card.front} → {card.back}")
        if is_label(card.front):
            item.flags.append("label-as-term")
        key = term_key(card.front)
        if key in keys:
            item.flags.append(f"duplicate term（{keys[key]}）")
        keys.setdefault(key, card.front)
        out.append(item)
    for question in doc.questions:
        right, wrong = _right_and_wrong(question)
        lines = [question.prompt] + [
            ("  * " if c.correct else "    ") + c.text for c in question.choices
        ]
        item = Review("题目", "\n".join(lines))
        cue = " ".join(_QUOTED.findall(question.prompt)) or question.prompt
        shown = [t for t in _QUOTED.findall(question.prompt) if t in terms]
        if any(is_label(t) for t in shown):
            item.flags.append("label-as-term")
        if question.kind in (SINGLE, MULTIPLE):
            piece = give_away(cue, right, wrong)
            if piece:
                item.flags.append(f"give-away（{piece}）")
            if any(near_duplicate(w, r) for w in wrong for r in right):
                item.flags.append("near-duplicate distractor")
        elif question.kind == TRUE_FALSE:
            # A link between the term and a true statement gives it away; in a false
            # one it is a lure, and a learner who knows the subject is not fooled.
            statement = question.prompt.partition("——")[2]
            term = shown[0] if shown else ""
            true = any(c.correct and c.text == TRUE_TEXT for c in question.choices)
            piece = give_away(term, [statement], [], common) if true and term else ""
            if piece:
                item.flags.append(f"give-away（{piece}）")
        elif question.kind == FILL_BLANK and right:
            reason = weak_blank(right[0], question.source, terms)
            if reason:
                item.flags.append(f"weak blank（{reason}）")
        out.append(item)
    return out


def flag_free_share(reviews: list[Review]) -> float:
    return sum(not r.flags for r in reviews) / len(reviews) if reviews else 1.0
