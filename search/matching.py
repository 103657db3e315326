"""Chinese-aware matching and ranking: characters, full pinyin, pinyin initials.

Pure functions, no ORM. A query matches a text when
- its folded form (NFKC, case-folded; punctuation and spaces at either end
  dropped) is a substring of the folded text — this works for one- and
  two-character Chinese queries (模型, 量化), which SQLite's FTS5 trigram
  tokenizer cannot find; or
- split at spaces and punctuation (`大模型，训练`), every part is in the text; or
- it is two or more Latin letters and spells the pinyin of consecutive characters from a
  syllable start (`damoxing`, `da mo xing`, or a prefix while typing: `damox`); or
- it is two or more letters that are the initials of consecutive Chinese
  characters inside one word (`dmx` → 大模型, never 降低|模型 or 的|模型). Words
  are the set's own terms first (its title and card terms, longest first), then
  rjieba's segmentation of the rest.
Full-width punctuation folds to its ASCII twin (NFKC), so `（NLP）` finds what
`(NLP)` finds. Matches are reported as spans of the original text, for highlighting.

Results are ranked by how they match (text, all parts, full pinyin, initials
of one of the set's terms, initials of another word), then an exact hit on a
whole title or term, then where they match (set titles and card terms, headings,
body text), then in set order.
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from functools import lru_cache
from typing import NamedTuple, cast

import rjieba
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from pypinyin import lazy_pinyin

from studysite.chinese import PUNCTUATION, one_of

_LETTERS = re.compile(r"^[a-z]+$")
# Where a query splits into parts. After NFKC the full-width forms are ASCII,
# but 、 and 「」 have no ASCII twin.
_BREAKS = re.compile(rf"(?:\s|{one_of(PUNCTUATION)})+")
# Joiners inside pinyin as people type it: da-mo-xing, da·mo·xing (da'mo'xing is a break).
_PINYIN_JOINERS = re.compile(r"[-\u00b7]")


class MatchKind(IntEnum):
    """How a query matched, best first: the order of the results."""

    TEXT = 0
    TERMS = 1  # every part of a query split at spaces or punctuation
    PINYIN = 2
    INITIALS = 3  # within one of the set's terms (its title, a card term)
    WORD_INITIALS = 4  # within another word, as rjieba segments it


class Tier(IntEnum):
    """Where in a document a match lies, best first."""

    TITLE = 0  # a set's title, a card's term
    HEADING = 1
    BODY = 2


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    kind: MatchKind
    spans: tuple[tuple[int, int], ...] = ()  # every marked span, in text order

    def __post_init__(self) -> None:
        if not self.spans:
            object.__setattr__(self, "spans", ((self.start, self.end),))


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


def _one_per_char(chunk: str) -> list[str]:
    return list(chunk)


# What pypinyin cannot read (Latin, digits, punctuation) stays, one item per character.
# pypinyin takes a list from `errors` (its docs); its stub allows only a str.
_each_char = cast("Callable[[str], str]", _one_per_char)


@lru_cache(maxsize=50_000)
def index_text(text: str) -> IndexedText:
    """Prepare a text once; cached per process, since texts repeat across queries."""
    folded_parts, folded_origin = [], []
    for i, char in enumerate(text):
        piece = fold(char)
        folded_parts.append(piece)
        folded_origin.extend([i] * len(piece))

    syllables = lazy_pinyin(text, errors=_each_char)
    if len(syllables) != len(text):  # never seen, but keep positions honest
        syllables = [lazy_pinyin(char, errors=_each_char)[0] for char in text]
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


@dataclass(frozen=True, eq=False)
class Lexicon:
    """A set's own words (its title, its card terms), kept whole when segmenting.

    rjieba cannot take a dictionary per set without loading a new instance
    (0.1 s each), so the terms are cut out first, longest first, and rjieba
    segments what lies between them. Made through `Lexicon.of`, one object per
    set of terms, so that the segmentation cache compares lexicons by identity.
    """

    by_first: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @staticmethod
    def of(terms: Iterable[str]) -> Lexicon:
        return _lexicon(frozenset(term for term in terms if len(term) >= 2))

    def term_at(self, text: str, at: int) -> str | None:
        for term in self.by_first.get(text[at], ()):
            if text.startswith(term, at):
                return term
        return None


@lru_cache(maxsize=1024)
def _lexicon(terms: frozenset[str]) -> Lexicon:
    by_first: dict[str, list[str]] = {}
    for term in sorted(terms, key=lambda term: (-len(term), term)):
        by_first.setdefault(term[0], []).append(term)
    return Lexicon({first: tuple(group) for first, group in by_first.items()})


NO_TERMS = Lexicon.of(())


class Words(NamedTuple):
    """A text's words as parallel tuples, compact enough to cache."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]
    terms: frozenset[int]  # starts of the words that are the set's own terms

    def containing(self, start: int, end: int) -> int | None:
        """The start of the one word holding text[start:end], if there is one."""
        i = bisect_right(self.starts, start) - 1
        return self.starts[i] if i >= 0 and end <= self.ends[i] else None


@lru_cache(maxsize=4096)
def segment(text: str, lexicon: Lexicon = NO_TERMS) -> Words:
    """The words of `text`: the lexicon's terms (leftmost, longest), rjieba's between.

    Only texts where a query's initials occur are segmented (a few per search).
    """
    starts: list[int] = []
    ends: list[int] = []
    terms: set[int] = set()

    def cut(start: int, end: int) -> None:
        # HMM off: it guesses new words from runs of single characters (对大|模型, 集上),
        # which initials would then match across.
        for piece in rjieba.cut(text[start:end], hmm=False):
            starts.append(start)
            start += len(piece)
            ends.append(start)

    gap = at = 0
    while at < len(text):
        term = lexicon.term_at(text, at) if lexicon.by_first else None
        if term is None:
            at += 1
            continue
        if gap < at:
            cut(gap, at)
        starts.append(at)
        ends.append(at + len(term))
        terms.add(at)
        at = gap = at + len(term)
    if gap < len(text):
        cut(gap, len(text))
    return Words(tuple(starts), tuple(ends), frozenset(terms))


@dataclass(frozen=True)
class Query:
    raw: str
    phrase: str  # folded, without punctuation or spaces at either end
    parts: tuple[str, ...]  # the phrase split at spaces and punctuation
    letters: str  # the query as bare pinyin letters, or "" when it is not pinyin

    @classmethod
    def parse(cls, raw: str) -> Query:
        parts = tuple(part for part in _BREAKS.split(fold(raw)) if part)
        phrase = ""
        if parts:
            folded = fold(raw)
            phrase = folded[folded.index(parts[0]) : folded.rindex(parts[-1]) + len(parts[-1])]
        letters = _PINYIN_JOINERS.sub("", "".join(parts))
        return cls(
            raw=raw,
            phrase=phrase,
            parts=parts,
            letters=letters if _LETTERS.match(letters) else "",
        )

    def __bool__(self) -> bool:
        return bool(self.phrase)


def _text_span(indexed: IndexedText, at: int, length: int) -> tuple[int, int]:
    return indexed.folded_origin[at], indexed.folded_origin[at + length - 1] + 1


def _initials(indexed: IndexedText, letters: str, lexicon: Lexicon) -> Match | None:
    """Initials inside one word, preferring one of the set's terms to any other word."""
    fallback = None
    words: Words | None = None
    at = indexed.initials.find(letters)
    while at >= 0:
        if words is None:
            words = segment(indexed.text, lexicon)
        end = at + len(letters)
        word = words.containing(at, end)
        if word is not None and word in words.terms:
            return Match(at, end, MatchKind.INITIALS)
        if word is not None and fallback is None:
            fallback = Match(at, end, MatchKind.WORD_INITIALS)
        at = indexed.initials.find(letters, at + 1)
    return fallback


def find(query: Query, text: str, lexicon: Lexicon = NO_TERMS) -> Match | None:
    """The first place `query` matches `text`, in the order of `MatchKind`."""
    if not query:
        return None
    indexed = index_text(text)
    at = indexed.folded.find(query.phrase)
    if at >= 0:
        return Match(*_text_span(indexed, at, len(query.phrase)), MatchKind.TEXT)
    if len(query.parts) > 1:
        found = [(indexed.folded.find(part), part) for part in query.parts]
        if all(at >= 0 for at, _ in found):
            spans = sorted(_text_span(indexed, at, len(part)) for at, part in found)
            return Match(*spans[0], MatchKind.TERMS, spans=tuple(spans))
    if len(query.letters) < 2:  # one letter would match half of all characters
        return None
    at = indexed.pinyin.find(query.letters)
    while at >= 0:
        if at in indexed.syllable_starts:
            end = indexed.pinyin_origin[at + len(query.letters) - 1] + 1
            return Match(indexed.pinyin_origin[at], end, MatchKind.PINYIN)
        at = indexed.pinyin.find(query.letters, at + 1)
    return _initials(indexed, query.letters, lexicon)


@dataclass(slots=True)  # made for every passage on every search: not frozen, which is 3x slower
class Field:
    """A searchable text and where it stands: its first `lead` characters (all
    of them when None) at `tier`, the rest body text, as a card's back after its term."""

    text: str
    tier: Tier = Tier.BODY
    lead: int | None = None
    lexicon: Lexicon = NO_TERMS


def rank(match: Match, field: Field) -> tuple[int, bool, int]:
    """Sort key: how it matched, then an exact whole title or term, then where."""
    lead = len(field.text) if field.lead is None else field.lead
    end = match.spans[-1][1]
    in_lead = end <= lead
    exact = in_lead and len(match.spans) == 1 and match.start == 0 and end == lead
    return (match.kind, not exact, field.tier if in_lead else Tier.BODY)


def ranked(query: Query, fields: Sequence[Field], limit: int) -> list[tuple[int, Match]]:
    """The best `limit` matches as (index into `fields`, match); ties keep their order."""
    found = []
    for i, item in enumerate(fields):
        match = find(query, item.text, item.lexicon)
        if match is not None:
            found.append((rank(match, item), i, match))
    return [(i, match) for _, i, match in heapq.nsmallest(limit, found)]


def highlight(text: str, match: Match, radius: int = 36) -> SafeString:
    """The passage around the match, escaped, with each matched span in <mark>."""
    start = max(0, match.start - radius)
    end = min(len(text), match.end + radius * 2)
    pieces, at = [], start
    for span_start, span_end in match.spans:
        if span_start < at or span_end > end:
            continue
        pieces.append((text[at:span_start], text[span_start:span_end]))
        at = span_end
    return format_html(
        "{}{}{}{}",
        "…" if start > 0 else "",
        format_html_join("", "{}<mark>{}</mark>", pieces),
        text[at:end],
        "…" if end < len(text) else "",
    )
