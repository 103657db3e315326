"""Importers read files typed with a Chinese input method as they read ASCII ones."""

from __future__ import annotations

import pytest

from interchange import gift, quizgecko, tabular
from interchange.document import FILL_BLANK, SINGLE, TRUE_FALSE
from tests.typed import TYPED, folded, pair


def test_quizgecko_export_typed_with_full_width_marks():
    full_width, ascii_text = pair("quizgecko.txt")
    typed, plain = quizgecko.parse(full_width), quizgecko.parse(ascii_text)
    assert len(typed.questions) == len(plain.questions) == 10
    assert [sum(c.correct for c in q.choices) for q in typed.questions] == [
        sum(c.correct for c in q.choices) for q in plain.questions
    ]
    assert [q.draft for q in typed.questions] == [q.draft for q in plain.questions]
    assert folded(c.front for c in typed.cards) == folded(c.front for c in plain.cards)
    assert [n.title for n in typed.notes] == [n.title for n in plain.notes]
    assert folded(n.body for n in typed.notes) == folded(n.body for n in plain.notes)


@pytest.mark.parametrize("mark", ["(correct)", "\uff08correct\uff09", "\uff08 correct \uff09"])
def test_quizgecko_right_option_in_either_parens(mark):
    text = (
        f"Questions and Answers\n问题？\n问题？\n- 对的 {mark}\n- 错的\nStudy Notes\n概念\n- 要点\n"
    )
    question = quizgecko.parse(text).questions[0]
    assert [(c.text, c.correct) for c in question.choices] == [("对的", True), ("错的", False)]


def test_quizgecko_colon_bullet_heads_nested_bullets_in_either_width():
    for colon in (":", "\uff1a"):
        text = f"Questions and Answers\nStudy Notes\n关键技术\n- 模型结构{colon}\n- Transformer{colon}自注意力。\n"
        body = quizgecko.parse(text).notes[0].body
        assert body.splitlines()[1].startswith("    - Transformer"), colon


def test_csv_typed_with_full_width_commas_splits_at_the_first():
    doc = tabular.parse((TYPED / "cards.csv").read_text(encoding="utf-8"))
    assert [(c.front, c.back, c.section) for c in doc.cards] == [
        ("过拟合", "模型在训练集上表现很好\uff0c却在新数据上表现很差。", ""),
        ("交叉验证", "把数据分成若干份\uff0c轮流用其中一份做验证\uff08如 5 折交叉验证\uff09。", ""),
        ("召回率", "真正为正的样本中\uff0c被预测为正的比例\uff1b它关注“漏掉了多少”。", ""),
    ]


def test_csv_with_ascii_commas_keeps_full_width_ones_inside_cells():
    doc = tabular.parse("过拟合,模型在训练集上很好\uff0c新数据上很差。,概念\n")
    assert [(c.front, c.back, c.section) for c in doc.cards] == [
        ("过拟合", "模型在训练集上很好\uff0c新数据上很差。", "概念")
    ]


@pytest.mark.parametrize("colon", [":", "\uff1a"])
def test_anki_separator_header_in_either_width(colon):
    doc = tabular.parse(f"#separator{colon}semicolon\n过拟合;很差,很差\n")
    assert [(c.front, c.back) for c in doc.cards] == [("过拟合", "很差,很差")]


def test_gift_typed_with_full_width_marks():
    doc = gift.parse((TYPED / "questions.gift").read_text(encoding="utf-8"))
    assert [(q.kind, q.section) for q in doc.questions] == [
        (SINGLE, "评估指标"),
        (TRUE_FALSE, "评估指标"),
        (FILL_BLANK, "深度学习"),
    ]
    assert doc.questions[0].prompt == "哪个指标关注“漏掉了多少”\uff1f"
    assert doc.questions[0].explanation == "召回率\uff1a真正为正的样本中\uff0c被预测为正的比例。"
    assert [c.text for c in doc.questions[2].choices] == ["CNN", "卷积神经网络\uff08CNN\uff09"]
