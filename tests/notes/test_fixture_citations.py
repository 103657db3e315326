"""Every explanation in the 大模型 set cites the section its first sentence comes from.

An explanation opens `依据「节」：` or `依据「节 · 小节」：` and a sentence that is either
quoted from that place, or names terms (the `术语：` bullets) that are all there.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from notes.models import INTRODUCTION_TITLE
from studysite.chinese import COLON, ascii_twins, one_of

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "da-mo-xing.json"
INTRODUCTION = INTRODUCTION_TITLE  # how an explanation names the untitled first section
_LEAD = re.compile(rf"^\s*- ([^\n]+?)\s*{one_of(COLON)}", re.MULTILINE)
_CITATION = re.compile(rf"依据「([^」]+)」{one_of(COLON)}([^。]+。)")


def _objects(model: str) -> list[dict]:
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return [{"pk": o["pk"], **o["fields"]} for o in data if o["model"] == model]


def _plain(text: str) -> str:
    """For comparing quotes: no spaces, punctuation as its ASCII twin, no closing stop."""
    return re.sub(r"\s+", "", ascii_twins(text)).rstrip(".")


def _block(body: str, heading: str) -> str:
    """A colon-headed bullet and the bullets nested under it."""
    lines = body.splitlines()
    for index, line in enumerate(lines):
        if re.match(rf"- {re.escape(heading)}\s*{one_of(COLON)}", line):
            end = index + 1
            while end < len(lines) and lines[end].startswith(("    ", "\t")):
                end += 1
            return "\n".join(lines[index:end])
    return ""


NOTES = {note["pk"]: note for note in _objects("notes.note")}
QUESTIONS = _objects("quizzes.question")
TERMS = {term for note in NOTES.values() for term in _LEAD.findall(note["body"])}


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: str(q["pk"]))
def test_explanation_cites_the_section_of_its_quote(question):
    match = _CITATION.match(question["explanation"])
    assert match, f"{question['pk']}: no 依据「节」：quote in {question['explanation'][:40]}"
    place, quote = match.groups()
    note = NOTES[question["note"]]
    section, _, heading = place.partition(" · ")
    assert section == (note["title"] or INTRODUCTION), question["pk"]
    where = _block(note["body"], heading) if heading else note["body"]
    assert where, f"{question['pk']}: no bullet 「{heading}」 in {section}"
    if _plain(quote) in _plain(where):
        return
    named = [term for term in TERMS if term in quote]
    assert named, f"{question['pk']}: 「{quote}」 is neither quoted from {place} nor names a term"
    here = set(_LEAD.findall(where))
    assert set(named) <= here, f"{question['pk']}: {set(named) - here} are not in {place}"


def test_every_titled_section_has_a_question():
    asked = {question["note"] for question in QUESTIONS}
    untouched = [n["title"] for n in NOTES.values() if n["title"] and n["pk"] not in asked]
    assert not untouched


def test_data_needs_and_history_have_three_questions_between_them():
    challenges = next(n["pk"] for n in NOTES.values() if n["title"] == "面临的挑战")
    history = next(n["pk"] for n in NOTES.values() if n["title"] == "发展历程")
    on_data = [
        q for q in QUESTIONS if q["note"] == challenges and "数据需求" in q["explanation"][:20]
    ]
    on_history = [q for q in QUESTIONS if q["note"] == history]
    assert len(on_data) + len(on_history) >= 3
    assert on_data
    assert on_history
