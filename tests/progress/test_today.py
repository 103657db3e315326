"""今日学习 (/me/today/): one session of what is due across the learner's sets."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from flashcards.models import CardState, ReviewLog
from learners import scheduling
from learners.models import Preferences
from progress.today import option_token
from quizzes.models import Answer, Attempt, QuestionState
from tests.factories import make_card, make_question, make_study_set

pytestmark = pytest.mark.django_db
URL = "/me/today/"
HTMX = {"HX-Request": "true", "HX-Target": "today"}
NOW = "2026-11-20 20:00:00+08:00"  # 8 pm in Shanghai


@pytest.fixture(autouse=True)
def eight_pm():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def due_card(user, card, days_ago: float = 1) -> CardState:
    return CardState.objects.create(
        user=user,
        card=card,
        state=scheduling.REVIEW,
        stability=3.0,
        difficulty=5.0,
        due=timezone.now() - timedelta(days=days_ago),
        last_review=timezone.now() - timedelta(days=days_ago + 3),
    )


def due_question(user, question, *, when=None) -> QuestionState:
    """Memory of a question answered right `when` (default 10 days ago): due by now."""
    with time_machine.travel(when or timezone.now() - timedelta(days=10), tick=False):
        return QuestionState.remember(
            user,
            question.pk,
            correct=True,
            wrong_before=False,
            now=timezone.now(),
            desired_retention=0.9,
        )


def right_choice(question) -> str:
    return str(question.choices.get(is_correct=True).pk)


def wrong_choice(question) -> str:
    return str(question.choices.filter(is_correct=False).first().pk)


def shown_now() -> str:
    from django.core import signing

    from flashcards.forms import SHOWN_SALT

    return signing.dumps(timezone.now().timestamp(), salt=SHOWN_SALT)


def review(client, card, rating=3, review_id=None, **headers):
    return client.post(
        reverse("progress:today-review", args=[card.pk]),
        {"rating": rating, "review_id": review_id or uuid.uuid4(), "shown": shown_now()},
        headers=headers or None,
    )


def token(client, question, choice: str) -> str:
    """What the page sends for the option `choice` (an id) of `question`."""
    return option_token(int(client.session["_auth_user_id"]), question.pk, int(choice))


def answer(client, question, choice, **headers):
    return client.post(
        reverse("progress:today-answer", args=[question.pk]),
        {"choices": [token(client, question, choice)], "shown": shown_now()},
        headers=headers or None,
    )


@pytest.fixture
def study_set():
    return make_study_set()


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner)
    return client


class TestAccess:
    def test_anonymous_is_sent_to_login(self, client):
        response = client.get(URL)
        assert response.status_code == 302
        assert reverse("login") in response["Location"]

    def test_review_and_answer_are_post_only(self, signed_in, study_set):
        card, question = make_card(study_set), make_question(study_set)
        assert signed_in.get(reverse("progress:today-review", args=[card.pk])).status_code == 405
        assert (
            signed_in.get(reverse("progress:today-answer", args=[question.pk])).status_code == 405
        )


class TestOrder:
    def test_due_cards_then_due_questions_then_new_items(self, signed_in, learner, study_set):
        new_card = make_card(study_set, front="新卡片")
        card = make_card(study_set, front="到期卡片")
        question = make_question(study_set, prompt="到期的题？")
        due_question(learner, question)
        due_card(learner, card)
        page = signed_in.get(URL)
        assert page.context["card"] == card
        review(signed_in, card)
        page = signed_in.get(URL)
        assert page.context["question"] == question
        answer(signed_in, question, right_choice(question))
        QuestionState.objects.filter(user=learner).update(due=timezone.now() + timedelta(days=3))
        page = signed_in.get(URL)
        assert page.context["card"] == new_card

    def test_a_whole_page_focuses_the_first_option_a_fragment_leaves_it_to_the_script(
        self, signed_in, learner, study_set
    ):
        question = make_question(study_set, prompt="到期的题？")
        due_question(learner, question)
        for headers, autofocus in (({}, 1), (HTMX, 0)):
            html = signed_in.get(URL, headers=headers).content.decode()
            assert html.count("data-autofocus autofocus") == autofocus
            assert html.count("data-autofocus") == 1

    def test_most_overdue_card_first(self, signed_in, learner, study_set):
        recent, overdue = make_card(study_set), make_card(study_set)
        due_card(learner, recent, days_ago=1)
        due_card(learner, overdue, days_ago=5)
        assert signed_in.get(URL).context["card"] == overdue

    def test_sets_of_other_learners_never_show(self, signed_in, learner, django_user_model):
        other = django_user_model.objects.create_user(username="lihua", password="x")
        private = make_study_set(owner=other, is_public=False)
        card = make_card(private)
        question = make_question(private)
        due_card(learner, card)
        due_question(learner, question)
        response = signed_in.get(URL)
        assert response.context.get("card") is None
        assert response.context.get("question") is None
        assert response.context["tally"].left == 0

    def test_other_learners_due_items_never_show(self, signed_in, study_set, django_user_model):
        other = django_user_model.objects.create_user(username="lihua", password="x")
        card = make_card(study_set)
        due_card(other, card)
        response = signed_in.get(URL)
        assert response.context["tally"].due_cards == 0
        assert response.context["tally"].new_cards == 1  # new to this learner


class TestQuota:
    def test_new_items_stop_at_the_daily_quota_shared_by_cards_and_questions(
        self,
        signed_in,
        learner,
        study_set,
    ):
        Preferences.objects.create(user=learner, new_cards_per_day=2)
        cards = [make_card(study_set) for _ in range(2)]
        question = make_question(study_set)
        review(signed_in, cards[0], rating=4)
        page = signed_in.get(URL)
        assert page.context["tally"].new_today == 1
        assert page.context["card"] == cards[1]
        review(signed_in, cards[1], rating=4)
        page = signed_in.get(URL)
        assert page.context.get("question") is None  # the quota is spent
        assert answer(signed_in, question, right_choice(question)).status_code == 409
        assert not Answer.objects.exists()

    def test_a_new_question_counts_once_it_is_answered(
        self,
        signed_in,
        learner,
        study_set,
    ):
        Preferences.objects.create(user=learner, new_cards_per_day=1)
        first, second = make_question(study_set), make_question(study_set)
        assert signed_in.get(URL).context["question"] == first
        assert answer(signed_in, first, right_choice(first)).status_code == 200
        assert signed_in.get(URL).context.get("question") is None
        assert answer(signed_in, second, right_choice(second)).status_code == 409


class TestReview:
    def test_rating_goes_through_record_review_once_per_review_id(
        self, signed_in, learner, study_set
    ):
        card = make_card(study_set)
        due_card(learner, card)
        review_id = uuid.uuid4()
        for _ in range(3):
            response = review(signed_in, card, review_id=review_id, **HTMX)
            assert response.status_code == 200
        assert ReviewLog.objects.filter(review_id=review_id).count() == 1
        assert CardState.objects.get(user=learner, card=card).reps == 1
        assert "已记录" in response.content.decode()

    def test_without_javascript_a_rating_redirects_to_the_next_item(
        self, signed_in, learner, study_set
    ):
        card = make_card(study_set)
        due_card(learner, card)
        response = review(signed_in, card)
        assert response.status_code == 302
        assert response["Location"] == URL

    def test_a_card_not_due_is_refused_and_nothing_changes(self, signed_in, learner, study_set):
        Preferences.objects.create(user=learner, new_cards_per_day=0)
        card = make_card(study_set)
        state = due_card(learner, card, days_ago=-3)  # due in three days
        response = review(signed_in, card)
        assert response.status_code == 409
        assert "不需要复习" in response.content.decode()
        assert not ReviewLog.objects.exists()
        state.refresh_from_db()
        assert state.reps == 0

    def test_a_card_done_in_another_tab_moves_this_tab_on(self, signed_in, learner, study_set):
        done, other = make_card(study_set, front="已学卡片"), make_card(study_set, front="下一张")
        due_card(learner, done)
        due_card(learner, other, days_ago=0.5)
        assert review(signed_in, done).status_code == 302  # the first tab (no JavaScript)
        reviews = ReviewLog.objects.count()
        response = review(signed_in, done, **HTMX)  # the second tab, still showing it
        assert response.status_code == 409
        assert response["HX-Retarget"] == "#today"
        assert response["HX-Reswap"] == "outerHTML"
        html = response.content.decode()
        assert html.lstrip().startswith('<div id="today"')
        assert "可能已在别的标签页学过\uff09\uff0c已换到下一项" in html
        assert "下一张" in html
        assert ReviewLog.objects.count() == reviews
        page = review(signed_in, done)  # without JavaScript: the whole page, with the next item
        assert page.status_code == 409
        assert "<!doctype html>" in page.content.decode()
        assert page.context["card"] == other

    def test_a_question_answered_in_another_tab_moves_this_tab_on(
        self, signed_in, learner, study_set, eight_pm
    ):
        question = make_question(study_set)
        due_question(learner, question)
        card = make_card(study_set, front="下一张")
        due_card(learner, card)
        CardState.objects.filter(card=card).update(due=timezone.now() + timedelta(days=3))
        assert answer(signed_in, question, right_choice(question)).status_code == 200
        CardState.objects.filter(card=card).update(due=timezone.now() - timedelta(days=1))
        eight_pm.shift(timedelta(seconds=5))  # the other tab showed it at another moment
        response = answer(signed_in, question, right_choice(question), **HTMX)
        assert response.status_code == 409
        assert response["HX-Retarget"] == "#today"
        assert "可能已在别的标签页答过" in response.content.decode()
        assert "下一张" in response.content.decode()
        assert Answer.objects.count() == 1

    def test_a_card_of_a_set_the_learner_cannot_see_is_404(
        self, signed_in, learner, django_user_model
    ):
        other = django_user_model.objects.create_user(username="lihua", password="x")
        card = make_card(make_study_set(owner=other, is_public=False))
        assert review(signed_in, card).status_code == 404
        assert not ReviewLog.objects.exists()

    def test_a_bad_rating_is_400_in_chinese(self, signed_in, learner, study_set):
        card = make_card(study_set)
        due_card(learner, card)
        response = signed_in.post(
            reverse("progress:today-review", args=[card.pk]),
            {"rating": 9, "review_id": uuid.uuid4()},
        )
        assert response.status_code == 400
        assert "评分无效" in response.content.decode()
        assert not ReviewLog.objects.exists()


class TestAnswer:
    def test_a_question_is_graded_and_stored_as_a_today_attempt(
        self, signed_in, learner, study_set
    ):
        question = make_question(study_set)
        due_question(learner, question)
        response = answer(signed_in, question, wrong_choice(question), **HTMX)
        assert response.status_code == 200
        html = response.content.decode()
        assert "错误" in html
        assert "下一题" in html
        stored = Answer.objects.get()
        assert stored.attempt.mode == Attempt.Mode.TODAY
        assert stored.attempt.status == Attempt.Status.FINISHED
        assert not stored.is_correct

    def test_a_today_answer_is_no_quiz_in_history_or_best_score(
        self, signed_in, learner, study_set
    ):
        question = make_question(study_set)
        due_question(learner, question)
        assert answer(signed_in, question, right_choice(question)).status_code == 200
        assert Attempt.objects.filter(mode=Attempt.Mode.TODAY).count() == 1
        me = signed_in.get("/me/")
        progress = me.context["dashboard"].sets[0]
        assert (progress.best, progress.attempts, progress.history) == (None, 0, [])
        home = signed_in.get("/")
        assert home.context["study_sets"][0].progress.best is None
        quiz = signed_in.get(f"/sets/{study_set.slug}/quiz/")
        assert list(quiz.context["history"]) == []

    def test_options_are_opaque_tokens_never_ids_and_only_this_learners_count(
        self, signed_in, learner, study_set, django_user_model
    ):
        question = make_question(study_set)
        due_question(learner, question)
        html = signed_in.get(URL).content.decode()
        sent = re.findall(r'name="choices" value="([^"]+)"', html)
        ids = {str(pk) for pk in question.choices.values_list("pk", flat=True)}
        assert len(sent) == len(ids)
        assert not ids & set(sent)
        right = str(question.choices.get(is_correct=True).pk)
        other = django_user_model.objects.create_user("bieren", password="另一个-pass-9")
        for choice in (right, option_token(other.pk, question.pk, int(right))):
            response = signed_in.post(
                reverse("progress:today-answer", args=[question.pk]),
                {"choices": [choice], "shown": shown_now()},
            )
            assert response.status_code == 400
        assert not Answer.objects.exists()
        assert answer(signed_in, question, right).status_code == 200
        assert Answer.objects.get().is_correct

    def test_the_option_order_holds_all_the_local_day(self, signed_in, learner, study_set):
        question = make_question(
            study_set, choices=tuple((f"选项{n}", n == 1) for n in range(1, 7))
        )
        due_question(learner, question)
        orders = set()
        for hour in ("00:01", "07:59", "08:01", "23:59"):  # 08:00 in Shanghai is UTC's midnight
            with time_machine.travel(f"2026-11-20 {hour}:00+08:00", tick=False):
                html = signed_in.get(URL).content.decode()
            orders.add(tuple(re.findall(r'class="option__text">([^<]+)<', html)))
        assert len(orders) == 1

    def test_an_open_quiz_on_the_same_set_is_left_alone(self, signed_in, learner, study_set):
        question = make_question(study_set)
        signed_in.post(f"/sets/{study_set.slug}/quiz/start/", {"mode": "all"})
        due_question(learner, question)
        assert answer(signed_in, question, right_choice(question)).status_code == 200
        assert Attempt.objects.in_progress().filter(mode=Attempt.Mode.ALL).count() == 1

    def test_a_question_not_due_is_refused_and_nothing_changes(self, signed_in, learner, study_set):
        Preferences.objects.create(user=learner, new_cards_per_day=0)
        question = make_question(study_set)
        due_question(learner, question, when=timezone.now())  # due in days
        response = answer(signed_in, question, right_choice(question))
        assert response.status_code == 409
        assert not Answer.objects.exists()

    def test_an_option_of_another_question_is_400(self, signed_in, learner, study_set):
        question, other = make_question(study_set), make_question(study_set)
        due_question(learner, question)
        response = answer(signed_in, question, right_choice(other))
        assert response.status_code == 400
        assert "选项无效" in response.content.decode()
        assert not Answer.objects.exists()

    def test_a_question_of_a_set_the_learner_cannot_see_is_404(
        self, signed_in, learner, django_user_model
    ):
        other = django_user_model.objects.create_user(username="lihua", password="x")
        question = make_question(make_study_set(owner=other, is_public=False))
        assert answer(signed_in, question, right_choice(question)).status_code == 404
        assert not Answer.objects.exists()

    def test_a_wrong_answer_comes_back_later_the_same_day(
        self, signed_in, learner, study_set, eight_pm
    ):
        question = make_question(study_set)
        due_question(learner, question)
        answer(signed_in, question, wrong_choice(question))
        assert signed_in.get(URL).context.get("question") is None  # not at once
        eight_pm.shift(timedelta(minutes=11))
        assert signed_in.get(URL).context["question"] == question
        after_wrong = QuestionState.objects.get(user=learner, question=question).memory
        assert answer(signed_in, question, right_choice(question)).status_code == 200
        assert Answer.objects.count() == 2
        # Right after wrong in the same session is 困难, not 良好.
        state = QuestionState.objects.get(user=learner, question=question)
        expected = {
            rating: scheduling.review(
                after_wrong, rating, timezone.now(), fuzz=False, steps=scheduling.QUESTION_STEPS
            )
            for rating in (scheduling.HARD, scheduling.GOOD)
        }
        assert state.difficulty == pytest.approx(expected[scheduling.HARD].difficulty)
        assert state.difficulty != pytest.approx(expected[scheduling.GOOD].difficulty)


class TestSummary:
    def test_empty_state_says_so_with_tomorrows_count(self, signed_in, learner, study_set):
        Preferences.objects.create(user=learner, new_cards_per_day=0)
        card = make_card(study_set)
        due_card(learner, card, days_ago=-0.5)  # 8 am tomorrow
        html = signed_in.get(URL).content.decode()
        assert "今天没有要复习的内容" in html
        assert "明天到期\uff1a1 张卡片\uff0c0 道题" in html
        assert 'href="/"' in html

    def test_summary_counts_what_was_done_and_how_long(
        self, signed_in, learner, study_set, eight_pm
    ):
        Preferences.objects.create(user=learner, new_cards_per_day=0)
        card, question = make_card(study_set), make_question(study_set)
        due_card(learner, card)
        due_question(learner, question)
        shown = shown_now()
        eight_pm.shift(timedelta(minutes=2))
        signed_in.post(
            reverse("progress:today-review", args=[card.pk]),
            {"rating": 3, "review_id": uuid.uuid4(), "shown": shown},
        )
        shown = shown_now()
        eight_pm.shift(timedelta(minutes=1))
        signed_in.post(
            reverse("progress:today-answer", args=[question.pk]),
            {"choices": [token(signed_in, question, right_choice(question))], "shown": shown},
        )
        tally = signed_in.get(URL + "?end=1").context["tally"]
        assert (tally.cards_reviewed, tally.questions_answered, tally.minutes) == (1, 1, 3)

    def test_end_shows_the_summary_and_keeps_whats_left(self, signed_in, learner, study_set):
        card = make_card(study_set)
        due_card(learner, card)
        html = signed_in.get(URL + "?end=1").content.decode()
        assert "今天先到这里" in html
        assert "继续学习" in html
        assert CardState.objects.get(card=card).reps == 0


class TestQueries:
    def test_page_and_fragment_stay_flat(self, signed_in, learner, django_assert_num_queries):
        def add(n):
            for _ in range(n):
                study_set = make_study_set()
                for _ in range(3):
                    due_card(learner, make_card(study_set))
                    due_question(learner, make_question(study_set))
                    make_card(study_set)
                    make_question(study_set)

        add(2)
        signed_in.get(URL)
        # the user, preferences, every count in one query, the card with its memory
        with django_assert_num_queries(4):
            signed_in.get(URL)
        add(6)
        with django_assert_num_queries(4):
            signed_in.get(URL, headers=HTMX)
        QuestionState.objects.all().delete()
        CardState.objects.all().delete()
        Preferences.objects.create(user=learner, new_cards_per_day=0)
        due_question(learner, make_question(make_study_set()))
        with django_assert_num_queries(5):  # a question, then its choices
            response = signed_in.get(URL)
        assert response.context["question"]
        with django_assert_num_queries(3):  # nothing left: the summary
            response = signed_in.get(URL + "?end=1", headers=HTMX)
        assert "今天先到这里" in response.content.decode()

    def test_a_rating_and_an_answer_are_a_fixed_number_of_queries(
        self, signed_in, learner, django_assert_num_queries
    ):
        study_set = make_study_set()
        for _ in range(4):
            due_card(learner, make_card(study_set))
            due_question(learner, make_question(study_set))
        card = CardState.objects.first().card
        # user, preferences, the card; under the learner's lock (+ savepoints): the
        # lock, the replay check, the counts, due?, the memory and the log; then the
        # next item's counts and the next card
        with django_assert_num_queries(15):
            review(signed_in, card, **HTMX)
        question = QuestionState.objects.first().question
        choice = right_choice(question)
        # user, preferences, the question, its choices; under the learner's lock
        # (+ savepoints): the lock, the replay check, the counts, due?, then the
        # quiz's one answer path (a one-question attempt, its memory)
        with django_assert_num_queries(22):
            answer(signed_in, question, choice, **HTMX)


class TestHomeButton:
    def test_learner_sees_how_many_items_are_due(self, signed_in, learner, study_set):
        due_card(learner, make_card(study_set))
        due_question(learner, make_question(study_set))
        html = signed_in.get("/").content.decode()
        assert 'href="/me/today/"' in html
        assert "2 项到期" in html

    def test_anonymous_visitors_see_no_button(self, client, study_set):
        assert 'href="/me/today/"' not in client.get("/").content.decode()
