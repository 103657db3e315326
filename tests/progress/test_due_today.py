"""One definition of "due today": home, /me/ and /me/practice/ count the same cards.

A card is due today when it falls due before the end of the learner's day,
which ends at midnight in settings.TIME_ZONE (Asia/Shanghai), as in Anki:
overdue cards, cards due now and cards due later today all count; cards due
tomorrow do not.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from flashcards.models import CardState, StudyQueue
from learners import scheduling

pytestmark = pytest.mark.django_db
NOW = "2026-11-20 20:00:00+08:00"  # 8 pm in Shanghai: four hours of today left


def put_due(user, card, due: datetime) -> CardState:
    return CardState.objects.create(
        user=user, card=card, state=scheduling.REVIEW, stability=3.0, difficulty=5.0, due=due
    )


@pytest.fixture(autouse=True)
def eight_pm():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def spread(learner, da_mo_xing):
    """Two cards overdue or due now, one later tonight, two tomorrow morning, one next week."""
    cards = list(da_mo_xing.cards.all())
    now = timezone.now()
    put_due(learner, cards[0], now - timedelta(days=2))
    put_due(learner, cards[1], now)
    put_due(learner, cards[2], now + timedelta(hours=3, minutes=59))  # 23:59 tonight
    put_due(learner, cards[3], now + timedelta(hours=4))  # midnight: tomorrow
    put_due(learner, cards[4], now + timedelta(hours=13))  # 9 am tomorrow
    put_due(learner, cards[5], now + timedelta(days=7))
    return cards


class TestDueToday:
    def test_counts_overdue_now_and_later_today_not_tomorrow(self, learner, spread):
        states = CardState.objects.filter(user=learner)
        assert states.due_today(timezone.now()).count() == 3

    def test_the_day_ends_at_midnight_in_the_site_time_zone(self, learner, spread):
        states = CardState.objects.filter(user=learner)
        just_after_midnight = timezone.now() + timedelta(hours=4, minutes=1)
        assert states.due_today(just_after_midnight).count() == 5

    def test_a_draft_card_is_never_due(self, learner, spread):
        spread[1].is_draft = True
        spread[1].save()
        assert CardState.objects.filter(user=learner).due_today(timezone.now()).count() == 2

    def test_home_me_and_practice_give_the_same_number(self, client, learner, spread):
        client.force_login(learner)
        home = client.get("/").context["study_sets"][0].progress
        [me] = client.get("/me/").context["dashboard"].sets
        [practice] = client.get("/me/practice/").context["rows"]
        assert (home.due_today, me.due_today, practice.due_cards) == (3, 3, 3)
        assert me.due_tomorrow == 2

    def test_flashcard_study_serves_every_card_home_counts(self, client, learner, spread):
        """Home promises 复习 3 张到期卡片: study mode serves those 3 (the one due
        at 23:59 too, as Anki shows a review card all day), and not tomorrow's."""
        queue = StudyQueue.build(learner, spread[0].study_set, new_per_day=0)
        assert (queue.learning, queue.review, queue.new) == (0, 3, 0)
        client.force_login(learner)
        home = client.get("/").context["study_sets"][0].progress
        assert home.due_today == queue.review


class TestStudyDay:
    @pytest.mark.parametrize(
        ("now", "start", "end"),
        [
            # 00:30 in Shanghai is still 16:30 the day before in UTC.
            ("2026-11-20 16:30:00+00:00", "2026-11-21 00:00+08:00", "2026-11-22 00:00+08:00"),
            ("2026-11-20 15:59:59+00:00", "2026-11-20 00:00+08:00", "2026-11-21 00:00+08:00"),
            ("2026-11-20 12:00:00+08:00", "2026-11-20 00:00+08:00", "2026-11-21 00:00+08:00"),
        ],
    )
    def test_runs_from_midnight_to_midnight_in_the_site_time_zone(self, now, start, end):
        day = scheduling.study_day(datetime.fromisoformat(now))
        assert day == (datetime.fromisoformat(start), datetime.fromisoformat(end))
