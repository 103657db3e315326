"""The podcast script reads notes typed with full-width punctuation as it reads ASCII ones."""

from __future__ import annotations

import pytest

from generator.generate import generate
from podcasts.script import HOST_A, QuizQuestion, Section, build_script
from tests.typed import folded, pair


def script_of(text: str):
    doc = generate(text, "机器学习")
    sections = [Section(note.title, note.body) for note in doc.notes]
    answer = "模型在训练集上表现很好，却在新数据上表现很差"
    question = QuizQuestion("什么是过拟合？", answer, (answer, "无关"), (answer,), kind="single")
    return build_script("机器学习", sections, [question])


@pytest.fixture(scope="module")
def both():
    full_width, ascii_text = pair("notes.md")
    return script_of(full_width), script_of(ascii_text)


def test_same_chapters_and_lines(both):
    typed, ascii_script = both
    assert typed.chapters == ascii_script.chapters
    assert len(typed.chapters) == 9  # 开场, six sections, 小测验 and 结束
    assert [line.speaker for line in typed.lines] == [line.speaker for line in ascii_script.lines]
    assert folded(line.text for line in typed.lines) == folded(
        line.text for line in ascii_script.lines
    )


@pytest.mark.parametrize("colon", [":", "\uff1a"])
def test_a_term_line_is_asked_about(colon):
    script = build_script("t", [Section("概念", f"- 过拟合{colon}模型记住了噪声。\n")], [])
    asked = [line.text for line in script.lines if line.speaker == HOST_A]
    assert "什么是过拟合\uff1f" in asked
    assert "模型记住了噪声。" in [line.text for line in script.lines]
