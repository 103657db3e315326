"""Rendering reads full-width punctuation: bullet ids, nested-list headings and glossary links."""

from __future__ import annotations

import re

import pytest

from generator.generate import generate
from notes.rendering import GlossaryTerm, heading_id, render_markdown
from tests.typed import folded, pair


def rendered(text: str) -> list:
    doc = generate(text, "机器学习")
    glossary = [GlossaryTerm(c.front, f"#card-{n}", c.back) for n, c in enumerate(doc.cards)]
    return [
        render_markdown(note.body, id_prefix=heading_id(note.title), glossary=glossary)
        for note in doc.notes
    ]


@pytest.fixture(scope="module")
def both():
    full_width, ascii_text = pair("notes.md")
    return rendered(full_width), rendered(ascii_text)


def test_same_ids_and_contents(both):
    typed, ascii_sections = both
    assert [e.anchor for r in typed for e in r.toc] == [
        e.anchor for r in ascii_sections for e in r.toc
    ]
    assert [p.anchor for r in typed for p in r.passages] == [
        p.anchor for r in ascii_sections for p in r.passages
    ]
    assert folded(e.title for r in typed for e in r.toc) == folded(
        e.title for r in ascii_sections for e in r.toc
    )


def test_same_glossary_links(both):
    typed, ascii_sections = both
    links = [len(re.findall(r'class="term"', r.html)) for r in typed]
    assert links == [len(re.findall(r'class="term"', r.html)) for r in ascii_sections]
    assert sum(links) >= 5


@pytest.mark.parametrize("colon", [":", "\uff1a"])
def test_a_term_bullet_is_named_by_its_term(colon):
    html = render_markdown(f"- 过拟合{colon}模型记住了训练数据的噪声。\n").html
    assert 'id="过拟合"' in html


@pytest.mark.parametrize("colon", [":", "\uff1a"])
def test_a_colon_headed_bullet_heads_its_nested_list_in_the_contents(colon):
    result = render_markdown(f"- 主要组成部分{colon}\n    - 编码器{colon}输入到表示。\n")
    assert [(e.anchor, e.title) for e in result.toc] == [("主要组成部分", "主要组成部分")]
