"""The fsrs wrapper, without a database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import fsrs
import pytest

from learners import scheduling

NOW = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize("rating", [1, 2, 3, 4])
def test_new_card_intervals_match_fsrs(rating):
    expected, _ = fsrs.Scheduler(enable_fuzzing=False).review_card(
        fsrs.Card(due=NOW), fsrs.Rating(rating), review_datetime=NOW
    )
    memory = scheduling.review(None, rating, NOW, fuzz=False)
    assert memory.due == expected.due
    assert memory.stability == pytest.approx(expected.stability)
    assert memory.state == expected.state.value


@pytest.mark.parametrize("rating", [1, 2, 3, 4])
def test_review_card_intervals_match_fsrs_after_a_history(rating):
    card = fsrs.Card(due=NOW)
    native = fsrs.Scheduler(enable_fuzzing=False)
    memory = None
    when = NOW
    for step in (3, 3, 3):
        card, _ = native.review_card(card, fsrs.Rating(step), review_datetime=when)
        memory = scheduling.review(memory, step, when, fuzz=False)
        when = card.due
    expected, _ = native.review_card(card, fsrs.Rating(rating), review_datetime=when)
    assert scheduling.review(memory, rating, when, fuzz=False).due == expected.due


def test_desired_retention_changes_the_interval():
    card = scheduling.review(None, 3, NOW, fuzz=False)
    card = scheduling.review(card, 3, card.due, fuzz=False)
    strict = scheduling.review(card, 3, card.due, desired_retention=0.97, fuzz=False)
    relaxed = scheduling.review(card, 3, card.due, desired_retention=0.8, fuzz=False)
    assert strict.due < relaxed.due


def test_fuzz_stays_close_to_the_unfuzzed_interval():
    card = scheduling.review(None, 4, NOW, fuzz=False)
    card = scheduling.review(card, 4, card.due, fuzz=False)
    plain = scheduling.review(card, 3, card.due, fuzz=False).due - card.due
    for _ in range(20):
        fuzzed = scheduling.review(card, 3, card.due, fuzz=True).due - card.due
        assert abs(fuzzed - plain) <= plain * 0.1 + timedelta(days=1)


@pytest.mark.parametrize("rating", [0, 5, -1, None, "3"])
def test_bad_rating_is_refused(rating):
    with pytest.raises(ValueError, match="rating"):
        scheduling.review(None, rating, NOW)


def test_preview_lists_every_rating_in_order():
    intervals = scheduling.preview(None, NOW)
    assert list(intervals) == [1, 2, 3, 4]
    assert intervals[1] < intervals[3] < intervals[4]


@pytest.mark.parametrize(
    ("interval", "text"),
    [
        (timedelta(seconds=30), "<1 分钟"),
        (timedelta(minutes=10), "10 分钟"),
        (timedelta(hours=3), "3 小时"),
        (timedelta(days=4), "4 天"),
        (timedelta(days=75), "2.5 个月"),
        (timedelta(days=60), "2 个月"),
        (timedelta(days=400), "1.1 年"),
    ],
)
def test_humanize(interval, text):
    assert scheduling.humanize(interval) == text


def test_scheduling_never_sleeps(monkeypatch):
    """fsrs.Card() without a card id sleeps a millisecond to keep ids apart; the
    wrapper names its cards, so a rating and its four previews never wait."""
    naps = []
    monkeypatch.setattr(fsrs.card.time, "sleep", naps.append)
    memory = scheduling.review(None, 3, NOW, fuzz=False)
    scheduling.preview(memory, memory.due)
    scheduling.preview(None, NOW)
    assert naps == []
