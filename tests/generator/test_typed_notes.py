"""Notes typed with full-width punctuation make the same set as the same notes in ASCII."""

from __future__ import annotations

import pytest

from generator.generate import generate
from tests.typed import folded, pair

FULL_WIDTH, ASCII = pair("notes.md")


@pytest.fixture(scope="module")
def docs():
    return generate(FULL_WIDTH, "机器学习"), generate(ASCII, "机器学习")


def test_the_corpus_is_typed_with_an_input_method():
    for mark in "\uff1a\uff0c\uff1b\uff01\uff1f\uff08\uff09\u3001\u3002":
        assert mark in FULL_WIDTH, mark
    assert ":" not in FULL_WIDTH
    assert "," not in FULL_WIDTH


def test_same_sections(docs):
    typed, ascii_doc = docs
    assert [n.title for n in typed.notes] == [n.title for n in ascii_doc.notes]
    assert len(typed.notes) == 6
    assert folded(n.body for n in typed.notes) == folded(n.body for n in ascii_doc.notes)


def test_same_cards(docs):
    typed, ascii_doc = docs
    assert len(typed.cards) == len(ascii_doc.cards) >= 20
    assert folded(c.front for c in typed.cards) == folded(c.front for c in ascii_doc.cards)
    assert folded(c.back for c in typed.cards) == folded(c.back for c in ascii_doc.cards)
    fronts = {c.front for c in typed.cards}
    # 术语：定义 bullets, X指… sentences, and numbered 1. lines all define.
    assert {"监督学习", "过拟合", "交叉验证", "卷积神经网络\uff08CNN\uff09", "编码器"} <= fronts


def test_same_questions(docs):
    typed, ascii_doc = docs
    assert len(typed.questions) == len(ascii_doc.questions) >= 30
    assert [q.kind for q in typed.questions] == [q.kind for q in ascii_doc.questions]
    assert folded(q.source for q in typed.questions) == folded(
        q.source for q in ascii_doc.questions
    )


def test_a_term_line_keeps_the_whole_definition(docs):
    typed, _ = docs
    card = next(c for c in typed.cards if c.front == "召回率")
    assert card.back == "真正为正的样本中\uff0c被预测为正的比例\uff1b它关注“漏掉了多少”"


@pytest.mark.parametrize(
    "line",
    [
        "- 过拟合：模型在训练集上表现很好，却在新数据上很差。",
        "- 过拟合:模型在训练集上表现很好,却在新数据上很差。",
    ],
)
def test_either_colon_makes_a_card(line):
    doc = generate(f"# 概念\n\n{line}\n- 欠拟合：模型太简单，训练集上也表现很差。\n", "t")
    assert [c.front for c in doc.cards] == ["过拟合", "欠拟合"]


def test_sentences_split_at_full_width_stops():
    text = "# 概念\n\n过拟合是模型记住了训练数据的噪声！欠拟合是模型太简单？正则化是防止过拟合的方法；它很常用。\n"
    fronts = [c.front for c in generate(text, "t").cards]
    assert fronts == ["过拟合", "欠拟合", "正则化"]


def test_a_bullet_after_indented_children_is_back_at_the_top_level():
    text = "# 结构\n\n- 主要组成部分：\n    - 编码器：把输入转换成表示。\n    - 解码器：逐个生成目标序列。\n- 大语言模型指参数规模很大的语言模型。\n"
    body = generate(text, "t").notes[0].body
    assert body.splitlines() == [
        "- 主要组成部分\uff1a",
        "    - 编码器\uff1a把输入转换成表示。",
        "    - 解码器\uff1a逐个生成目标序列。",
        "- 大语言模型指参数规模很大的语言模型。",
    ]


def test_flat_bullets_after_a_colon_bullet_stay_nested_as_in_the_source_page():
    text = "# 技术\n\n- 模型结构：\n- Transformer：采用自注意力机制。\n- 其他结构：如 MoE。\n"
    body = generate(text, "t").notes[0].body
    assert body.splitlines()[1:] == [
        "    - Transformer\uff1a采用自注意力机制。",
        "    - 其他结构\uff1a如 MoE。",
    ]
