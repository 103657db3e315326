"""The verdict's 正确答案 line: several right answers read as one Chinese sentence."""

from __future__ import annotations

import pytest

from quizzes.items import Item, OptionSnapshot
from quizzes.kinds import Kind


def item(*options: tuple[str, bool]) -> Item:
    return Item(
        position=0,
        question_id=1,
        kind=Kind.MULTIPLE,
        prompt="哪些是大模型面临的挑战\uff1f",
        explanation="",
        note_title="",
        note_url="",
        options=tuple(OptionSnapshot(n, text, right) for n, (text, right) in enumerate(options)),
    )


@pytest.mark.parametrize(
    ("options", "line"),
    [
        (
            (("计算资源消耗大。", True), ("可能被用于生成虚假信息。", True)),
            "计算资源消耗大\uff1b可能被用于生成虚假信息。",
        ),
        ((("偏见", True), ("幻觉", True), ("免费", False)), "偏见\uff1b幻觉"),
        ((("自注意力机制。", True),), "自注意力机制。"),
        ((("数据隐私；", True), ("能耗.", True)), "数据隐私\uff1b能耗."),
    ],
)
def test_right_answers_join_without_doubled_punctuation(options, line):
    assert item(*options).right_answer == line
    assert "\u3002\uff1b" not in item(*options).right_answer
