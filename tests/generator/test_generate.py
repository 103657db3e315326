"""The embedded generator, on the 大模型 notes and on other Chinese text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.generate import definitions, generate, parse
from generator.quality import MASK
from interchange.document import FormatError

NOTES = (Path(__file__).resolve().parents[1] / "data" / "da-mo-xing.notes.txt").read_text(
    encoding="utf-8"
)

BIOLOGY = """# 细胞的结构

细胞是生物体结构和功能的基本单位。细胞膜是包围细胞的一层薄膜,控制物质进出。
- 细胞核:细胞的控制中心,含有遗传物质 DNA。
- 线粒体:进行有氧呼吸的主要场所,被称为细胞的“动力车间”。
- 叶绿体:绿色植物进行光合作用的场所。

# 光合作用

光合作用指绿色植物利用光能,把二氧化碳和水合成有机物并释放氧气的过程。
- 叶绿素:吸收光能的色素,使叶片呈现绿色。
- 气孔是叶片上气体进出的通道。
"""


def normalised(text: str) -> str:
    return "".join(text.split())


def unmasked_in(text: str, source: str) -> bool:
    """Is `text` in `source`, each ____ standing for the words it hides?"""
    parts = [re.escape(part) for part in normalised(text).split(MASK)]
    return re.search(".+?".join(parts), source) is not None


def reason(text: str) -> str:
    """A 为什么 option without the 为了/因为 the generator puts before it."""
    return text.removeprefix("为了").removeprefix("因为")


@pytest.fixture(scope="module")
def doc():
    return generate(NOTES, "大模型")


def test_enough_cards_and_questions(doc):
    assert len(doc.cards) >= 15
    assert len(doc.questions) >= 20
    assert {q.kind for q in doc.questions} == {"single", "multiple", "true_false", "fill_blank"}


def test_every_right_answer_comes_from_the_text(doc):
    source = normalised(NOTES)
    for card in doc.cards:
        assert normalised(card.front) in source
        assert normalised(card.back) in source
    for question in doc.questions:
        for choice in question.choices:
            if choice.correct and question.kind != "true_false":
                assert unmasked_in(reason(choice.text), source), (question.prompt, choice.text)
        assert normalised(question.source) in source


def test_no_duplicate_options_and_exactly_one_right_one(doc):
    for question in doc.questions:
        texts = [normalised(c.text) for c in question.choices]
        assert len(texts) == len(set(texts)), question.prompt
        if question.kind in {"single", "true_false"}:
            assert sum(c.correct for c in question.choices) == 1
            assert len(question.choices) >= 2


def test_no_wrong_option_is_right_by_the_text(doc):
    by_term = {normalised(c.front): normalised(c.back) for c in doc.cards}
    by_back = {normalised(c.back): normalised(c.front) for c in doc.cards}

    def back(text: str) -> str:
        """The card back a (masked) description was made from."""
        return next((b for b in by_back if unmasked_in(text, b) and MASK in text), text)

    for question in doc.questions:
        if question.kind != "single" or question.prompt.startswith("为什么"):
            continue
        right = next(c for c in question.choices if c.correct)
        for wrong in (c for c in question.choices if not c.correct):
            w, r = back(normalised(wrong.text)), back(normalised(right.text))
            if w in by_term:  # a term offered for a description
                assert by_term[w] != by_back.get(r, by_term.get(r)), question.prompt
                assert w not in r, question.prompt  # 模型压缩 / 模型压缩和加速
                assert r not in w, question.prompt
            else:  # a description offered for a term
                assert by_back.get(w) != by_back.get(r), question.prompt


def test_true_false_questions_swap_in_another_term(doc):
    statements = [q for q in doc.questions if q.kind == "true_false"]
    assert any(c.correct and c.text == "正确" for q in statements for c in q.choices)
    assert any(c.correct and c.text == "错误" for q in statements for c in q.choices)


def test_blanks_hide_one_term_of_the_sentence(doc):
    for question in (q for q in doc.questions if q.kind == "fill_blank"):
        answer = question.choices[0].text
        assert question.prompt.count("____") == 1
        assert normalised(
            question.prompt.removeprefix("填空:").removeprefix("填空\uff1a").replace("____", answer)
        ) == normalised(question.source)


def test_every_item_starts_as_a_draft_and_keeps_its_sentence(doc):
    assert all(c.draft and c.source for c in doc.cards)
    assert all(q.draft and q.source and q.explanation for q in doc.questions)


def test_deterministic():
    assert generate(NOTES, "大模型") == generate(NOTES, "大模型")


def test_notes_keep_sections_and_nesting(doc):
    assert [n.title for n in doc.notes] == [
        "",
        "概念",
        "发展历程",
        "关键技术",
        "应用领域",
        "面临的挑战",
        "未来发展趋势",
    ]
    key = next(n for n in doc.notes if n.title == "关键技术")
    assert "- 模型结构:\n    - Transformer:" in key.body


class TestOtherText:
    def test_markdown_biology_notes(self):
        doc = generate(BIOLOGY, "细胞")
        terms = {c.front for c in doc.cards}
        assert {
            "细胞",
            "细胞膜",
            "细胞核",
            "线粒体",
            "叶绿体",
            "光合作用",
            "叶绿素",
            "气孔",
        } <= terms
        assert [n.title for n in doc.notes] == ["细胞的结构", "光合作用"]
        cards = {c.front: c for c in doc.cards}
        assert cards["光合作用"].back.startswith("绿色植物利用光能")
        assert cards["线粒体"].section == "细胞的结构"
        assert len(doc.questions) >= 8

    def test_pronoun_sentences_are_not_definitions(self):
        _notes, sentences = parse("这是一个很长的句子,没有任何定义。它是另一个句子而已。")
        assert definitions(sentences) == []

    @pytest.mark.parametrize("text", ["", "   \n  ", "今天天气很好,我们去公园散步,看见很多花。"])
    def test_nothing_usable_is_refused(self, text):
        with pytest.raises(FormatError):
            generate(text)
