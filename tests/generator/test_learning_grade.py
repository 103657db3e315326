"""Generated items a teacher would keep (issue 17 §1–4), on the 大模型 notes and on
notes in three other fields typed with a Chinese input method (tests/data/notes/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.generate import generate
from generator.quality import MASK, flag_free_share, give_away, near_duplicate, review

DATA = Path(__file__).resolve().parents[1] / "data"
CORPORA = {
    "da-mo-xing": DATA / "da-mo-xing.notes.txt",
    "typed": DATA / "typed" / "notes.md",
    "biology": DATA / "notes" / "biology.md",
    "history": DATA / "notes" / "history.md",
    "databases": DATA / "notes" / "databases.md",
}
_DOCS: dict[str, object] = {}


def doc_of(name: str):
    if name not in _DOCS:
        _DOCS[name] = generate(CORPORA[name].read_text(encoding="utf-8"), name)
    return _DOCS[name]


def rights(question) -> list[str]:
    return [c.text for c in question.choices if c.correct]


def wrongs(question) -> list[str]:
    return [c.text for c in question.choices if not c.correct]


@pytest.mark.parametrize("name", ["biology", "history", "databases"])
def test_the_corpora_are_typed_with_an_input_method(name):
    text = CORPORA[name].read_text(encoding="utf-8")
    assert 40 <= len(text.splitlines()) <= 80
    assert "\uff1a" in text
    assert "\uff0c" in text
    assert "\u3001" in text
    assert ":" not in text
    assert "," not in text


@pytest.mark.parametrize("name", list(CORPORA))
def test_at_least_nine_items_in_ten_raise_no_flag(name):
    reviews = review(doc_of(name))
    flagged = [f"{r.flags}: {r.text}" for r in reviews if r.flags]
    assert len(reviews) >= 50
    assert flag_free_share(reviews) >= 0.9, "\n".join(flagged)


@pytest.mark.parametrize("name", list(CORPORA))
def test_no_choice_question_gives_its_answer_away(name):
    for question in doc_of(name).questions:
        if question.kind in ("single", "multiple"):
            cue = question.prompt.split("\u300c", 1)[-1].split("\u300d", 1)[0]
            assert not give_away(cue, rights(question), wrongs(question)), question


def test_the_right_description_masks_its_term():
    question = next(
        q
        for q in doc_of("da-mo-xing").questions
        if q.prompt.startswith("下列哪一项是对「模型压缩」")
    )
    assert rights(question) == [
        f"为了降低模型的计算和存储成本,需要采用{MASK}技术,如剪枝、量化和知识蒸馏"
    ]
    assert any(MASK in text for text in wrongs(question))  # the mask is no cue either


def test_false_statements_swap_in_a_term_of_the_same_section():
    false = [
        (doc, q)
        for doc in map(doc_of, CORPORA)
        for q in doc.questions
        if q.kind == "true_false" and rights(q) == ["错误"]
    ]
    assert len(false) >= 10
    for doc, question in false:
        section_of = {card.front: card.section for card in doc.cards}
        shown = question.prompt.split("\u300c", 1)[1].split("\u300d", 1)[0]
        assert section_of[shown] == question.section, question.prompt


def test_labels_are_no_cards_and_duplicates_are_one():
    fronts = [card.front for card in doc_of("da-mo-xing").cards]
    for label in ("早期模型", "其他结构", "模型规模持续增大"):
        assert label not in fronts
    assert "Transformer" in fronts
    assert "Transformer 模型" not in fronts
    card = next(c for c in doc_of("da-mo-xing").cards if c.front == "Transformer")
    assert card.back.startswith("Transformer 模型采用自注意力机制")
    assert "其他制度" not in [card.front for card in doc_of("history").cards]


@pytest.mark.parametrize("name", list(CORPORA))
def test_no_distractor_is_a_near_duplicate_of_the_right_answer(name):
    for question in doc_of(name).questions:
        for wrong in wrongs(question):
            assert not any(near_duplicate(wrong, right) for right in rights(question)), question


def test_a_near_duplicate_description_is_never_offered():
    notes = (
        "# 事务\n\n"
        "- 原子性\uff1a事务中的操作要么全部成功\uff0c要么全部失败。\n"
        "- 全有或全无\uff1a事务中的操作要么全部完成\uff0c要么全部不做。\n"
        "- 一致性\uff1a事务执行前后\uff0c数据库都处于满足所有约束的正确状态。\n"
        "- 隔离性\uff1a并发执行的事务之间互不干扰。\n"
        "- 持久性\uff1a事务一旦提交\uff0c修改就会永久保存。\n"
    )
    doc = generate(notes, "事务")
    for question in doc.questions:
        texts = [c.text for c in question.choices]
        assert not (any("全部成功" in t for t in texts) and any("全部完成" in t for t in texts)), (
            question.prompt
        )


@pytest.mark.parametrize(
    ("name", "answer"),
    [("da-mo-xing", "PostgreSQL"), ("da-mo-xing", "级别"), ("da-mo-xing", "视频"),
     ("da-mo-xing", "LaMDA"), ("databases", "张表中"), ("databases", "PostgreSQL"),
     ("databases", "MySQL"), ("da-mo-xing", "集上")],
)  # fmt: skip
def test_blanks_that_were_weak_are_gone(name, answer):
    blanks = [q for q in doc_of(name).questions if q.kind == "fill_blank"]
    assert blanks
    assert answer not in [q.choices[0].text for q in blanks]


def test_lists_ask_which_items_belong():
    doc = doc_of("da-mo-xing")
    question = next(q for q in doc.questions if q.prompt.startswith("下列哪些是「模型压缩」的例子"))
    assert question.kind == "multiple"
    assert sorted(rights(question)) == sorted(["剪枝", "量化", "知识蒸馏"])
    assert len(wrongs(question)) >= 2
    cells = next(
        q for q in doc_of("biology").questions if q.prompt.startswith("下列哪些属于「细胞器」")
    )
    assert set(rights(cells)) <= {"线粒体", "叶绿体", "核糖体", "内质网", "高尔基体"}
    assert set(wrongs(cells)).isdisjoint({"线粒体", "叶绿体", "核糖体", "内质网", "高尔基体"})


def test_two_terms_of_a_section_are_contrasted():
    prompts = [q.prompt for q in doc_of("databases").questions]
    assert any("「第一范式」和「第二范式」容易混淆" in p for p in prompts)
    assert any("容易混淆" in q.prompt for q in doc_of("biology").questions)


def test_cause_sentences_ask_why_with_options_of_one_template():
    doc = doc_of("da-mo-xing")
    question = next(q for q in doc.questions if q.prompt == "为什么需要采用模型压缩技术\uff1f")
    assert rights(question) == ["为了降低模型的计算和存储成本"]
    for name in CORPORA:
        whys = [q for q in doc_of(name).questions if q.prompt.startswith("为什么")]
        assert whys, name
        for q in whys:
            opening = {c.text[:2] in ("为了", "因为") and c.text[:2] for c in q.choices}
            assert len(opening) == 1, q  # all 为了, all 因为, or none


@pytest.mark.parametrize("name", list(CORPORA))
def test_every_section_has_a_question(name):
    doc = doc_of(name)
    asked = {q.section for q in doc.questions}
    for note in doc.notes:
        if len(note.body.strip()) > 20:
            assert note.title in asked, note.title
    if name == "da-mo-xing":
        assert sum(q.section == "发展历程" for q in doc.questions) >= 3


def test_items_are_in_the_order_of_the_notes():
    doc = doc_of("da-mo-xing")
    order = [n.title for n in doc.notes]
    places = [order.index(q.section) for q in doc.questions]
    assert places == sorted(places)
