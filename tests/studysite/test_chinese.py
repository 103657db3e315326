"""The one owner of the Chinese punctuation classes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from studysite.chinese import (
    COLON,
    COMMA,
    PUNCTUATION,
    SENTENCE_END,
    ascii_twins,
    none_of,
    one_of,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("group", "full_width"),
    [(COLON, "\uff1a"), (COMMA, "\uff0c"), (SENTENCE_END, "\u3002\uff01\uff1f")],
)
def test_each_group_holds_both_twins(group, full_width):
    for mark in full_width:
        assert re.fullmatch(one_of(group), mark)
        assert not re.fullmatch(none_of(group), mark)


def test_classes_escape_what_regex_would_read_as_syntax():
    pattern = one_of(PUNCTUATION, "-", "]", "\\", "^")
    for char in "()?!-]\\^\uff08\u300c":
        assert re.fullmatch(pattern, char), char
    assert not re.fullmatch(pattern, "a")
    assert re.fullmatch(none_of(PUNCTUATION) + "+", "术语abc")


@pytest.mark.parametrize(
    ("typed", "twin"),
    [
        ("术语\uff1a定义\uff0c再说\uff1b好\uff01吗\uff1f", "术语:定义,再说;好!吗?"),
        ("\uff08NLP\uff09", "(NLP)"),
        ("剪枝\u3001量化\u3002", "剪枝,量化."),
        ("\u201c涌现\u201d\u300c能力\u300d", '"涌现""能力"'),
        ("3.14 10:30", "3.14 10:30"),
    ],
)
def test_ascii_twins(typed, twin):
    assert ascii_twins(typed) == twin


def test_no_parser_spells_a_full_width_class_by_hand():
    """A class with a Chinese mark in it is built by one_of()/none_of(), nowhere by hand."""
    marks = "\uff1a\uff0c\uff1b\uff01\uff1f\uff08\uff09\u3001\u3002"
    escaped = "|".join(re.escape(f"\\u{ord(m):04x}") for m in marks)
    by_hand = re.compile(rf"\[\^?[^\]\n]*(?:[{marks}]|{escaped})[^\]\n]*\]")
    found = []
    for path in sorted(ROOT.glob("*/*.py")):
        if path.parts[-2] in {"tests", "bench", ".venv"} or path.name == "chinese.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0] if line.lstrip().startswith("#") else line
            if ("re." in code or 'r"' in code) and by_hand.search(code):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "\n".join(found)
