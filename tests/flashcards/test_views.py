"""Flashcards through their URLs: browse, study, rating, replay, tampering."""

from __future__ import annotations

import uuid
from datetime import timedelta

import fsrs
import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from flashcards.models import Card, CardState, ReviewLog, Star, StudyQueue, record_review
from learners import scheduling
from learners.models import Preferences
from tests.factories import make_card, make_study_set

pytestmark = pytest.mark.django_db
PAGE = "/sets/da-mo-xing/flashcards/"
HTMX = {"HX-Request": "true", "HX-Target": "flashcard-area"}
FROZEN = "2026-11-02 09:00:00+08:00"


@pytest.fixture(autouse=True)
def _no_fuzz(settings):
    settings.FSRS_FUZZ = False


def review_url(card) -> str:
    return reverse("flashcards:review", args=[card.study_set.slug, card.pk])


def rate(client, card, rating, review_id=None, headers=HTMX, **extra):
    data = {"rating": rating, "review_id": str(review_id or uuid.uuid4()), **extra}
    return client.post(review_url(card), data, headers=headers)


class TestBrowse:
    def test_anonymous_visitors_browse_without_scheduling(self, client, da_mo_xing):
        response = client.get(PAGE)
        html = response.content.decode()
        assert response.status_code == 200
        assert response.context["options"]["mode"] == "browse"
        assert "第 1 张 / 共 9 张" in html
        assert "翻面" in html
        assert "重来" not in html

    def test_next_and_previous(self, client, da_mo_xing):
        html = client.get(PAGE, {"mode": "browse", "i": 1}).content.decode()
        assert "第 2 张 / 共 9 张" in html
        assert "上一张" in html
        assert "下一张" in html
        last = client.get(PAGE, {"mode": "browse", "i": 8}).content.decode()
        assert "下一张" not in last

    def test_reverse_shows_the_back_first(self, client, da_mo_xing):
        response = client.get(PAGE, {"mode": "browse", "reverse": "1"})
        first = da_mo_xing.cards.first()
        assert f'class="flashcard__front">{first.back}</h2>' in response.content.decode()

    def test_shuffle_is_stable_for_its_seed(self, client, da_mo_xing):
        def order(seed):
            return [
                client.get(PAGE, {"mode": "browse", "shuffle": "1", "seed": seed, "i": i})
                .context["card"]
                .pk
                for i in range(9)
            ]

        first = order(12345)
        assert order(12345) == first
        set_order = list(da_mo_xing.cards.values_list("pk", flat=True))
        assert sorted(first) == sorted(set_order)
        assert first != set_order  # shuffled
        assert order(999) != first  # another seed, another order

    def test_opens_at_a_linked_card(self, client, da_mo_xing):
        card = da_mo_xing.cards.get(front="模型压缩")
        response = client.get(card.get_absolute_url())
        assert response.context["card"] == card

    def test_htmx_paging_returns_only_the_card_area(self, client, da_mo_xing):
        html = client.get(PAGE, {"mode": "browse", "i": 2}, headers=HTMX).content.decode()
        assert html.lstrip().startswith('<div id="flashcard-area"')

    @pytest.mark.parametrize("params", [{"mode": "sideways"}, {"i": "-1"}, {"card": "abc"}])
    def test_bad_options_are_a_clear_400(self, client, da_mo_xing, params):
        response = client.get(PAGE, params)
        assert response.status_code == 400

    def test_unknown_set_is_404(self, client):
        assert client.get("/sets/nope/flashcards/").status_code == 404


class TestStudy:
    def test_learners_study_the_queue_with_counts(self, client, learner, da_mo_xing):
        client.force_login(learner)
        response = client.get(PAGE)
        html = response.content.decode()
        assert response.context["options"]["mode"] == "study"
        assert "新卡 <strong>9</strong>" in html
        for label in ("重来", "困难", "良好", "简单"):
            assert label in html

    @pytest.mark.parametrize("rating", [1, 2, 3, 4])
    def test_rating_schedules_like_fsrs_with_the_server_clock(
        self, client, learner, da_mo_xing, rating
    ):
        client.force_login(learner)
        with time_machine.travel(FROZEN, tick=False):
            card = client.get(PAGE).context["card"]
            response = rate(client, card, rating, reviewed_at="2020-01-01T00:00:00Z")
            now = timezone.now()
        assert response.status_code == 200
        expected, _ = fsrs.Scheduler(enable_fuzzing=False).review_card(
            fsrs.Card(due=now), fsrs.Rating(rating), review_datetime=now
        )
        state = CardState.objects.get(user=learner, card=card)
        assert state.due == expected.due
        log = ReviewLog.objects.get()
        assert log.reviewed_at == now  # the client's reviewed_at is ignored
        assert log.was_new

    def test_second_review_follows_fsrs(self, client, learner, da_mo_xing):
        client.force_login(learner)
        card = da_mo_xing.cards.first()
        with time_machine.travel(FROZEN, tick=False) as traveller:
            first = timezone.now()
            rate(client, card, 3)
            first_due = CardState.objects.get().due
            traveller.move_to(first_due)
            rate(client, card, 3)
        native = fsrs.Scheduler(enable_fuzzing=False)
        fcard, _ = native.review_card(fsrs.Card(due=first), fsrs.Rating(3), review_datetime=first)
        fcard, _ = native.review_card(fcard, fsrs.Rating(3), review_datetime=first_due)
        assert CardState.objects.get().due == fcard.due

    def test_counts_change_after_a_rating(self, client, learner, da_mo_xing):
        client.force_login(learner)
        card = client.get(PAGE).context["card"]
        html = rate(client, card, 1).content.decode()
        assert "新卡 <strong>8</strong>" in html
        assert "已记录\uff1a重来" in html  # the announced status

    def test_replayed_rating_is_stored_once(self, client, learner, da_mo_xing):
        client.force_login(learner)
        card = da_mo_xing.cards.first()
        review_id = uuid.uuid4()
        for _ in range(3):
            assert rate(client, card, 3, review_id).status_code == 200
        assert ReviewLog.objects.count() == 1
        assert CardState.objects.get().reps == 1

    def test_two_tabs_log_both_and_the_state_follows_the_latest(self, client, learner, da_mo_xing):
        client.force_login(learner)
        card = da_mo_xing.cards.first()
        with time_machine.travel(FROZEN, tick=False) as traveller:
            tab_a, tab_b = uuid.uuid4(), uuid.uuid4()  # the card shown in two tabs
            rate(client, card, 4, tab_a)
            traveller.shift(timedelta(seconds=30))
            rate(client, card, 1, tab_b)
        assert list(ReviewLog.objects.values_list("rating", flat=True)) == [4, 1]
        state = CardState.objects.get()
        assert state.reps == 2
        assert state.due == ReviewLog.objects.last().due_after

    def test_without_javascript_a_rating_redirects_to_the_next_card(
        self, client, learner, da_mo_xing
    ):
        client.force_login(learner)
        card = da_mo_xing.cards.first()
        response = rate(client, card, 3, headers={}, reverse="1")
        assert response.status_code == 302
        assert "reverse=1" in response["Location"]

    def test_daily_new_card_limit(self, client, learner, da_mo_xing):
        Preferences.objects.create(user=learner, new_cards_per_day=3)
        client.force_login(learner)
        assert client.get(PAGE).context["queue"].new == 3
        for _ in range(3):
            rate(client, client.get(PAGE).context["card"], 4)
        queue = client.get(PAGE).context["queue"]
        assert queue.new == 0

    def test_finished_screen_says_when_the_next_card_is_due(self, client, learner):
        study_set = make_study_set(slug="tiny")
        card = make_card(study_set)
        client.force_login(learner)
        rate(client, card, 4)
        html = client.get("/sets/tiny/flashcards/").content.decode()
        assert "今天的复习完成了" in html
        assert "后到期" in html

    def test_learning_cards_come_back_within_twenty_minutes(self, client, learner):
        study_set = make_study_set(slug="tiny")
        card = make_card(study_set)
        client.force_login(learner)
        rate(client, card, 1)  # due again in a minute: shown now, as nothing else is left
        assert client.get("/sets/tiny/flashcards/").context["card"] == card

    def test_due_cards_come_before_new_ones(self, client, learner, da_mo_xing):
        client.force_login(learner)
        first = da_mo_xing.cards.order_by("position").first()
        with time_machine.travel(FROZEN, tick=False) as traveller:
            rate(client, first, 3)
            traveller.shift(timedelta(days=30))
            assert client.get(PAGE).context["card"] == first

    def test_starred_only(self, client, learner, da_mo_xing):
        client.force_login(learner)
        card = da_mo_xing.cards.get(front="自监督学习")
        client.post(reverse("flashcards:star", args=["da-mo-xing", card.pk]), {"starred": "1"})
        response = client.get(PAGE, {"starred": "1"})
        assert response.context["card"] == card
        assert response.context["queue"].new == 1


class TestTampering:
    @pytest.fixture
    def card(self, client, learner, da_mo_xing):
        client.force_login(learner)
        return da_mo_xing.cards.first()

    @pytest.mark.parametrize("rating", ["0", "5", "good", "", "3.5"])
    def test_bad_rating_value(self, client, card, rating):
        response = rate(client, card, rating)
        assert response.status_code == 400
        assert "评分无效" in response.content.decode() or "请选择评分" in response.content.decode()
        assert not ReviewLog.objects.exists()
        assert not CardState.objects.exists()

    @pytest.mark.parametrize("review_id", ["not-a-uuid", ""])
    def test_bad_review_id(self, client, card, review_id):
        response = client.post(
            review_url(card), {"rating": 3, "review_id": review_id}, headers=HTMX
        )
        assert response.status_code == 400
        assert not ReviewLog.objects.exists()

    def test_card_from_another_set(self, client, card):
        other = make_card(make_study_set())
        url = reverse("flashcards:review", args=["da-mo-xing", other.pk])
        response = client.post(url, {"rating": 3, "review_id": str(uuid.uuid4())}, headers=HTMX)
        assert response.status_code == 404
        assert not ReviewLog.objects.exists()

    def test_review_id_of_someone_elses_review(self, client, card, django_user_model):
        other = django_user_model.objects.create_user("other", password="x-pass-1234")
        theirs = uuid.uuid4()
        client.force_login(other)
        rate(client, card, 3, theirs)
        state_before = list(CardState.objects.values())
        client.logout()
        client.force_login(django_user_model.objects.get(username="xiaoming"))
        response = rate(client, card, 1, theirs)
        assert response.status_code == 409
        assert ReviewLog.objects.count() == 1
        assert list(CardState.objects.values()) == state_before

    def test_review_id_reused_for_another_card(self, client, card, da_mo_xing):
        review_id = uuid.uuid4()
        rate(client, card, 3, review_id)
        other = da_mo_xing.cards.exclude(pk=card.pk).first()
        assert rate(client, other, 3, review_id).status_code == 409
        assert ReviewLog.objects.count() == 1

    def test_anonymous_rating_goes_to_login_and_stores_nothing(self, client, da_mo_xing):
        card = da_mo_xing.cards.first()
        response = rate(client, card, 3, headers={})
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
        assert not ReviewLog.objects.exists()

    def test_get_is_refused(self, client, card):
        assert client.get(review_url(card)).status_code == 405


class TestStar:
    def test_star_and_unstar(self, client, learner, da_mo_xing):
        client.force_login(learner)
        card = da_mo_xing.cards.first()
        url = reverse("flashcards:star", args=["da-mo-xing", card.pk])
        response = client.post(url, {"starred": "1"}, headers={"HX-Request": "true"})
        assert 'aria-pressed="true"' in response.content.decode()
        assert Star.objects.filter(user=learner, card=card).exists()
        client.post(url, {}, headers={"HX-Request": "true"})
        assert not Star.objects.exists()

    def test_star_redirect_stays_on_site(self, client, learner, da_mo_xing):
        client.force_login(learner)
        card = da_mo_xing.cards.first()
        url = reverse("flashcards:star", args=["da-mo-xing", card.pk])
        response = client.post(url, {"starred": "1", "next": "https://evil.example/"})
        assert response["Location"].startswith("/sets/da-mo-xing/flashcards/")


class TestQueryCounts:
    @pytest.fixture
    def big(self, client, learner):
        study_set = make_study_set(slug="big")
        cards = [make_card(study_set) for _ in range(80)]
        Preferences.objects.create(user=learner, new_cards_per_day=200)
        client.force_login(learner)
        for card in cards[:40]:
            rate(client, card, 3)
            rate(client, card, 1)
        return cards

    def test_page_does_not_grow_with_cards_or_reviews(self, client, big, django_assert_num_queries):
        # user, set, preferences, the queue's counts, its next card, the last rating
        with django_assert_num_queries(6):
            client.get("/sets/big/flashcards/")
        with django_assert_num_queries(6):
            client.get("/sets/big/flashcards/", headers=HTMX)

    def test_rating_a_card_seen_before(self, client, big, django_assert_num_queries):
        # user, the card with its set, memory and preferences; the write
        # (savepoint, update, log, release); the queue's counts, its next card
        with django_assert_num_queries(8):
            response = rate(client, big[0], 3)
        assert response.status_code == 200
        assert CardState.objects.get(card=big[0]).reps == 3

    def test_rating_a_new_card(self, client, big, django_assert_num_queries):
        # as above, and whether the review id was taken back (撤销) before
        with django_assert_num_queries(9):
            response = rate(client, big[50], 3)
        assert response.status_code == 200
        assert CardState.objects.get(card=big[50]).reps == 1


def test_queue_counts_learning_review_and_new(learner):
    study_set = make_study_set(slug="q")
    cards = [make_card(study_set) for _ in range(4)]
    from flashcards.models import record_review

    with time_machine.travel(FROZEN, tick=False) as traveller:
        record_review(learner, cards[0], 1, uuid.uuid4())  # learning
        record_review(learner, cards[1], 4, uuid.uuid4())  # review, due in days
        traveller.shift(timedelta(minutes=5))
        queue = StudyQueue.build(learner, study_set)
    assert (queue.learning, queue.review, queue.new) == (1, 0, 2)


class TestReadBeforeWrite:
    """The rating view reads the learner's memory with the card; the write must
    still apply the rating to the state as stored when it is written."""

    def test_a_state_changed_after_the_read_is_rated_as_stored(self, learner, da_mo_xing):
        card = da_mo_xing.cards.first()
        with time_machine.travel(FROZEN, tick=False) as traveller:
            record_review(learner, card, 3, uuid.uuid4())
            stale = Card.objects.to_rate(learner).get(pk=card.pk).read_memory()
            traveller.shift(timedelta(minutes=15))
            record_review(learner, card, 3, uuid.uuid4())  # another tab, meanwhile
            fresh = CardState.objects.get()
            traveller.move_to(fresh.due)
            now = timezone.now()
            record_review(learner, card, 3, uuid.uuid4(), read=stale)
        state = CardState.objects.get()
        assert state.reps == 3
        assert state.due == scheduling.review(fresh.memory, 3, now, fuzz=False).due
        assert ReviewLog.objects.last().state_before == fresh.state

    def test_a_replayed_review_id_is_stored_once(self, learner, da_mo_xing):
        card = da_mo_xing.cards.first()
        review_id = uuid.uuid4()
        first, created = record_review(learner, card, 3, review_id)
        memory = Card.objects.to_rate(learner).get(pk=card.pk).read_memory()
        again, created_again = record_review(learner, card, 1, review_id, read=memory)
        assert (created, created_again) == (True, False)
        assert again == first
        assert CardState.objects.get().reps == 1
