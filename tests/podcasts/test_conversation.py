"""The podcast is a conversation (issue 17 §5), checked on two different texts:
the 大模型 set as stored, and the machine-learning notes people type
(tests/data/typed/notes.md, through the generator, as if its items were kept).

- no more than MAX_SAME_OPENING lines share an opening template: the first four
  characters of a line once its terms are removed, digits folded to # and spaces
  and punctuation dropped (`podcasts.script.opening`);
- every section of the notes is a chapter, and every word that carries a point
  is said; no chapter is empty;
- 小林 (the asking host) never reads a bullet;
- every recap question is answerable: at least ANSWERABLE_SHARE of its right
  answer's key words were said before it.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from generator.generate import generate
from podcasts.models import Episode
from podcasts.script import (
    ANSWER_PAUSE_SECONDS,
    ANSWERABLE_SHARE,
    HOST_A,
    HOST_B,
    MAX_SAME_OPENING,
    Card,
    QuizQuestion,
    Section,
    answer_text,
    build_script,
    items,
    key_words,
    opening,
    spoken_share,
)
from studysite.chinese import CLAUSE_END, COLON, COMMA, QUESTION_MARK, ascii_twins, one_of
from tests.typed import pair

# The 大模型 inputs come from the database, fetched by a parametrized fixture.
pytestmark = pytest.mark.django_db


def inputs_of(doc):
    """What Episode.script_for gives once the generated items are kept."""
    sections = [Section(note.title, note.body) for note in doc.notes]
    questions = [
        QuizQuestion(
            q.prompt,
            "\uff1b".join(c.text for c in q.choices if c.correct),
            options=tuple(c.text for c in q.choices),
            right=tuple(c.text for c in q.choices if c.correct),
            explanation=q.explanation,
            section=q.section,
            kind=q.kind,
        )
        for q in doc.questions
        if q.kind in {"single", "multiple", "true_false"}
    ]
    cards = [Card(c.front, c.back, c.section) for c in doc.cards]
    return doc.title or "机器学习", sections, questions, cards


@pytest.fixture(scope="module")
def typed():
    full_width, _ascii = pair("notes.md")
    doc = generate(full_width, "机器学习")
    doc.title = "机器学习"
    return inputs_of(doc)


@pytest.fixture
def da_mo_xing_inputs(da_mo_xing):
    return Episode.script_for(da_mo_xing)


@pytest.fixture(params=["da_mo_xing", "typed"])
def conversation(request):
    name = "da_mo_xing_inputs" if request.param == "da_mo_xing" else "typed"
    inputs = request.getfixturevalue(name)
    return inputs, build_script(*inputs)


def terms_of(inputs) -> list[str]:
    title, sections, _questions, cards = inputs
    terms = [title, *(s.title for s in sections), *(c.front for c in cards)]
    for section in sections:
        for item in items(section.body):
            terms += [item.term, *(child.term for child in item.nested)]
    return [t for t in terms if t]


def test_the_opening_template_is_what_is_left_of_a_line_without_its_terms():
    terms = ["Transformer 模型", "过拟合"]
    assert opening("什么是 Transformer 模型\uff1f", terms) == opening("什么是过拟合\uff1f", terms)
    assert (
        opening("第 1 部分\uff0c我们来聊聊", terms)
        == opening("第 12 部分\uff01", terms)
        == "第#部分"
    )
    assert opening("那过拟合呢\uff1f", terms) == "那呢"
    assert opening("模型在训练集上", terms) != opening("模型的规模", terms)


def test_no_more_than_three_lines_share_an_opening(conversation):
    inputs, script = conversation
    counts = Counter(opening(line.text, terms_of(inputs)) for line in script.lines)
    worst = counts.most_common(3)
    assert worst[0][1] <= MAX_SAME_OPENING, worst


def test_every_section_is_a_chapter_and_every_point_is_said(conversation):
    (_title, sections, _q, _c), script = conversation
    titled = [s.title for s in sections if s.title and s.body.strip()]
    assert [c for c in script.chapters if c in titled] == titled
    said = "\n".join(line.text for line in script.lines)
    for section in sections:
        for item in items(section.body):
            for point in [item, *item.nested]:
                assert spoken_share(f"{point.term} {point.text}", said) == 1.0, point


def test_no_chapter_is_empty_and_each_has_both_hosts(conversation):
    _inputs, script = conversation
    for number, title in enumerate(script.chapters):
        speakers = {line.speaker for line in script.lines if line.chapter == number}
        assert speakers == {HOST_A, HOST_B}, title


def test_a_heading_with_nothing_under_it_is_no_chapter():
    sections = [Section("空的一节", "\n"), Section("细胞器", "- 线粒体\uff1a细胞的能量工厂。\n")]
    script = build_script("细胞", sections, [])
    assert "空的一节" not in script.chapters
    assert "空的一节" not in " ".join(line.text for line in script.lines)
    assert "这一期分为 1 个部分\uff1a「细胞器」。" in [line.text for line in script.lines]


def _clauses(text: str) -> list[str]:
    return [c for c in re.split(one_of(COMMA, COLON, CLAUSE_END), text) if len(c.strip()) >= 8]


def test_the_asking_host_never_reads_a_bullet(conversation):
    """No clause of a point is first said by 小林: he may echo what 小周 has just
    explained (对，所以…), and ask a question the notes ask themselves."""
    (_title, sections, _q, _c), script = conversation
    recap = script.chapters.index("小测验")  # reads the quiz, options and all
    clauses = [
        clause.strip()
        for section in sections
        for item in items(section.body)
        for point in [item, *item.nested]
        if not re.search(one_of(QUESTION_MARK), point.text)
        for clause in _clauses(point.text)
    ]
    explained = ""
    for line in script.lines:
        if line.chapter >= recap:
            break
        if line.speaker == HOST_B:
            explained += line.text
            continue
        for clause in clauses:
            assert clause not in line.text or clause in explained, (clause, line.text)


def test_the_asking_host_asks_real_questions_and_reacts(conversation):
    _inputs, script = conversation
    asked = " ".join(line.text for line in script.lines if line.speaker == HOST_A)
    for kind in ("为什么", "区别", "例子"):
        assert kind in asked
    assert "对\uff0c这就是为什么" in asked


def test_every_recap_question_is_answerable_from_what_was_said(conversation):
    (_title, _sections, questions, _cards), script = conversation
    recap = script.chapters.index("小测验")
    asked = [
        (index, line)
        for index, line in enumerate(script.lines)
        if line.chapter == recap and line.pause_after == ANSWER_PAUSE_SECONDS
    ]
    assert len(asked) == 3
    for index, line in asked:
        text = ascii_twins(line.text)
        question = next(q for q in questions if ascii_twins(q.prompt)[:12] in text)
        before = "\n".join(
            earlier.text for earlier in script.lines[:index] if earlier.chapter < recap
        )
        assert spoken_share(answer_text(question), before) >= ANSWERABLE_SHARE, question.prompt
        for option in question.options:  # read aloud before the pause
            assert ascii_twins(option)[:10] in text


def test_questions_are_spread_over_sections(da_mo_xing_inputs):
    script = build_script(*da_mo_xing_inputs)
    recap = script.chapters.index("小测验")
    asked = [line.text for line in script.lines if line.chapter == recap and line.pause_after > 1]
    sections = {
        q.section
        for q in da_mo_xing_inputs[2]
        for text in asked
        if ascii_twins(q.prompt)[:10] in ascii_twins(text)
    }
    assert len(sections) == 3


def test_sections_are_linked(typed):
    """RNN comes back in 常见问题 with what 深度学习 said of it, before 并行."""
    script = build_script(*typed)
    lines = [line.text for line in script.lines]
    link = next(i for i, text in enumerate(lines) if "「深度学习」" in text and "RNN" in text)
    assert "按时间步处理序列数据" in lines[link]
    assert "并行" in lines[link + 1]


def test_the_question_explanations_say_what_is_easily_confused(da_mo_xing_inputs):
    said = " ".join(line.text for line in build_script(*da_mo_xing_inputs).lines)
    assert "MoE 属于模型结构" in said


def test_a_card_back_that_says_more_than_the_notes_is_said_once():
    notes = "- 线粒体\uff1a细胞的能量工厂。\n- 核糖体\uff1a合成蛋白质的场所。\n"
    cards = [
        Card("线粒体", "通过有氧呼吸为细胞提供能量的细胞器", "细胞器"),
        Card("核糖体", "合成蛋白质的场所", "细胞器"),
        Card("叶绿体", "植物细胞中进行光合作用的细胞器", "细胞器"),
    ]
    script = build_script("细胞", [Section("细胞器", notes)], [], cards)
    said = "\n".join(
        line.text for line in script.lines if script.chapters[line.chapter] == "细胞器"
    )
    assert "通过有氧呼吸为细胞提供能量的细胞器" in said
    assert said.count("合成蛋白质的场所") == 1
    assert "植物细胞中进行光合作用的细胞器" in said  # a card the notes do not list


def test_without_questions_the_recap_asks_open_questions_from_the_cards():
    notes = "- 线粒体\uff1a细胞的能量工厂。\n"
    script = build_script(
        "细胞", [Section("细胞器", notes)], [], [Card("线粒体", "细胞的能量工厂", "细胞器")]
    )
    recap = [line for line in script.lines if script.chapters[line.chapter] == "小测验"]
    assert recap[1].text.endswith("说说什么是线粒体\uff1f")
    assert recap[1].pause_after == ANSWER_PAUSE_SECONDS
    assert "细胞的能量工厂" in recap[2].text


def test_an_answer_never_said_is_not_asked():
    notes = "- 线粒体\uff1a细胞的能量工厂。\n"
    never = QuizQuestion("光合作用在哪里进行\uff1f", "叶绿体", ("叶绿体", "线粒体"), ("叶绿体",))
    script = build_script("细胞", [Section("细胞器", notes)], [never])
    assert "小测验" not in script.chapters


def test_the_options_are_not_read_in_stored_order():
    """A stored order often puts the right option first; the recap does not."""
    notes = "".join(f"- 术语{n}\uff1a第{n}个术语的定义。\n" for n in range(1, 5))
    questions = [
        QuizQuestion(
            f"哪一项是术语{n}\uff1f",
            f"第{n}个术语的定义",
            tuple(f"第{m}个术语的定义" for m in (n, *(k for k in range(1, 5) if k != n))),
            (f"第{n}个术语的定义",),
            section="节",
            kind="single",
        )
        for n in range(1, 4)
    ]
    script = build_script("术语", [Section("节", notes)], questions)
    answers = [line.text for line in script.lines if line.text.startswith("答案是")]
    assert {text.split("\uff1a")[0] for text in answers} != {"答案是 A"}


def test_key_words_leave_out_words_every_answer_uses():
    words = key_words("能够并行处理序列数据")
    assert "能够" not in words
    assert "序列" in words
