"""The dialogue script, without a database."""

from __future__ import annotations

import re

import pytest

from podcasts.script import (
    ANSWER_PAUSE_SECONDS,
    HOST_A,
    HOST_B,
    QuizQuestion,
    Section,
    build_script,
    content_hash,
    estimate_seconds,
    items,
    spoken_share,
)

SECTIONS = [
    Section("", "- 大型模型通常指的是具有大量参数的深度学习模型。\n"),
    Section("概念", "- 大型模型是参数数量巨大的人工神经网络。\n- 参数数量通常达到数十亿。\n"),
    Section(
        "关键技术",
        "- 模型结构:\n    - Transformer:采用自注意力机制。\n    - 其他结构:如 MoE。\n- 推理优化:\n    - 模型压缩:剪枝、量化和知识蒸馏。\n",
    ),
]
# Answerable from SECTIONS: a recap asks only what the episode has said.
QUESTIONS = [
    QuizQuestion(
        f"问题{n}?",
        answer,
        options=(answer, "无关的选项"),
        right=(answer,),
        section=section,
        kind="single",
    )
    for n, (answer, section) in enumerate(
        [
            ("参数数量巨大的人工神经网络", "概念"),
            ("采用自注意力机制", "关键技术"),
            ("剪枝、量化和知识蒸馏", "关键技术"),
            ("参数数量通常达到数十亿", "概念"),
            ("深度学习模型", ""),
        ],
        start=1,
    )
]


def test_every_section_is_a_chapter_and_every_point_is_spoken():
    script = build_script("大模型", SECTIONS, QUESTIONS)
    assert script.chapters == ["开场", "概念", "关键技术", "小测验", "结束"]
    spoken = "\n".join(line.text for line in script.lines)
    for section in SECTIONS:
        for item in items(section.body):
            for point in [item, *item.nested]:
                assert spoken_share(f"{point.term} {point.text}", spoken) == 1.0, point


def test_two_hosts_take_turns():
    script = build_script("大模型", SECTIONS, QUESTIONS)
    speakers = {line.speaker for line in script.lines}
    assert speakers == {HOST_A, HOST_B}
    assert script.lines[0].speaker == HOST_A


def test_recap_asks_three_questions_with_a_pause_before_each_answer():
    script = build_script("大模型", SECTIONS, QUESTIONS)
    recap = [line for line in script.lines if script.chapters[line.chapter] == "小测验"]
    asked = [line for line in recap if line.text.startswith(("第", "最后一题"))]
    assert len(asked) == 3
    for line in asked:
        assert line.pause_after == ANSWER_PAUSE_SECONDS
        assert "无关的选项" in line.text  # the options, read before the pause
        following = recap[recap.index(line) + 1]
        assert following.text.startswith("答案是")


def test_chapters_in_order_and_lines_point_at_them():
    script = build_script("大模型", SECTIONS, QUESTIONS)
    chapters = [line.chapter for line in script.lines]
    assert chapters == sorted(chapters)


def test_deterministic_and_hashed():
    assert build_script("大模型", SECTIONS, QUESTIONS) == build_script(
        "大模型", SECTIONS, QUESTIONS
    )
    assert content_hash("大模型", SECTIONS, QUESTIONS) == content_hash(
        "大模型", SECTIONS, QUESTIONS
    )
    changed = [*SECTIONS[:2], Section("关键技术", "- 新的要点\n")]
    assert content_hash("大模型", changed, QUESTIONS) != content_hash("大模型", SECTIONS, QUESTIONS)


def test_estimate_grows_with_the_text():
    short = build_script("短", SECTIONS[:2], [])
    long = build_script("长", SECTIONS, QUESTIONS)
    assert 0 < short.estimated_seconds < long.estimated_seconds


@pytest.mark.parametrize("title", ["", "<script>"])
def test_no_markdown_or_markup_leaks_into_speech(title):
    script = build_script(title, [Section("节", "- **粗体**和`代码`\n")], [])
    assert all("*" not in line.text and "`" not in line.text for line in script.lines)


def test_a_term_line_typed_with_a_full_width_colon_is_a_term():
    script = build_script("细胞", [Section("细胞器", "- 线粒体\uff1a细胞的能量工厂。\n")], [])
    spoken = [line.text for line in script.lines]
    assert "什么是线粒体\uff1f" in spoken
    assert any(text.endswith("细胞的能量工厂。") for text in spoken)


def test_the_hosts_speak_with_chinese_punctuation():
    """The transcript is shown on the page: Chinese text gets Chinese punctuation,
    also where the notes were typed with ASCII commas and colons."""
    notes = "- 2017年,Transformer 模型提出。\n- 剪枝:去掉不重要的连接。\n"
    script = build_script("大模型", [Section("发展历程", notes)], QUESTIONS)
    cjk_next_to_ascii = re.compile(r"[\u4e00-\u9fff][,:;?!]|[,:;?!][\u4e00-\u9fff]")
    for line in script.lines:
        assert not cjk_next_to_ascii.search(line.text), line.text
    spoken = "\n".join(line.text for line in script.lines)
    assert "2017年\uff0cTransformer 模型提出。" in spoken
    assert "大家好\uff0c欢迎收听学习站播客" in spoken


def test_full_width_punctuation_takes_no_speaking_time():
    assert estimate_seconds("线粒体\uff0c细胞\uff1a能量\uff1f") == estimate_seconds(
        "线粒体细胞能量"
    )


@pytest.mark.slow  # builds a script from thousands of notes
def test_a_huge_set_makes_an_episode_of_bounded_length():
    """9,000 points once made an eight-hour script, rendered for minutes."""
    from podcasts.script import MAX_SECTION_SECONDS, Script

    body = "\n".join(f"- 术语{i}:第{i}个术语的定义。" for i in range(9000))
    sections = [Section(f"第{n}节", body) for n in range(3)]
    script = build_script("很长的笔记", sections, [])
    assert MAX_SECTION_SECONDS < script.estimated_seconds < MAX_SECTION_SECONDS + 300
    assert "请到学习笔记里阅读" in " ".join(line.text for line in script.lines)
    assert script.chapters[-1] == "结束"
    again = Script.from_json(script.to_json())
    assert again.estimated_seconds == pytest.approx(script.estimated_seconds)


def test_a_term_whose_definition_repeats_it_is_said_once():
    notes = "- 模型结构\uff1a\n    - Transformer:Transformer 模型采用自注意力机制。\n"
    script = build_script("大模型", [Section("关键技术", notes)], [])
    spoken = [line.text for line in script.lines]
    assert "Transformer 模型采用自注意力机制。" in spoken
    assert not any("Transformer\uff1aTransformer" in text for text in spoken)


def test_latin_words_are_spaced_from_chinese_text():
    notes = "- Transformer 模型\uff1a2017年提出。\n- 其他\uff1a如MoE等结构。\n"
    script = build_script("大模型", [Section("发展历程", notes)], [])
    spoken = [line.text for line in script.lines]
    assert "Transformer 模型是什么时候出现的\uff1f" in spoken
    assert any("如 MoE 等结构。" in text for text in spoken)
    assert "2017年提出。" in spoken  # digits stay as written


def test_the_options_are_read_in_the_same_order_however_the_punctuation_was_typed():
    notes = "- 过拟合\uff1a模型在训练集上表现很好，却在新数据上表现很差。\n"
    options = ("在训练集上表现很好,却在新数据上表现很差", "训练集太小", "模型太简单", "学习率太高")

    def recap(typed):
        question = QuizQuestion(
            "什么是过拟合?".translate(typed),
            options[0].translate(typed),
            tuple(o.translate(typed) for o in options),
            (options[0].translate(typed),),
            kind="single",
        )
        script = build_script("机器学习", [Section("概念", notes)], [question])
        return [line.text for line in script.lines if line.text.startswith("答案是")]

    full_width = str.maketrans({",": "\uff0c", "?": "\uff1f"})
    assert recap({}) == recap(full_width)
