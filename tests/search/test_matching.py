"""Chinese, pinyin and initials matching, without a database."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search.matching import MatchKind, Query, find, highlight, index_text


@pytest.mark.parametrize(
    ("query", "text", "expected", "kind"),
    [
        ("模型", "大模型的训练", "模型", MatchKind.TEXT),
        ("量", "剪枝、量化和知识蒸馏", "量", MatchKind.TEXT),
        ("量化", "剪枝、量化和知识蒸馏", "量化", MatchKind.TEXT),
        ("ＧＰＴ", "诸如 GPT-3 等", "GPT", MatchKind.TEXT),
        ("transformer", "Transformer 模型", "Transformer", MatchKind.TEXT),
        ("damoxing", "关于大模型的笔记", "大模型", MatchKind.PINYIN),
        ("DaMoXing", "关于大模型的笔记", "大模型", MatchKind.PINYIN),
        ("da mo xing", "大模型", "大模型", MatchKind.PINYIN),
        ("da'mo'xing", "大模型", "大模型", MatchKind.PINYIN),
        ("damox", "大模型", "大模型", MatchKind.PINYIN),
        ("lianghua", "剪枝、量化和知识蒸馏", "量化", MatchKind.PINYIN),
        ("dmx", "关于大模型的笔记", "大模型", MatchKind.INITIALS),
        ("lh", "剪枝、量化和知识蒸馏", "量化", MatchKind.INITIALS),
    ],
)
def test_finds(query, text, expected, kind):
    match = find(Query.parse(query), text)
    assert match is not None
    assert text[match.start : match.end] == expected
    assert match.kind == kind


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("amox", "大模型"),  # not from a syllable start
        ("d", "大模型"),  # one initial is too little
        ("深度", "大模型"),
        ("xyz", "Transformer 模型"),
        ("", "大模型"),
        ("   ", "大模型"),
    ],
)
def test_does_not_find(query, text):
    assert find(Query.parse(query), text) is None


def test_prefers_text_over_pinyin():
    match = find(Query.parse("ma"), "ma 和 马")
    assert match.kind == MatchKind.TEXT
    assert match.start == 0


def test_highlight_escapes_and_marks():
    text = "<b>前文</b>很长很长的一段话,其中有量化两个字,后面还有"
    html = highlight(text, find(Query.parse("量化"), text), radius=4)
    assert "<mark>量化</mark>" in html
    assert "&lt;b&gt;" not in html  # trimmed away by the radius
    assert html.startswith("…")


def test_highlight_escapes_markup_in_the_passage():
    text = "<script>量化</script>"
    html = highlight(text, find(Query.parse("量化"), text))
    assert html == "&lt;script&gt;<mark>量化</mark>&lt;/script&gt;"


@given(st.text(max_size=40))
def test_indexing_keeps_every_position_mapped(text):
    indexed = index_text(text)
    assert len(indexed.initials) == len(text)
    assert len(indexed.folded_origin) == len(indexed.folded)
    assert len(indexed.pinyin_origin) == len(indexed.pinyin)
    assert all(0 <= i < len(text) for i in indexed.folded_origin)


@given(st.text(min_size=1, max_size=30), st.data())
def test_any_substring_is_found_where_it_is(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    query = Query.parse(text[start:end])
    if query:
        assert find(query, text) is not None
