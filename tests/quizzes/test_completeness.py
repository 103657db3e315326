"""The one "complete enough to publish?" rule for questions and cards, and every
door that publishes (admin, the generator's review, import) agreeing with it."""

from __future__ import annotations

import pytest

from flashcards.completeness import card_problems
from interchange.document import CardDoc, ChoiceDoc, QuestionDoc
from quizzes.completeness import question_problems
from quizzes.kinds import Kind

# (kind, options, publishable): what each door must agree on.
CASES = [
    ("single", [("对", True), ("错", False)], True),
    ("single", [("唯一的选项", True)], False),
    ("single", [("甲", True), ("乙", True)], False),
    ("single", [("甲", False), ("乙", False)], False),
    ("single", [("甲", True), ("   ", False)], False),
    ("true_false", [("正确", True), ("错误", False)], True),
    ("true_false", [("正确", True), ("错误", True)], False),
    ("multiple", [("甲", True), ("乙", True), ("丙", False)], True),
    ("multiple", [("甲", True)], False),
    ("fill_blank", [("自注意力", True)], True),
    ("fill_blank", [("自注意力", True), ("卷积", False)], False),
    ("fill_blank", [], False),
]
CARDS = [("预训练", "在大规模语料上先训练", True), ("预训练", "   ", False), ("预训练", "", False)]


@pytest.mark.parametrize(("kind", "options", "publishable"), CASES)
def test_question_rule(kind, options, publishable):
    assert (question_problems(kind, "下列哪项正确\uff1f", options) == []) is publishable


@pytest.mark.parametrize(("kind", "options", "publishable"), CASES)
def test_a_question_document_follows_the_rule(kind, options, publishable):
    doc = QuestionDoc("下列哪项正确\uff1f", kind, [ChoiceDoc(t, r) for t, r in options])
    assert doc.complete is publishable


@pytest.mark.parametrize(("front", "back", "publishable"), CARDS)
def test_card_rule_and_card_document(front, back, publishable):
    assert (card_problems(front, back) == []) is publishable
    assert CardDoc(front, back).complete is publishable


def test_problems_say_what_is_missing_in_chinese():
    assert question_problems("single", "下列哪项正确\uff1f", [("唯一的选项", True)]) == [
        "选择题至少要有两个选项。"
    ]
    assert question_problems("single", "题\uff1f", [("甲", True), ("乙", True)]) == [
        "单选题必须正好有一个正确选项\uff08现在有 2 个\uff09。"
    ]
    assert question_problems("fill_blank", " ", []) == [
        "题干是空的。",
        "填空题至少要有一个可接受的答案。",
    ]
    assert card_problems("预训练", "\u3000") == ["卡片背面是空的\uff1a请填写释义。"]


def test_an_unknown_kind_is_a_problem_not_a_crash():
    assert question_problems("essay", "题\uff1f", [("甲", True), ("乙", False)]) == [
        "未知题型 'essay'。"
    ]


def test_kinds_are_one_enum_with_chinese_labels():
    from quizzes.items import Item
    from quizzes.models import Question

    assert Question.Kind is Kind
    assert Kind.values == ["single", "multiple", "true_false", "fill_blank"]
    item = Item(0, 1, "true_false", "题", "", "", "", ())
    assert item.kind_label == "判断题"
