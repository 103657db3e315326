"""Chinese punctuation: the one owner of its character classes.

People type with a Chinese input method, which gives full-width punctuation
(：，；！？（）); the source material and many files use the ASCII twins. Every
parser reads both through the groups below, and no pattern elsewhere spells a
punctuation set by hand: write `one_of(COLON)` where `[:\uff1a]` was meant.
Full-width characters are written as escapes, so a reviewer can tell them
from their ASCII twins.
"""

from __future__ import annotations

import re

COLON = ":\uff1a"  # ： and :
COMMA = ",\uff0c"  # ， and ,
SEMICOLON = ";\uff1b"  # ； and ;
EXCLAMATION = "!\uff01"  # ！ and !
QUESTION_MARK = "?\uff1f"  # ？ and ?
OPEN_PAREN = "(\uff08"  # （ and (
CLOSE_PAREN = ")\uff09"  # ） and )
LIST_COMMA = "\u3001"  # 、 the enumeration comma
FULL_STOP = "\u3002"  # 。 (not the ASCII '.', which is also a decimal point)
# The common Chinese characters, for inside a regex class: f"[{HAN}]".
HAN = "\u4e00-\u9fff"
PERCENT = "%\uff05"  # ％ and %
RANGE = "-~\uff5e"  # 7-8, 10~20 and ～: read 到 aloud
QUOTES = "\"'\u201c\u201d\u2018\u2019\u300c\u300d\u300e\u300f"  # " ' “ ” ‘ ’ 「 」 『 』

# A sentence ends at 。！？ (and ASCII ! ?); a clause at ，；、 as well.
SENTENCE_END = FULL_STOP + EXCLAMATION + QUESTION_MARK
CLAUSE_END = SENTENCE_END + SEMICOLON
# Items of an enumeration: 检索、生成和评估 / A, B, C.
ENUMERATION = LIST_COMMA + COMMA
# Everything above: what ends a term, or is stripped around one.
PUNCTUATION = (
    COLON + COMMA + SEMICOLON + EXCLAMATION + QUESTION_MARK + OPEN_PAREN + CLOSE_PAREN
) + (LIST_COMMA + FULL_STOP + QUOTES)

# Each mark's ASCII twin, for comparing what people type (NFKC folds ：，；！？（）
# itself but leaves 、。 and the quotes alone).
_ASCII_TWINS = str.maketrans(
    {LIST_COMMA: ",", FULL_STOP: ".", **dict.fromkeys(QUOTES, '"')}
    | {
        pair[1]: pair[0]  # each pair is "narrow wide"
        for pair in (
            COLON,
            COMMA,
            SEMICOLON,
            EXCLAMATION,
            QUESTION_MARK,
            OPEN_PAREN,
            CLOSE_PAREN,
        )
    }
)


def ascii_twins(text: str) -> str:
    """Every mark above as its ASCII twin (、→, 。→. quotes→"), for comparison only."""
    return text.translate(_ASCII_TWINS)


def _body(groups: tuple[str, ...]) -> str:
    return re.escape("".join(dict.fromkeys("".join(groups))))


def one_of(*groups: str) -> str:
    """A regex character class matching any character of the groups: `[:：]`."""
    return f"[{_body(groups)}]"


def none_of(*groups: str) -> str:
    """A regex character class matching any character outside the groups: `[^:：]`."""
    return f"[^{_body(groups)}]"


# --- Typography: what people read -----------------------------------------------------
#
# Parsers read both forms; what is shown uses the full-width one. `typeset` converts
# text once, where it enters the database (imports, the generator, admin saves).

_FULL_WIDTH = {
    group[0]: group[1]
    for group in (COLON, COMMA, SEMICOLON, EXCLAMATION, QUESTION_MARK, OPEN_PAREN, CLOSE_PAREN)
}
_HAN = re.compile(
    "[\u3001-\u303f"  # CJK symbols and punctuation: 、。「」《》…
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"  # ideographs
    "\uff00-\uffef]"  # full-width forms
)
_SPACE = " \t"
# A run of sentence marks, spaces between them included; `![` starts a Markdown image.
_MARKS = re.escape("".join(group[0] for group in (COLON, COMMA, SEMICOLON, QUESTION_MARK)))
_MARK = f"(?:[{_MARKS}]|!(?!\\[))"
_RUN = re.compile(f"{_MARK}(?:[{_SPACE}]*{_MARK})*")
_PAREN = re.compile(re.escape(OPEN_PAREN[0]) + "|" + re.escape(CLOSE_PAREN[0]))
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*$", re.MULTILINE)
_URL_CHAR = "[^\\s<>\"'`\u0080-\U0010ffff"
_PROTECTED = re.compile(
    r"`[^`\n]*`"  # inline code
    r"|\]\([^()\[\]\n]*\)"  # a Markdown link target
    f"|https?://{_URL_CHAR}]*{_URL_CHAR}.,:;!?)]"  # a URL, without trailing punctuation
    r"|<[A-Za-z/!?][^<>\n]*>"  # an HTML tag or comment
    r"|&#?\w+;"  # an HTML entity
)
_HIDDEN = "\ue000"  # stands in for protected text: neither Chinese, nor a mark, nor a space


def typeset(text: str) -> str:
    """Chinese text with Chinese punctuation: an ASCII , : ; ! ? ( ) touching a
    Chinese character becomes ，：；！？（）, and the spaces beside it go.

    A pair of parentheses converts together (自然语言处理(NLP) → 自然语言处理（NLP）).
    Numbers (1,000, 10:30), URLs, Markdown link targets, code, HTML tags and
    entities and Latin-only text are left alone. Idempotent, and linear in the
    length of the text.
    """
    masked = _mask(text)
    end = len(masked)
    edits: dict[int, str] = {}

    def left(i: int) -> int:  # the nearest character before i that is not a space
        i -= 1
        while i >= 0 and masked[i] in _SPACE:
            i -= 1
        return i

    def right(i: int) -> int:  # the nearest character after i that is not a space
        i += 1
        while i < end and masked[i] in _SPACE:
            i += 1
        return i

    def chinese(i: int) -> bool:
        return 0 <= i < end and _HAN.match(masked[i]) is not None

    def drop(start: int, stop: int) -> None:
        for i in range(start, stop):
            edits[i] = ""

    # The marks that convert together: a pair of parentheses (or one left
    # unmatched), and a run of , : ; ! ? with only spaces between them.
    stack: list[int] = []
    groups: list[tuple[int, ...]] = []
    for match in _PAREN.finditer(masked):
        at = match.start()
        if masked[at] == OPEN_PAREN[0]:
            stack.append(at)
        elif stack:
            groups.append((stack.pop(), at))
        else:
            groups.append((at,))
    groups += [(at,) for at in stack]
    parens = len(groups)
    groups += [tuple(range(*match.span())) for match in _RUN.finditer(masked)]

    # Where each group touches: the nearest non-space character beside each of
    # its parentheses, or beside either end of its run.
    touches: list[list[int]] = [
        [side(at) for at in group for side in (left, right)]
        if n < parens
        else [left(group[0]), right(group[-1])]
        for n, group in enumerate(groups)
    ]
    # A group converts when it touches Chinese (1,000 and 10:30, between digits,
    # do not), or touches a group that converts: `(MoE),旨在` converts whole.
    # Converting never makes another group touch Chinese, so a second pass
    # changes nothing.
    # Another group is reached at a parenthesis or at either end of a run.
    owner = {at: n for n, group in enumerate(groups) for at in (group[0], group[-1])}
    beside: list[list[int]] = [[] for _ in groups]
    for n, places in enumerate(touches):
        for at in places:
            if (m := owner.get(at)) is not None and m != n:
                beside[n].append(m)
                beside[m].append(n)
    converts = [any(chinese(at) for at in places) for places in touches]
    queue = [n for n, yes in enumerate(converts) if yes]
    while queue:
        for m in beside[queue.pop()]:
            if not converts[m]:
                converts[m] = True
                queue.append(m)

    for n, group in enumerate(groups):
        if not converts[n]:
            continue
        if n >= parens:  # a run: its marks convert, the spaces in and beside it go
            for at in group:
                edits[at] = _FULL_WIDTH.get(masked[at], "")
            before, after = left(group[0]), right(group[-1])
            if before >= 0 and masked[before] != "\n":
                drop(before + 1, group[0])
            if after < end and masked[after] != "\n":  # a trailing hard break stays
                drop(group[-1] + 1, after)
            continue
        for at in group:
            edits[at] = _FULL_WIDTH[masked[at]]
            before, after = left(at), right(at)
            # keep the space after a list marker (`- (`, `1. (`)
            keep_before = masked[at] == OPEN_PAREN[0] and not (
                before >= 0 and (masked[before].isalnum() or chinese(before))
            )
            if before >= 0 and masked[before] != "\n" and not keep_before:
                drop(before + 1, at)
            if after < end and masked[after] != "\n":
                drop(at + 1, after)

    if not edits:
        return text
    pieces, done = [], 0
    for at in sorted(edits):
        pieces += [text[done:at], edits[at]]
        done = at + 1
    pieces.append(text[done:])
    return "".join(pieces)


def _mask(text: str) -> str:
    """`text` with fenced code, inline code, URLs, link targets, tags and entities
    replaced by as many _HIDDEN characters, so no mark inside them is touched."""
    spans: list[tuple[int, int]] = []
    opened: re.Match[str] | None = None
    for fence in _FENCE.finditer(text):
        if opened is None:
            opened = fence
        elif fence.group(1)[0] == opened.group(1)[0] and len(fence.group(1)) >= len(
            opened.group(1)
        ):
            spans.append((opened.start(), fence.end()))
            opened = None
    if opened is not None:  # an unclosed fence runs to the end, as in CommonMark
        spans.append((opened.start(), len(text)))
    pieces, done = [], 0
    for start, stop in spans:
        pieces += [text[done:start], _HIDDEN * (stop - start)]
        done = stop
    pieces.append(text[done:])
    masked = "".join(pieces)
    return _PROTECTED.sub(lambda match: _HIDDEN * len(match.group()), masked)
