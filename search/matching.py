"""Chinese-aware matching: characters, full pinyin and pinyin initials.

Pure functions, no ORM. A query matches a text when
- its folded form (NFKC, case-folded) is a substring of the folded text — this
  works for one- and two-character Chinese queries (模型, 量化), which SQLite's
  FTS5 trigram tokenizer cannot find; or
- it is two or more Latin letters and spells the pinyin of consecutive characters from a
  syllable start (`damoxing`, `da mo xing`, or a prefix while typing: `damox`); or
- it is two or more letters that are the initials of consecutive Chinese
  characters (`dmx` → 大模型).
Matches are reported as spans of the original text, for highlighting.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from django.utils.html import format_html
from django.utils.safestring import SafeString
from pypinyin import lazy_pinyin

_LETTERS = re.compile(r"^[a-z]+$")
_SEPARATORS = re.compile(r"[\s'’·-]+")


class MatchKind:
    TEXT = 0
    PINYIN = 1
    INITIALS = 2


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    kind: int


@dataclass(frozen=True)
class IndexedText:
    """A text prepared for matching; every index maps back to the original."""

    text: str
    folded: str
    folded_origin: tuple[int, ...]  # folded position -> text position
    pinyin: str
    pinyin_origin: tuple[int, ...]  # pinyin position -> text position
    syllable_starts: frozenset[int]
    initials: str  # one letter per text position, "\0" for non-Chinese


def _is_han(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def fold(text: str) -> str:
    """NFKC (full-width → half-width) and case folding, as applied to queries."""
    return unicodedata.normalize("NFKC", text).casefold()


@lru_cache(maxsize=50_000)
def index_text(text: str) -> IndexedText:
    """Prepare a text once; cached per process, since texts repeat across queries."""
    folded_parts, folded_origin = [], []
    for i, char in enumerate(text):
        piece = fold(char)
        folded_parts.append(piece)
        folded_origin.extend([i] * len(piece))

    syllables = lazy_pinyin(text, errors=lambda chunk: list(chunk))
    if len(syllables) != len(text):  # never seen, but keep positions honest
        syllables = [lazy_pinyin(char, errors=lambda chunk: list(chunk))[0] for char in text]
    pinyin_parts, pinyin_origin, starts, initials = [], [], set(), []
    position = 0
    for i, (char, syllable) in enumerate(zip(text, syllables, strict=True)):
        if _is_han(char) and syllable and syllable.isascii():
            starts.add(position)
            pinyin_parts.append(syllable)
            pinyin_origin.extend([i] * len(syllable))
            position += len(syllable)
            initials.append(syllable[0])
        else:
            initials.append("\0")
    return IndexedText(
        text=text,
        folded="".join(folded_parts),
        folded_origin=tuple(folded_origin),
        pinyin="".join(pinyin_parts),
        pinyin_origin=tuple(pinyin_origin),
        syllable_starts=frozenset(starts),
        initials="".join(initials),
    )


@dataclass(frozen=True)
class Query:
    raw: str
    folded: str
    letters: str  # the query as bare pinyin letters, or "" when it is not pinyin

    @classmethod
    def parse(cls, raw: str) -> Query:
        folded = fold(raw).strip()
        letters = _SEPARATORS.sub("", folded)
        return cls(raw=raw, folded=folded, letters=letters if _LETTERS.match(letters) else "")

    def __bool__(self) -> bool:
        return bool(self.folded)


def find(query: Query, text: str) -> Match | None:
    """The first place `query` matches `text`, preferring exact text over pinyin."""
    if not query:
        return None
    indexed = index_text(text)
    at = indexed.folded.find(query.folded)
    if at >= 0:
        end = indexed.folded_origin[at + len(query.folded) - 1] + 1
        return Match(indexed.folded_origin[at], end, MatchKind.TEXT)
    if len(query.letters) < 2:  # one letter would match half of all characters
        return None
    at = indexed.pinyin.find(query.letters)
    while at >= 0:
        if at in indexed.syllable_starts:
            end = indexed.pinyin_origin[at + len(query.letters) - 1] + 1
            return Match(indexed.pinyin_origin[at], end, MatchKind.PINYIN)
        at = indexed.pinyin.find(query.letters, at + 1)
    at = indexed.initials.find(query.letters)
    if at >= 0:
        return Match(at, at + len(query.letters), MatchKind.INITIALS)
    return None


def highlight(text: str, match: Match, radius: int = 36) -> SafeString:
    """The passage around the match, escaped, with the match in <mark>."""
    start = max(0, match.start - radius)
    end = min(len(text), match.end + radius * 2)
    return format_html(
        "{}{}<mark>{}</mark>{}{}",
        "…" if start > 0 else "",
        text[start : match.start],
        text[match.start : match.end],
        text[match.end : end],
        "…" if end < len(text) else "",
    )
