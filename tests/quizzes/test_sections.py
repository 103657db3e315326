"""The results page's per-section breakdown, without a database."""

from __future__ import annotations

from quizzes.items import Item, SectionScore, section_scores


def item(position: int, note: str) -> Item:
    url = f"/sets/s/notes/#{note}" if note else ""
    return Item(position, position, "single", f"题 {position}", "", note, url, ())


def test_counts_right_of_total_per_section_weakest_first():
    results = [
        (item(0, "概述"), True),
        (item(1, "注意力"), False),
        (item(2, "概述"), True),
        (item(3, "训练"), True),
        (item(4, "注意力"), True),
        (item(5, "训练"), False),
        (item(6, "训练"), False),
    ]
    assert section_scores(results) == [
        SectionScore("训练", "/sets/s/notes/#训练", 1, 3),  # 33%
        SectionScore("注意力", "/sets/s/notes/#注意力", 1, 2),  # 50%
        SectionScore("概述", "/sets/s/notes/#概述", 2, 2),
    ]


def test_ties_put_more_misses_first_then_keep_the_order_met():
    results = [
        (item(0, "甲"), False),
        (item(1, "乙"), False),
        (item(2, "乙"), False),
        (item(3, "丙"), False),
    ]
    assert [s.title for s in section_scores(results)] == ["乙", "甲", "丙"]


def test_questions_without_a_section_are_grouped_together():
    scores = section_scores([(item(0, ""), True), (item(1, ""), False)])
    assert scores == [SectionScore("", "", 1, 2)]
    assert scores[0].percent == 50
