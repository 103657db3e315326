"""What the hosts say, respelled so eSpeak NG's Mandarin voice reads it right. Pure.

The script (and the transcript a learner reads) keeps the text as written; only
the text handed to the synthesiser goes through `speakable()`:

- **Numbers** are written out in Chinese, so eSpeak never guesses: a year is read
  digit by digit (`2017年` → 二零一七年, where eSpeak says 二千十七年), other numbers
  as quantities (`1750` → 一千七百五十, `3.5` → 三点五), a percentage as 百分之…
  (`95%` → 百分之九十五, where eSpeak says "percent" in English).
- **Latin abbreviations** are replaced by the Chinese name the notes give them
  (`自然语言处理 (NLP)` names NLP; the parenthesis right after the name is dropped,
  it would say the same thing twice), or else spelt letter by letter with Mandarin
  letter names written in pinyin (`MoE` → ai2mu5 ou1 yi4). eSpeak's `cmn` voice
  reads any Latin word it does not know with its English rules: a switch of
  accent mid-sentence. Pinyin with tone numbers is a word of eSpeak's own
  Mandarin dictionary, so the letters stay in the Mandarin voice.
- **Polyphones** are resolved by word: the text is segmented with rjieba, each
  word read with pypinyin's phrase dictionary (and `LEXICON`, for words of these
  notes it gets wrong), and a word is handed to eSpeak as pinyin with tone
  numbers (`每一行` → 每 yi4hang2) only when one of its polyphonic characters takes
  a reading other than its most common one: that is where eSpeak's own guess,
  the common reading, goes wrong (行 háng, 调 tiáo). Elsewhere eSpeak reads the
  characters itself, with its own tone sandhi and rhythm.

Pinyin with tone numbers rather than `[[phonemes]]`: eSpeak NG 1.52 reads
`[[…]]` only with the espeakPHONEMES flag, which would also let any `[[` in a
learner's notes inject phonemes; pinyin needs no flag, and gives the same
phonemes (tests/podcasts/test_pronounce.py proves it against eSpeak itself).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from functools import cache

import rjieba
from pypinyin import Style, lazy_pinyin
from pypinyin.contrib.tone_convert import to_tone3
from pypinyin.pinyin_dict import pinyin_dict

from studysite.chinese import CLOSE_PAREN, HAN, OPEN_PAREN, PERCENT, RANGE, one_of

# Bump when what is spoken for the same script changes: it is part of the
# episode's content hash, so every episode is rendered again.
VERSION = 1

DIGITS = "零一二三四五六七八九"

# Words of study notes that pypinyin's phrase dictionary reads otherwise.
# 微调 is fine-tuning here (tiáo), not "a slight transfer" (diào).
LEXICON = {
    "微调": ("wei1", "tiao2"),
    "调参": ("tiao2", "can1"),
}
# 行 as a measure word (一行、每行、第三行、两行代码) is háng; pypinyin reads
# 一行 as yīxíng (a party of travellers).
_MEASURE_HANG = re.compile(r"^[一二两三四五六七八九十百千几每这那哪第多数]+行$")

# English letter names as Mandarin speakers say them, in pinyin: eSpeak's
# Mandarin voice reads these without switching to English.
LETTERS = {
    "A": "ei1",
    "B": "bi4",
    "C": "xi1",
    "D": "di4",
    "E": "yi4",
    "F": "ai2fu5",
    "G": "ji4",
    "H": "ai1qi1",
    "I": "ai4",
    "J": "jie4",
    "K": "kai1",
    "L": "ai2le5",
    "M": "ai2mu5",
    "N": "en1",
    "O": "ou1",
    "P": "pi1",
    "Q": "kiu1",
    "R": "a1er3",
    "S": "ai2si1",
    "T": "ti4",
    "U": "you1",
    "V": "wei1",
    "W": "da2bu5liu1",
    "X": "ai2ke4si1",
    "Y": "wai1",
    "Z": "zei4",
}

_OPEN, _CLOSE = one_of(OPEN_PAREN), one_of(CLOSE_PAREN)
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")
# 自然语言处理 (NLP), in ASCII or full-width brackets: a Chinese name, then its abbreviation.
_NAMED = re.compile(rf"([{HAN}]+)\s*{_OPEN}\s*([A-Za-z][A-Za-z0-9]*)\s*{_CLOSE}")
# Words that start no name: 和语音合成 (TTS) names TTS 语音合成, and the host's
# 说说自然语言处理 (NLP)吧 names NLP 自然语言处理.
_NOT_IN_A_NAME = frozenset(
    [
        "和",
        "与",
        "及",
        "以及",
        "或",
        "如",
        "比如",
        "例如",
        "包括",
        "在",
        "的",
        "是",
        "即",
        "也",
        "将",
        "把",
        "被",
        "对",
        "从",
        "向",
        "为",
        "说",
        "用",
        "采用",
        "使用",
        "利用",
    ]
)
_FULL_WIDTH_DIGITS = {0xFF10 + digit: str(digit) for digit in range(10)}  # \uff10-\uff19
_NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?"
# 2017年, and 2017 in 2017-2020年
_YEAR = re.compile(rf"(?<![\d.])(\d{{4}})(?=(?:\s*{one_of(RANGE, '到至')}\s*\d{{4}})?\s*年)")
_PERCENTAGE = re.compile(rf"({_NUMBER})\s*{one_of(PERCENT)}")
_QUANTITY = re.compile(_NUMBER)
_LATIN_HYPHEN_DIGIT = re.compile(r"(?<=[A-Za-z])-(?=\d)")  # GPT-3
_RANGE = re.compile(rf"(?<=[\d{DIGITS}])\s*{one_of(RANGE)}\s*(?=[\d{DIGITS}])")
# Symbols eSpeak's Mandarin voice would say in English ("plus", "slash", "and").
SYMBOLS = {"+": "加", "=": "等于", "&": "和", "/": " ", "~": "到", "\uff5e": "到"}
_SYMBOL = re.compile(one_of("".join(SYMBOLS)))
# ChatGPT → Chat + GPT: the capitals inside a word are an abbreviation.
_WORD_PARTS = re.compile(r"[A-Z]{2,}(?![a-z])|[A-Z]?[a-z0-9]+|[A-Z]+")
_HAN_RUN = re.compile(f"[{HAN}]+")
_ONE_TEN = re.compile("(?<=.)一(?=十)")


def speakable(text: str, names: Mapping[str, str] | None = None) -> str:
    """`text` respelled for eSpeak's Mandarin voice; `names` maps abbreviations to
    the Chinese names the notes give them (see `abbreviation_names`)."""
    names = names or {}
    text = _numbers_and_names(text, names, _said_number)
    text = _LATIN_WORD.sub(lambda match: _latin(match.group(), names), text)
    text = _SYMBOL.sub(lambda match: SYMBOLS[match.group()], text)
    return _HAN_RUN.sub(lambda match: _resolve_polyphones(match.group()), text)


def readable(text: str, names: Mapping[str, str] | None = None) -> str:
    """`text` for a neural voice (podcasts.speech): the same years, numbers,
    percentages, symbols and named abbreviations as `speakable`, in plain
    Chinese. No pinyin, spelt letters or other eSpeak respelling: such a voice
    reads polyphones in context and says GPT as letters by itself."""
    names = names or {}
    text = _numbers_and_names(text, names, chinese_number)
    text = _LATIN_WORD.sub(lambda match: names.get(match.group(), match.group()), text)
    return _SYMBOL.sub(lambda match: SYMBOLS[match.group()], text)


def _numbers_and_names(text: str, names: Mapping[str, str], number: Callable[[str], str]) -> str:
    text = text.translate(_FULL_WIDTH_DIGITS)
    text = _LATIN_HYPHEN_DIGIT.sub(" ", text)
    text = _drop_repeated_names(text, names)
    text = _YEAR.sub(lambda match: "".join(DIGITS[int(d)] for d in match.group(1)), text)
    text = _RANGE.sub("到", text)
    text = _PERCENTAGE.sub(lambda match: "百分之" + number(match.group(1)), text)
    return _QUANTITY.sub(lambda match: number(match.group()), text)


def abbreviation_names(texts: Iterable[str]) -> dict[str, str]:
    """Abbreviations the texts name in Chinese — `自然语言处理 (NLP)` — each with
    its shortest name (a host's 说说自然语言处理 (NLP)吧 names it too)."""
    names: dict[str, str] = {}
    for text in texts:
        for match in _NAMED.finditer(text):
            name = _trim_name(match.group(1))
            abbreviation = match.group(2)
            if len(name) >= 2 and _is_abbreviation(abbreviation):
                known = names.get(abbreviation)
                if known is None or len(name) < len(known):
                    names[abbreviation] = name
    return names


def _trim_name(run: str) -> str:
    words = rjieba.cut(run)
    while len(words) > 1 and words[0] in _NOT_IN_A_NAME:
        words = words[1:]
    return "".join(words)


def _drop_repeated_names(text: str, names: Mapping[str, str]) -> str:
    """自然语言处理 (NLP) → 自然语言处理: the abbreviation would repeat the name."""

    def drop(match: re.Match[str]) -> str:
        run, abbreviation = match.group(1), match.group(2)
        name = names.get(abbreviation)
        return run if name and run.endswith(name) else match.group()

    return _NAMED.sub(drop, text)


def _is_abbreviation(word: str) -> bool:
    """NLP, GPT, MoE, LaMDA, a lone x — not Transformer or AlexNet, which are words."""
    letters = [c for c in word if c.isalpha()]
    capitals = sum(c.isupper() for c in letters)
    return len(letters) == 1 or capitals == len(letters) or (len(letters) <= 5 and capitals >= 2)


def _latin(word: str, names: Mapping[str, str]) -> str:
    if word in names:
        return names[word]
    if _is_abbreviation(word):
        return f" {spelled(word)} "
    parts = _WORD_PARTS.findall(word)
    if len(parts) > 1 and any(part.isupper() for part in parts):
        return " ".join(_latin(part, names) for part in parts)
    return word  # a word (Transformer): eSpeak's English rules say it best


def spelled(word: str) -> str:
    """A Latin abbreviation as the Mandarin voice spells it: MoE → ai2mu5 ou1 yi4."""
    return " ".join(LETTERS.get(c.upper(), c) for c in word)


def chinese_number(digits: str) -> str:
    """`1750` → 一千七百五十, `3.05` → 三点零五, `1,000` → 一千."""
    whole, _, fraction = digits.replace(",", "").partition(".")
    number = int(whole)
    if number >= 10**16 or (whole.startswith("0") and len(whole) > 1):  # 007: a code
        spoken = "".join(DIGITS[int(d)] for d in whole)
    else:
        spoken = _integer(number)
    if fraction:
        spoken += "点" + "".join(DIGITS[int(d)] for d in fraction)
    return spoken


def _said_number(digits: str) -> str:
    # Inside a number 一十 is yīshí (一百一十, 两千零一十七); eSpeak, applying the
    # tone sandhi of 一 before another syllable, would say yìshí.
    return _ONE_TEN.sub(" yi1 ", chinese_number(digits))


def _integer(number: int) -> str:
    if number == 0:
        return "零"
    groups = []
    while number:
        groups.append(number % 10000)
        number //= 10000
    spoken, skipped = "", False
    for power in reversed(range(len(groups))):
        group = groups[power]
        if group == 0:
            skipped = True
            continue
        if spoken and (group < 1000 or skipped):
            spoken += "零"
        spoken += _below_ten_thousand(group) + ("", "万", "亿", "万亿")[power]
        skipped = False
    if spoken.startswith("一十"):
        spoken = spoken[1:]  # 十五, not 一十五
    if spoken[:2] in ("二千", "二万", "二亿"):
        spoken = "两" + spoken[1:]
    return spoken


def _below_ten_thousand(number: int) -> str:
    spoken, zero = "", False
    for unit, power in (("千", 1000), ("百", 100), ("十", 10), ("", 1)):
        digit = number // power % 10
        if digit:
            spoken += ("零" if zero else "") + DIGITS[digit] + unit
            zero = False
        elif spoken:
            zero = True
    return spoken


def _resolve_polyphones(run: str) -> str:
    out = []
    for word in rjieba.cut(run):
        readings = _word_readings(word)
        if any(_needs_reading(char, reading) for char, reading in zip(word, readings, strict=True)):
            out.append(" " + "".join(readings) + " ")
        else:
            out.append(word)
    return "".join(out)


def _word_readings(word: str) -> list[str]:
    if word in LEXICON:
        return list(LEXICON[word])
    readings = lazy_pinyin(word, style=Style.TONE3, neutral_tone_with_five=True)
    if len(readings) != len(word):  # not all Han: leave the word to eSpeak
        return list(word)
    # 一 and 不 change tone before another syllable (一行 yìháng, 不要 búyào),
    # which eSpeak does for characters but not for pinyin it is handed. The
    # third-tone sandhi it leaves to the synthesiser either way, so neither do we.
    sandhi = lazy_pinyin(word, style=Style.TONE3, neutral_tone_with_five=True, tone_sandhi=True)
    readings = [s if c in "一不" else r for c, r, s in zip(word, readings, sandhi, strict=True)]
    if _MEASURE_HANG.match(word):
        readings[-1] = "hang2"
    return readings


def _needs_reading(char: str, reading: str) -> bool:
    """Whether eSpeak, reading `char` as it usually does, would say it wrong."""
    if char in "一不":  # eSpeak applies their tone sandhi itself
        return False
    common = _readings(char)
    return len(common) > 1 and reading != common[0]


@cache
def _readings(char: str) -> tuple[str, ...]:
    """The readings of a character in tone-number pinyin, the most common first."""
    listed = pinyin_dict.get(ord(char), "")
    return tuple(to_tone3(r, neutral_tone_with_five=True) for r in listed.split(",") if r)
