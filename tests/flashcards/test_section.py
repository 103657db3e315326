"""One section's cards (issue 22, item 4): /sets/<slug>/flashcards/?section=<note id>
studies or browses only that note's published cards, and keeps to it through
every rating, undo and link."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from flashcards.forms import DeckOptionsForm
from flashcards.models import CardState, ReviewLog, Star, StudyQueue, record_review
from learners.models import Preferences
from tests.factories import make_card, make_note, make_study_set
from tests.flashcards.test_views import FROZEN, HTMX, rate

pytestmark = pytest.mark.django_db
PAGE = "/sets/da-mo-xing/flashcards/"
KEY_TECH = 104  # 关键技术: three cards (Transformer 模型, 预训练, 模型压缩)
FUTURE = 107  # 未来发展趋势: three cards
UNDO = reverse("flashcards:undo", args=["da-mo-xing"])


@pytest.fixture(autouse=True)
def _no_fuzz(settings):
    settings.FSRS_FUZZ = False


@pytest.fixture
def section_cards(da_mo_xing):
    return list(da_mo_xing.cards.filter(note=KEY_TECH).order_by("position"))


@pytest.fixture
def signed_in(client, learner, da_mo_xing):
    client.force_login(learner)
    return learner


def test_links_keep_the_section():
    options = DeckOptionsForm({"section": "104", "reverse": "1"}, signed_in=True)
    assert options.is_valid()
    assert options.cleaned_data["section"] == KEY_TECH
    assert options.to_query() == "?mode=study&section=104&reverse=1"
    assert options.to_query(section=None) == "?mode=study&reverse=1"


class TestStudy:
    def test_counts_and_serves_only_the_sections_cards(self, client, signed_in, section_cards):
        response = client.get(PAGE, {"section": KEY_TECH})
        html = response.content.decode()
        assert response.status_code == 200
        assert response.context["queue"].new == 3
        assert "新卡 <strong>3</strong>" in html
        assert response.context["card"] == section_cards[0]
        assert "本节\uff1a" in html
        assert ">关键技术</a>" in html
        assert 'href="?mode=study">查看全部卡片</a>' in html

    def test_the_htmx_fragment_is_the_sections_too(self, client, signed_in, section_cards):
        response = client.get(PAGE, {"section": KEY_TECH}, headers=HTMX)
        html = response.content.decode()
        assert html.lstrip().startswith('<div id="flashcard-area"')
        assert "新卡 <strong>3</strong>" in html
        assert response.context["card"] == section_cards[0]

    def test_due_cards_elsewhere_are_neither_counted_nor_served(
        self, client, signed_in, da_mo_xing, section_cards
    ):
        elsewhere = da_mo_xing.cards.filter(note=FUTURE).first()
        with time_machine.travel(FROZEN, tick=False) as traveller:
            record_review(signed_in, elsewhere, 3, uuid.uuid4())
            record_review(signed_in, section_cards[2], 3, uuid.uuid4())
            traveller.shift(timedelta(days=30))  # both due
            queue = client.get(PAGE, {"section": KEY_TECH}).context["queue"]
            whole = client.get(PAGE).context["queue"]
        assert (queue.learning + queue.review, queue.new) == (1, 2)
        assert queue.next_card == section_cards[2]  # due first, as in the whole deck
        assert (whole.learning + whole.review, whole.new) == (2, 7)

    def test_the_sections_new_cards_share_the_sets_daily_limit(self, client, signed_in, da_mo_xing):
        Preferences.objects.create(user=signed_in, new_cards_per_day=3)
        for card in da_mo_xing.cards.filter(note=FUTURE)[:2]:
            rate(client, card, 4)  # two new cards met elsewhere today
        queue = client.get(PAGE, {"section": KEY_TECH}).context["queue"]
        assert queue.new == 1
        assert queue.done_today == 0  # done today: this section's ratings

    def test_a_rating_keeps_the_section(self, client, signed_in, section_cards):
        response = rate(client, section_cards[0], 4, section=KEY_TECH)
        html = response.content.decode()
        assert response.status_code == 200
        assert response.context["options"]["section"] == KEY_TECH
        assert "新卡 <strong>2</strong>" in html
        assert response.context["card"] == section_cards[1]
        assert html.count('<input type="hidden" name="section" value="104">') == 2  # rate, undo
        assert response.context["done_today"] == 1

    def test_without_javascript_a_rating_redirects_to_the_section(
        self, client, signed_in, section_cards
    ):
        response = rate(client, section_cards[0], 4, headers={}, section=KEY_TECH)
        assert response.status_code == 302
        assert response["Location"] == f"{PAGE}?mode=study&section=104"

    def test_undo_keeps_the_section_and_shows_the_card_again(
        self, client, signed_in, section_cards
    ):
        log, _ = record_review(signed_in, section_cards[0], 4, uuid.uuid4())
        data = {"review_id": str(log.review_id), "section": KEY_TECH}
        response = client.post(UNDO, data, headers=HTMX)
        html = response.content.decode()
        assert response.status_code == 200
        assert response.context["card"] == section_cards[0]
        assert "新卡 <strong>3</strong>" in html
        assert "这张卡片重新出现" in html
        assert '<input type="hidden" name="section" value="104">' in html
        assert not ReviewLog.objects.exists()

    def test_undo_without_javascript_redirects_to_the_section(
        self, client, signed_in, section_cards
    ):
        log, _ = record_review(signed_in, section_cards[0], 4, uuid.uuid4())
        data = {"review_id": str(log.review_id), "section": KEY_TECH}
        response = client.post(UNDO, data)
        assert response.status_code == 302
        assert response["Location"].startswith(f"{PAGE}?mode=study&section=104&card=")

    def test_a_card_taken_back_from_another_section_is_not_served_here(
        self, client, signed_in, da_mo_xing, section_cards
    ):
        elsewhere = da_mo_xing.cards.filter(note=FUTURE).first()
        log, _ = record_review(signed_in, elsewhere, 4, uuid.uuid4())
        data = {"review_id": str(log.review_id), "section": KEY_TECH}
        response = client.post(UNDO, data, headers=HTMX)
        assert response.status_code == 200
        assert response.context["card"] == section_cards[0]
        assert "这张卡片重新出现" not in response.content.decode()

    def test_the_finished_state_says_the_section_is_done(self, client, signed_in, section_cards):
        for card in section_cards:
            rate(client, card, 4, section=KEY_TECH)
        html = client.get(PAGE, {"section": KEY_TECH}).content.decode()
        assert "本节卡片今天复习完了" in html
        assert 'href="?mode=browse&amp;section=104&amp;i=0">浏览本节卡片</a>' in html
        assert 'href="?mode=study">复习全部卡片</a>' in html

    def test_options_and_tabs_keep_the_section(self, client, signed_in):
        response = client.get(PAGE, {"section": KEY_TECH, "starred": "1"})
        html = response.content.decode()
        assert '<input type="hidden" name="section" value="104">' in html  # the options form
        assert 'href="?mode=browse&amp;section=104&amp;starred=1&amp;i=0"' in html
        assert f'name="next" value="{PAGE}?section=104&amp;starred=1"' not in html  # no card
        assert response.context["card"] is None  # nothing starred in the section

    def test_starred_and_section_together(self, client, signed_in, da_mo_xing, section_cards):
        Star.objects.create(user=signed_in, card=section_cards[1])
        Star.objects.create(user=signed_in, card=da_mo_xing.cards.filter(note=FUTURE).first())
        response = client.get(PAGE, {"section": KEY_TECH, "starred": "1"})
        assert response.context["card"] == section_cards[1]
        assert response.context["queue"].new == 1


class TestBrowse:
    def test_anonymous_visitors_browse_the_section(self, client, da_mo_xing, section_cards):
        response = client.get(PAGE, {"section": KEY_TECH})
        html = response.content.decode()
        assert response.status_code == 200
        assert response.context["options"]["mode"] == "browse"
        assert "第 1 张 / 共 3 张" in html
        assert "本节\uff1a" in html
        assert 'href="?mode=browse&amp;i=0">查看全部卡片</a>' in html
        last = client.get(PAGE, {"section": KEY_TECH, "i": 2}).context["card"]
        assert last == section_cards[2]
        assert (
            'href="?mode=browse&amp;section=104&amp;i=1"'
            in client.get(PAGE, {"section": KEY_TECH, "i": 2}).content.decode()
        )

    def test_an_empty_section_says_so(self, client, da_mo_xing):
        assert "这一节还没有卡片" in client.get(PAGE, {"section": 103}).content.decode()

    def test_the_star_form_returns_to_the_section(self, client, signed_in, section_cards):
        html = client.get(PAGE, {"section": KEY_TECH, "mode": "browse"}).content.decode()
        assert f'name="next" value="{PAGE}?section=104&amp;mode=browse"' in html


def other_sets_note():
    study_set = make_study_set(slug="other")
    note = make_note(study_set)
    make_card(study_set, note=note)
    return note.pk


BAD_SECTIONS = ["abc", "\uff11\uff10\uff14", "-104", "99999999999999999999", "999", "other"]


def bad(value: str) -> str:
    return str(other_sets_note()) if value == "other" else value


class TestBadSections:
    @pytest.mark.parametrize("value", BAD_SECTIONS)
    def test_the_page_refuses_in_chinese(self, client, signed_in, value):
        response = client.get(PAGE, {"section": bad(value)})
        assert response.status_code == 400
        assert "找不到这一节" in response.content.decode()

    @pytest.mark.parametrize("value", ["999", "other"])
    def test_anonymous_visitors_are_refused_too(self, client, da_mo_xing, value):
        assert client.get(PAGE, {"section": bad(value)}).status_code == 400

    @pytest.mark.parametrize("value", BAD_SECTIONS)
    def test_a_rating_changes_nothing(self, client, signed_in, section_cards, value):
        response = rate(client, section_cards[0], 3, section=bad(value))
        assert response.status_code == 400
        assert "找不到这一节" in response.content.decode()
        assert not ReviewLog.objects.exists()
        assert not CardState.objects.exists()

    @pytest.mark.parametrize("value", BAD_SECTIONS)
    def test_an_undo_changes_nothing(self, client, signed_in, section_cards, value):
        log, _ = record_review(signed_in, section_cards[0], 3, uuid.uuid4())
        data = {"review_id": str(log.review_id), "section": bad(value)}
        response = client.post(UNDO, data, headers=HTMX)
        assert response.status_code == 400
        assert "找不到这一节" in response.content.decode()
        assert ReviewLog.objects.get() == log
        assert CardState.objects.get().reps == 1


class TestQueryCounts:
    @pytest.fixture
    def big(self, client, learner):
        study_set = make_study_set(slug="big")
        notes = [make_note(study_set) for _ in range(2)]
        cards = [make_card(study_set, note=notes[n % 2]) for n in range(80)]
        Preferences.objects.create(user=learner, new_cards_per_day=200)
        client.force_login(learner)
        for card in cards[:40]:
            rate(client, card, 3)
            rate(client, card, 1)
        return notes[0], cards

    def test_the_page_is_pinned_as_without_the_section(
        self, client, big, django_assert_num_queries
    ):
        note, _cards = big
        # user, the set with the section, preferences, the queue's counts, its next card, the last rating
        with django_assert_num_queries(6):
            response = client.get("/sets/big/flashcards/", {"section": note.pk})
        assert response.context["queue"].left_today == 40  # 20 in learning, 20 new
        with django_assert_num_queries(6):
            client.get("/sets/big/flashcards/", {"section": note.pk}, headers=HTMX)

    def test_rating_a_card_seen_before(self, client, big, django_assert_num_queries):
        note, cards = big
        with django_assert_num_queries(8):
            response = rate(client, cards[0], 3, section=note.pk)
        assert response.status_code == 200
        assert response.context["queue"].left_today == 40  # 20 in learning, 20 new

    def test_rating_a_new_card(self, client, big, django_assert_num_queries):
        note, cards = big
        with django_assert_num_queries(9):
            response = rate(client, cards[50], 3, section=note.pk)
        assert response.status_code == 200
        assert CardState.objects.get(card=cards[50]).reps == 1


def test_the_queue_keeps_to_the_section(learner, da_mo_xing):
    queue = StudyQueue.build(learner, da_mo_xing, section=FUTURE)
    assert queue.new == 3
    assert queue.next_card.note_id == FUTURE
