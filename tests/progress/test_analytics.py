"""The arithmetic of learning analytics, on hand-checked numbers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from progress import analytics
from progress.charts import heatmap, score_chart


class TestGroups:
    def test_top_and_bottom_27_percent(self):
        scores = dict(zip(range(1, 11), [90, 80, 70, 60, 50, 40, 30, 20, 10, 0], strict=True))
        top, bottom = analytics.groups(scores)
        # 27 % of 10 learners rounds to 3.
        assert top == {1, 2, 3}
        assert bottom == {8, 9, 10}

    def test_one_learner_makes_no_groups(self):
        assert analytics.groups({1: 100}) == (set(), set())

    def test_ties_are_broken_by_id(self):
        top, bottom = analytics.groups({5: 50, 3: 50, 9: 50, 1: 50})
        assert top == {1}
        assert bottom == {9}


def test_item_statistics_on_a_hand_checked_example():
    # 20 responses, 13 right: facility 0.65. Top group 5 of 5 right, bottom 1 of 5: D = 0.8.
    item = analytics.ItemStats(
        1, responses=20, right=13, top_right=5, top_total=5, bottom_right=1, bottom_total=5
    )
    assert item.facility == pytest.approx(0.65)
    assert item.discrimination == pytest.approx(0.8)
    assert item.flags == []


@pytest.mark.parametrize(
    ("stats", "flags"),
    [
        ({"responses": 100, "right": 97}, ["太容易"]),
        ({"responses": 100, "right": 19}, ["太难"]),
        (
            {
                "responses": 10,
                "right": 5,
                "top_right": 1,
                "top_total": 3,
                "bottom_right": 3,
                "bottom_total": 3,
            },
            ["区分度为负"],
        ),
        ({"responses": 100, "right": 95}, []),  # exactly 0.95 is not "too easy"
        ({"responses": 100, "right": 20}, []),
    ],
)
def test_flags(stats, flags):
    assert analytics.ItemStats(1, **stats).flags == flags


def test_four_responses_are_too_few_to_flag():
    item = analytics.ItemStats(1, responses=4, right=0)
    assert item.too_few_responses
    assert item.flags == []


def test_five_responses_are_enough_to_flag():
    item = analytics.ItemStats(1, responses=5, right=0)
    assert not item.too_few_responses
    assert item.flags == ["太难"]


def test_no_responses_means_no_numbers():
    item = analytics.ItemStats(1)
    assert item.facility is None
    assert item.discrimination is None
    assert item.flags == []


def test_true_retention():
    assert analytics.true_retention(9, 10) == pytest.approx(0.9)
    assert analytics.true_retention(0, 0) is None


class TestStreaks:
    TODAY = date(2026, 11, 29)

    def test_current_and_longest(self):
        days = {self.TODAY - timedelta(days=n) for n in (0, 1, 2, 5, 6, 7, 8)}
        assert analytics.streaks(days, self.TODAY) == (3, 4)

    def test_a_streak_ending_yesterday_is_still_current(self):
        days = {self.TODAY - timedelta(days=n) for n in (1, 2)}
        assert analytics.streaks(days, self.TODAY) == (2, 2)

    def test_no_days(self):
        assert analytics.streaks(set(), self.TODAY) == (0, 0)


class TestCharts:
    def test_score_chart_has_a_text_alternative(self):
        from datetime import datetime

        svg = score_chart(
            [(datetime(2026, 11, 1), 40), (datetime(2026, 11, 2), 90)], chart_id="c", label="得分"
        )
        assert 'role="img"' in svg
        assert 'aria-labelledby="c-title c-desc"' in svg
        assert "共 2 次测验\uff0c得分从 40% 到 90%" in svg
        assert svg.count("<circle") == 2

    def test_label_is_escaped(self):
        svg = score_chart([], chart_id="c", label="<script>")
        assert "<script>" not in svg

    def test_heatmap_covers_a_year(self):
        today = date(2026, 11, 29)
        svg = heatmap({today: 3, today - timedelta(days=400): 9}, today)
        assert svg.count("<rect") >= 365
        assert "过去一年有 1 天学习" in svg
        assert "2026-11-29\uff1a3 次" in svg
