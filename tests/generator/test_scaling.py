"""The generator's work grows linearly with the notes, and a set has a bounded size.

Speed itself is measured by bench/generator.py, never by a timed test: these
tests count the work (term comparisons and ranking hashes) instead.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import generate as generator
from generator import llm
from generator.generate import MAX_CARDS, MAX_QUESTIONS, generate

# Slow: generates from thousands of lines of notes.
pytestmark = pytest.mark.slow

DIGITS = "甲乙丙丁戊己庚辛壬癸"


def term(number: int) -> str:
    """A distinct term per number; some contain others (甲乙 / 甲乙丙)."""
    return "".join(DIGITS[int(d)] for d in str(number)) + "模型"


def term_lines(count: int) -> str:
    """`count` `术语:定义` bullets under a heading every 100 lines."""
    lines = []
    for number in range(count):
        if number % 100 == 0:
            lines.append(f"# 第{number // 100 + 1}章")
        lines.append(f"- {term(number)}:用于压缩和加速推理的第{number}种方法。")
    return "\n".join(lines) + "\n"


def test_4000_term_lines_make_a_bounded_set_and_the_rest_is_listed_as_skipped():
    doc = generate(term_lines(4000), "大笔记")
    assert MAX_CARDS == MAX_QUESTIONS == 300
    assert len(doc.cards) == MAX_CARDS
    assert len(doc.questions) <= MAX_QUESTIONS
    assert len(doc.questions) >= MAX_QUESTIONS - 3  # the cap is reached, not undershot
    kinds = Counter(item.split("\uff1a", 1)[0] for item in doc.skipped)
    assert kinds["卡片"] == 4000 - len(doc.cards)
    asked = len([q for q in doc.questions if q.kind != "fill_blank"])
    assert 4000 - asked - 2 <= kinds["题目"] <= 4000 - asked  # a few terms may ask nothing
    assert "卡片\uff1a" + term(3999) in doc.skipped
    assert "题目\uff1a" + term(3999) in doc.skipped
    assert {c.front for c in doc.cards} == {term(n) for n in range(MAX_CARDS)}


def test_small_notes_skip_nothing():
    doc = generate(term_lines(40), "小笔记")
    assert len(doc.cards) == 40
    assert doc.skipped == []


def count_work(monkeypatch, lines: int) -> int:
    """How many term comparisons and ranking hashes one generation makes."""
    calls: Counter[str] = Counter()
    related, stable = generator._related, generator._stable

    def counted_related(*args):
        calls["related"] += 1
        return related(*args)

    def counted_stable(*args):
        calls["stable"] += 1
        return stable(*args)

    with monkeypatch.context() as patch:
        patch.setattr(generator, "_related", counted_related)
        patch.setattr(generator, "_stable", counted_stable)
        generate(term_lines(lines))
    return calls.total()


@pytest.mark.parametrize("capped", [True, False])
def test_work_grows_linearly_with_the_notes(monkeypatch, capped):
    if not capped:  # without the caps every definition gets its card and question
        monkeypatch.setattr(generator, "MAX_CARDS", 10**6)
        monkeypatch.setattr(generator, "MAX_QUESTIONS", 10**6)
    n = 400
    small, large = count_work(monkeypatch, n), count_work(monkeypatch, 2 * n)
    assert large <= 2.2 * small, (small, large)


OLD_HEADING = re.compile(r"^\s*#{1,6}\s+(.+?)\s*#*\s*$")  # cubic on a run of spaces


@given(st.text(alphabet=" #\ta标题", max_size=14))
def test_heading_titles_are_what_the_old_pattern_read(line):
    old = OLD_HEADING.match(line)
    assert generator._heading(line) == (old.group(1).strip() if old else None)


@pytest.mark.parametrize(
    "line",
    [
        "# a" + " " * 20_000 + "b",  # a heading pattern backtracked cubically here
        "- 术语:开头" + "。" * 20_000 + "x",  # stripping the trailing 。 was quadratic
        "术语是一个定义。" + "模型训练数据学习网络" * 5_000,  # one 50,000-character sentence
    ],
    ids=["spaces-in-a-heading", "run-of-full-stops", "one-long-sentence"],
)
def test_pathological_lines_are_read_in_one_pass(line):
    """No timing: before, each of these took minutes to hours; a hang is the failure."""
    doc = generate(line + "\n- 术语乙:另一个定义的文字。\n")
    assert doc.cards
    assert all(
        len(q.source) <= generator.MAX_BLANK_SENTENCE
        for q in doc.questions
        if q.kind == "fill_blank"
    )


def test_the_llm_backend_has_the_same_caps(monkeypatch):
    notes = term_lines(400)
    lines = [line[2:] for line in notes.splitlines() if line.startswith("- ")]
    reply = {
        "cards": [
            {"front": line.split(":")[0], "back": line.split(":")[1], "source": line}
            for line in lines
        ],
        "questions": [
            {
                "prompt": f"{line.split(':')[0]}是什么?",
                "kind": "fill_blank",
                "choices": [{"text": line.split(":")[1], "correct": True}],
                "source": line,
            }
            for line in lines
        ],
    }
    monkeypatch.setenv("LLM_BASE_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("LLM_MODEL", "m")
    monkeypatch.setattr(llm, "ask", lambda *args, **kwargs: reply)
    doc = llm.generate_set(notes, "大笔记")
    assert len(doc.cards) == MAX_CARDS
    assert len(doc.questions) == MAX_QUESTIONS
    assert doc.cards[0].front == term(0)  # the model's items, not the embedded ones
    kinds = Counter(item.split("\uff1a", 1)[0] for item in doc.skipped)
    assert kinds == {"卡片": 100, "题目": 100}


def test_sections_are_capped_and_nothing_is_lost():
    """9,000 short lines that each look like a heading made 9,000 sections: a 4 MB
    notes page and a search that took seconds. Past the cap they are text."""
    from generator.generate import MAX_SECTIONS

    text = "\n".join(f"术语:定义{i}" for i in range(9000))
    doc = generate(text, "很多标题")
    assert len([note for note in doc.notes if note.title]) == MAX_SECTIONS
    bodies = "\n".join(note.body for note in doc.notes)
    assert "定义8999" in bodies
