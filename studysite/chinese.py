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
        wide: narrow
        for narrow, wide in (
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
