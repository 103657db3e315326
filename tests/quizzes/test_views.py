"""The quiz through its URLs: pages, fragments, replay, tampering, leaks."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from learners.models import Preferences
from quizzes.models import Answer, Attempt, Choice, Question
from tests.factories import make_question, make_study_set
from tests.interchange.test_admin import question_post
from tests.quizzes.helpers import (
    HTMX_ANSWER,
    HTMX_NEXT,
    answer,
    answer_url,
    current,
    right_tokens,
    start,
    wrong_tokens,
)

pytestmark = pytest.mark.django_db
QUIZ = "/sets/da-mo-xing/quiz/"


def take_all(client, attempt, wrong_positions=()):
    for item in attempt.item_list:
        response = answer(client, attempt, item, right=item.position not in wrong_positions)
        assert response.status_code == 200


class TestStartScreen:
    def test_shows_the_count_and_a_start_button_and_stores_nothing(self, client, da_mo_xing):
        response = client.get(QUIZ)
        assert response.status_code == 200
        html = response.content.decode()
        assert "共 16 道题" in html
        assert "开始答题" in html
        assert not Attempt.objects.exists()

    def test_anonymous_visitors_are_invited_to_sign_up(self, client, da_mo_xing, learner):
        # The nav's 注册 is on every page: look for the invite's own link, which returns here.
        invite = f'<a href="{reverse("signup")}?next={QUIZ}">注册</a>'
        assert invite in client.get(QUIZ).content.decode()
        client.force_login(learner)
        assert invite not in client.get(QUIZ).content.decode()

    def test_unknown_set_is_404(self, client):
        assert client.get("/sets/nope/quiz/").status_code == 404

    def test_start_creates_an_attempt_with_every_question_once(self, client, da_mo_xing):
        response = start(client)
        assert response.status_code == 302
        attempt = current()
        assert attempt.question_count == 16
        assert sorted(item.question_id for item in attempt.item_list) == sorted(
            da_mo_xing.questions.values_list("pk", flat=True)
        )

    def test_bad_mode_is_a_clear_400(self, client, da_mo_xing):
        response = start(client, mode="everything")
        assert response.status_code == 400
        assert "未知的练习类型" in response.content.decode()
        assert not Attempt.objects.exists()

    def test_restart_abandons_the_attempt_in_progress(self, client, da_mo_xing):
        start(client)
        first = current()
        start(client)
        first.refresh_from_db()
        assert first.status == Attempt.Status.ABANDONED
        assert current().pk != first.pk


class TestQuestionPage:
    def test_shows_one_question_with_progress(self, client, da_mo_xing):
        start(client)
        html = client.get(QUIZ).content.decode()
        assert "第 1 题 / 共 16 题" in html
        assert "提交" in html
        assert current().item_list[0].prompt in html

    def test_htmx_next_gets_only_the_question_card(self, client, da_mo_xing):
        start(client)
        response = client.get(QUIZ, headers=HTMX_NEXT)
        html = response.content.decode()
        assert html.lstrip().startswith('<section id="quiz"')
        assert "<html" not in html

    def test_progress_advances_after_an_answer(self, client, da_mo_xing):
        start(client)
        attempt = current()
        answer(client, attempt, attempt.item_list[0])
        assert "第 2 题 / 共 16 题" in client.get(QUIZ).content.decode()


class TestNoAnswerLeaks:
    """Before answering, nothing tells the right option from the others."""

    @staticmethod
    def option_labels(html: str) -> list[str]:
        return re.findall(r'<label class="option[^"]*">.*?</label>', html, flags=re.S)

    def test_every_question_of_the_fixture(self, client, da_mo_xing):
        start(client)
        attempt = current()
        choice_pks = {str(pk) for pk in Choice.objects.values_list("pk", flat=True)}
        for item in attempt.item_list:
            page = client.get(QUIZ).content.decode()
            fragment = client.get(QUIZ, headers=HTMX_NEXT).content.decode()
            for html in (page, fragment):
                assert item.prompt in html
                labels = self.option_labels(html)
                if item.is_fill_blank:  # typed: its accepted answers are never on the page
                    assert not labels
                    assert not any(option.text in html for option in item.options)
                else:
                    assert len(labels) == len(item.options)
                # With text and token blanked out, every option is the same markup.
                shapes = set()
                for label, option in zip(labels, item.options if labels else [], strict=True):
                    shape = label.replace(option.text, "TEXT").replace(
                        attempt.option_token(option.id), "TOKEN"
                    )
                    shape = re.sub(r'option__key" aria-hidden="true">\d', "KEY", shape)
                    # Focus starts on the first option whatever it is: by place, not by answer.
                    shape = re.sub(r"\s*(data-autofocus|autofocus)", "", shape)
                    shapes.add(re.sub(r"\s+", "", shape))
                assert len(shapes) == (1 if labels else 0), shapes
                values = re.findall(r'name="choices" value="([^"]+)"', html)
                assert not set(values) & choice_pks
                assert item.explanation not in html
                assert "正确答案" not in html
                assert "你选对了" not in html
            answer(client, attempt, item)

    def test_options_are_shuffled_per_attempt_and_the_order_is_stored(self, client, da_mo_xing):
        positions = set()
        for _ in range(12):
            start(client)
            attempt = current()
            item = next(i for i in attempt.item_list if i.question_id == 201)
            positions.add(next(n for n, o in enumerate(item.options) if o.correct))
            attempt.refresh_from_db()
            assert [o.id for o in attempt.item_for(201).options] == [o.id for o in item.options]
        assert len(positions) > 1

    def test_tokens_differ_between_attempts(self, client, da_mo_xing):
        start(client)
        first = current()
        start(client)
        second = current()
        assert first.option_token(3001) != second.option_token(3001)


class TestAnswering:
    def test_right_answer_is_a_200_fragment_saying_correct(self, client, da_mo_xing):
        start(client)
        attempt = current()
        item = attempt.item_list[0]
        response = answer(client, attempt, item)
        assert response.status_code == 200
        html = response.content.decode()
        assert "✓ 正确" in html
        assert "下一题" in html
        assert item.note_title in html
        assert 'hx-swap-oob="true"' in html  # the options, now marked and disabled
        assert "<html" not in html

    def test_wrong_answer_is_a_200_showing_the_right_one(self, client, da_mo_xing):
        start(client)
        attempt = current()
        item = attempt.item_list[0]
        response = answer(client, attempt, item, right=False)
        assert response.status_code == 200
        html = response.content.decode()
        assert "✗ 错误" in html
        assert "正确答案\uff1a" in html
        assert "你选错了" in html

    def test_without_javascript_the_post_returns_the_whole_page(self, client, da_mo_xing):
        start(client)
        attempt = current()
        response = answer(client, attempt, attempt.item_list[0], headers={})
        html = response.content.decode()
        assert response.status_code == 200
        assert "<html" in html
        assert "✓ 正确" in html
        assert 'role="status"' in html

    def test_multiple_choice_shows_partial_correctness(self, client, da_mo_xing):
        start(client)
        attempt = current()
        item = next(i for i in attempt.item_list if i.is_multiple)
        tokens = right_tokens(attempt, item)[:1] + wrong_tokens(attempt, item)[:1]
        html = client.post(answer_url(attempt, item), {"choices": tokens}, headers=HTMX_ANSWER)
        html = html.content.decode()
        assert "✗ 错误" in html
        assert "你选对了" in html
        assert "你选错了" in html
        assert "漏选的正确选项" in html

    def test_replayed_answer_is_stored_once_with_the_same_verdict(self, client, da_mo_xing):
        start(client)
        attempt = current()
        item = attempt.item_list[0]
        url = answer_url(attempt, item)
        for _ in range(3):
            response = client.post(
                url, {"choices": right_tokens(attempt, item)}, headers=HTMX_ANSWER
            )
            assert response.status_code == 200
            assert "✓ 正确" in response.content.decode()
        changed_mind = client.post(
            url, {"choices": wrong_tokens(attempt, item)[:1]}, headers=HTMX_ANSWER
        )
        assert "✓ 正确" in changed_mind.content.decode()
        assert attempt.answers.count() == 1

    def test_last_answer_finishes_the_attempt_with_its_score(self, client, da_mo_xing):
        start(client)
        attempt = current()
        take_all(client, attempt, wrong_positions={0, 3})
        attempt.refresh_from_db()
        assert attempt.status == Attempt.Status.FINISHED
        assert (attempt.correct_count, attempt.question_count) == (14, 16)
        assert attempt.finished_at is not None


class TestTampering:
    """Bad input gets a clear 4xx and changes nothing."""

    @pytest.fixture
    def attempt(self, client, da_mo_xing):
        start(client)
        return current()

    def assert_refused(self, response, status, message):
        assert response.status_code == status
        assert message in response.content.decode()
        assert not Answer.objects.exists()

    def test_option_from_another_question(self, client, attempt):
        first, second = attempt.item_list[:2]
        response = client.post(
            answer_url(attempt, first),
            {"choices": right_tokens(attempt, second)},
            headers=HTMX_ANSWER,
        )
        self.assert_refused(response, 400, "它不属于这道题")

    @pytest.mark.parametrize("value", ["garbage", "3001", "", "' OR 1=1 --", "一二三"])
    def test_garbled_value(self, client, attempt, value):
        item = attempt.item_list[0]
        response = client.post(answer_url(attempt, item), {"choices": [value]}, headers=HTMX_ANSWER)
        assert response.status_code == 400
        assert not Answer.objects.exists()

    def test_nothing_chosen(self, client, attempt):
        response = client.post(answer_url(attempt, attempt.item_list[0]), {}, headers=HTMX_ANSWER)
        self.assert_refused(response, 400, "请先选择一个选项")

    def test_two_options_for_a_single_choice_question(self, client, attempt):
        item = next(i for i in attempt.item_list if i.kind == "single")
        tokens = [attempt.option_token(o.id) for o in item.options[:2]]
        response = client.post(answer_url(attempt, item), {"choices": tokens}, headers=HTMX_ANSWER)
        self.assert_refused(response, 400, "只能选一个")

    def test_question_outside_the_attempt(self, client, attempt):
        other = make_question(make_study_set())
        url = reverse("quizzes:answer", args=["da-mo-xing", attempt.pk, other.pk])
        response = client.post(url, {"choices": ["x"]}, headers=HTMX_ANSWER)
        assert response.status_code == 404
        assert not Answer.objects.exists()

    def test_answer_after_the_attempt_ended(self, client, attempt):
        item = attempt.item_list[0]
        start(client)  # abandons `attempt`
        response = client.post(
            answer_url(attempt, item), {"choices": right_tokens(attempt, item)}, headers=HTMX_ANSWER
        )
        self.assert_refused(response, 409, "这次测验已经结束")

    def test_someone_elses_attempt_is_404(self, client, da_mo_xing, learner, django_user_model):
        client.force_login(learner)
        start(client)
        attempt = current()
        item = attempt.item_list[0]
        client.logout()
        client.force_login(django_user_model.objects.create_user("other", password="x-pass-1234"))
        response = client.post(
            answer_url(attempt, item), {"choices": right_tokens(attempt, item)}, headers=HTMX_ANSWER
        )
        assert response.status_code == 404
        assert not Answer.objects.exists()

    def test_get_is_refused(self, client, attempt):
        assert client.get(answer_url(attempt, attempt.item_list[0])).status_code == 405

    def test_refusal_without_htmx_is_a_page(self, client, attempt):
        response = client.post(answer_url(attempt, attempt.item_list[0]), {})
        assert response.status_code == 400
        assert "<html" in response.content.decode()


class TestFillInBlank:
    def test_accepts_folded_width_case_and_space(self, client):
        study_set = make_study_set(slug="blank")
        make_question(
            study_set,
            kind="fill_blank",
            prompt="模型压缩的方法之一:____",
            choices=(("GPT-3", True),),
        )
        start(client, slug="blank")
        attempt = current("blank")
        item = attempt.item_list[0]
        html = client.get("/sets/blank/quiz/").content.decode()
        assert 'name="response"' in html
        assert "GPT-3" not in html
        response = client.post(
            answer_url(attempt, item), {"response": " ｇｐｔ－３ "}, headers=HTMX_ANSWER
        )
        assert "✓ 正确" in response.content.decode()

    def test_choices_are_refused_for_a_blank(self, client):
        study_set = make_study_set(slug="blank2")
        make_question(study_set, kind="fill_blank", choices=(("量化", True),))
        start(client, slug="blank2")
        attempt = current("blank2")
        response = client.post(
            answer_url(attempt, attempt.item_list[0]), {"choices": ["x"]}, headers=HTMX_ANSWER
        )
        assert response.status_code == 400


class TestResults:
    def test_score_time_and_every_question(self, client, da_mo_xing):
        with time_machine.travel("2026-11-01 10:00:00+08:00", tick=False) as traveller:
            start(client)
            attempt = current()
            traveller.shift(timedelta(minutes=3, seconds=20))
            take_all(client, attempt, wrong_positions={1})
            response = client.get(reverse("quizzes:results", args=["da-mo-xing", attempt.pk]))
        html = response.content.decode()
        assert response.status_code == 200
        assert "15 / 16" in html
        assert "3 分 20 秒" in html
        for item in attempt.item_list:
            assert item.prompt in html
        assert "只练错题\uff081 题\uff09" in html

    def test_retry_missed_makes_an_attempt_of_only_those(self, client, da_mo_xing):
        start(client)
        attempt = current()
        take_all(client, attempt, wrong_positions={2, 5})
        missed = {attempt.item_list[2].question_id, attempt.item_list[5].question_id}
        response = start(client, mode="retry", source=attempt.pk)
        assert response.status_code == 302
        retry = current()
        assert {item.question_id for item in retry.item_list} == missed
        assert retry.source == attempt
        assert retry.mode == "retry"

    def test_retry_of_someone_elses_attempt_is_404(
        self, client, da_mo_xing, learner, django_user_model
    ):
        client.force_login(learner)
        start(client)
        attempt = current()
        take_all(client, attempt, wrong_positions={0})
        client.logout()
        client.force_login(django_user_model.objects.create_user("other", password="x-pass-1234"))
        assert start(client, mode="retry", source=attempt.pk).status_code == 404

    def test_results_of_an_unfinished_attempt_go_back_to_the_quiz(self, client, da_mo_xing):
        start(client)
        response = client.get(reverse("quizzes:results", args=["da-mo-xing", current().pk]))
        assert response.status_code == 302

    def test_results_of_an_abandoned_attempt_go_back_to_the_quiz(self, client, da_mo_xing):
        # 放弃本次 never counts as finished: its URL showed a results page
        # (0 / 16, no time) with every right answer and explanation.
        start(client)
        attempt = current()
        client.post(DISCARD)
        response = client.get(reverse("quizzes:results", args=["da-mo-xing", attempt.pk]))
        assert response.status_code == 302
        assert response["Location"] == QUIZ

    def test_history_lists_finished_attempts(self, client, da_mo_xing):
        for _ in range(2):
            start(client)
            take_all(client, current())
        html = client.get(QUIZ).content.decode()
        assert html.count("16 / 16\uff08100%\uff09") == 2

    def test_editing_a_question_never_changes_stored_results(self, client, da_mo_xing):
        start(client)
        attempt = current()
        take_all(client, attempt)
        question = Question.objects.get(pk=attempt.item_list[0].question_id)
        original_prompt = question.prompt
        question.prompt = "改过的题干"
        question.save()
        question.choices.update(is_correct=False)
        url = reverse("quizzes:results", args=["da-mo-xing", attempt.pk])
        html = client.get(url).content.decode()
        assert original_prompt in html
        assert "改过的题干" not in html
        assert "16 / 16" in html
        assert "✗ 错误" not in html


class TestAnonymousHandOver:
    def test_signing_up_keeps_the_attempt(self, client, da_mo_xing, django_user_model):
        start(client)
        attempt = current()
        take_all(client, attempt)
        client.post(
            reverse("signup"),
            {
                "username": "newbie",
                "password1": "长城-Great-wall-9",
                "password2": "长城-Great-wall-9",
            },
        )
        attempt.refresh_from_db()
        assert attempt.user == django_user_model.objects.get(username="newbie")
        assert (
            client.get(reverse("quizzes:results", args=["da-mo-xing", attempt.pk])).status_code
            == 200
        )

    def test_logging_in_mid_quiz_continues_it(self, client, da_mo_xing, learner):
        start(client)
        attempt = current()
        answer(client, attempt, attempt.item_list[0])
        client.post("/accounts/login/", {"username": "xiaoming", "password": "s3cret-pass-学习"})
        attempt.refresh_from_db()
        assert attempt.user == learner
        assert "第 2 题 / 共 16 题" in client.get(QUIZ).content.decode()

    def test_another_browser_cannot_see_an_anonymous_attempt(self, client, da_mo_xing):
        from django.test import Client

        start(client)
        attempt = current()
        stranger = Client()
        item = attempt.item_list[0]
        response = stranger.post(
            answer_url(attempt, item), {"choices": right_tokens(attempt, item)}
        )
        assert response.status_code == 404


class TestQueryCounts:
    def test_quiz_page_and_answer_do_not_grow(self, client, learner, django_assert_num_queries):
        study_set = make_study_set(slug="big")
        for _ in range(60):
            make_question(study_set, choices=(("对", True), ("错", False), ("也错", False)))
        client.force_login(learner)
        for _ in range(3):  # history: finished attempts
            start(client, slug="big")
            attempt = current("big")
            take_all(client, attempt)
        start(client, slug="big")
        attempt = current("big")
        for item in attempt.item_list[:30]:
            answer(client, attempt, item)
        # user, attempt with its set, answered positions, the one item shown
        with django_assert_num_queries(4):
            client.get("/sets/big/quiz/")
        with django_assert_num_queries(4):
            client.get("/sets/big/quiz/", headers=HTMX_NEXT)
        item = attempt.item_list[30]
        # user, attempt with its set, stored answer (none); then lock, read, insert,
        # the question's memory (read, write), update (11 before the tally folded
        # into the update, 9 before questions had memory)
        with django_assert_num_queries(11):
            answer(client, attempt, item)
        with django_assert_num_queries(3):  # a replay: user, attempt with its set, stored answer
            answer(client, attempt, item)
        finished = Attempt.objects.finished().first()
        client.get(reverse("quizzes:results", args=["big", finished.pk]))  # sections cached
        with django_assert_num_queries(5):  # 4 + the learner's mastery per section
            client.get(reverse("quizzes:results", args=["big", finished.pk]))


class TestStartOptions:
    """题数 and 顺序 on the start screen: defaults from the learner's preferences, stored."""

    def test_start_screen_offers_lengths_and_orders_defaulting_to_preferences(
        self, client, da_mo_xing, learner
    ):
        html = client.get(QUIZ).content.decode()
        assert '<option value="all" selected>全部\uff0816 题\uff09</option>' in html
        assert '<option value="10" >10 题</option>' in html
        assert '<option value="20"' not in html  # longer than the set
        assert 'name="order" value="set" checked' in html
        Preferences.objects.create(user=learner, quiz_length=12, quiz_order="random")
        client.force_login(learner)
        html = client.get(QUIZ).content.decode()
        assert '<option value="12" selected>12 题</option>' in html
        assert 'name="order" value="random" checked' in html

    def test_chosen_length_and_order_are_used_and_stored(self, client, da_mo_xing, learner):
        client.force_login(learner)
        assert start(client, length="5", order="random").status_code == 302
        assert current().question_count == 5
        prefs = Preferences.objects.get(user=learner)
        assert (prefs.quiz_length, prefs.quiz_order) == (5, "random")
        # 再做一遍 sends neither: the stored choice holds.
        start(client)
        assert current().question_count == 5
        start(client, length="all", order="set")
        attempt = current()
        assert attempt.question_count == 16
        in_set_order = list(
            da_mo_xing.questions.order_by("position", "pk").values_list("pk", flat=True)
        )
        assert [item.question_id for item in attempt.item_list] == in_set_order
        prefs.refresh_from_db()
        assert (prefs.quiz_length, prefs.quiz_order) == (None, "set")

    def test_anonymous_choice_is_used_and_nothing_is_stored(self, client, da_mo_xing):
        assert start(client, length="3").status_code == 302
        assert current().question_count == 3
        assert not Preferences.objects.exists()

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"length": "0"}, "题数无效"),
            ({"length": "201"}, "题数无效"),
            ({"length": "十"}, "题数无效"),
            ({"length": "-3"}, "题数无效"),
            # str.isdigit() takes these, int() does not: a 500 before.
            ({"length": "\u00b2"}, "题数无效"),  # ²
            ({"length": "\u2460"}, "题数无效"),  # ①
            # Full-width and Arabic-Indic digits are digits to int(): still not a length.
            ({"length": "\uff15"}, "题数无效"),  # ５
            ({"length": "\u0663"}, "题数无效"),  # ٣
            ({"order": "backwards"}, "题目顺序无效"),
        ],
    )
    def test_bad_length_or_order_is_a_clear_400_and_changes_nothing(
        self, client, da_mo_xing, learner, data, message
    ):
        Preferences.objects.create(user=learner, quiz_length=12, quiz_order="random")
        client.force_login(learner)
        response = start(client, **data)
        assert response.status_code == 400
        html = response.content.decode()
        assert message in html
        assert "* length" not in html  # a sentence, not Django's field dump
        assert "* order" not in html
        assert not Attempt.objects.exists()
        prefs = Preferences.objects.get(user=learner)
        assert (prefs.quiz_length, prefs.quiz_order) == (12, "random")

    def test_start_queries_are_pinned(self, client, da_mo_xing, learner, django_assert_num_queries):
        client.force_login(learner)
        # user, set, preferences, questions (notes joined), choices, save preferences,
        # then close the open attempt and create one (savepoint, update, insert, release)
        with django_assert_num_queries(10):
            start(client, length="5", order="set")
        with django_assert_num_queries(9):  # preferences unchanged: not saved again
            start(client)
        with django_assert_num_queries(4):
            client.get(QUIZ, headers={"HX-Request": "true"})
        with django_assert_num_queries(4):
            client.get(DISCARD, headers=HTMX_RESTART)
        with django_assert_num_queries(3):  # user, attempt with its set, abandon
            client.post(DISCARD)
        with django_assert_num_queries(6):  # start screen: user, attempt (none), set, count,
            # preferences, history
            client.get(QUIZ)


DISCARD = "/sets/da-mo-xing/quiz/discard/"
HTMX_RESTART = {"HX-Request": "true", "HX-Target": "quiz-restart"}


class TestDiscard:
    """放弃本次，重新开始 asks first, with or without JavaScript."""

    def test_the_quiz_page_links_to_the_question_not_to_a_discarding_post(self, client, da_mo_xing):
        start(client)
        html = client.get(QUIZ).content.decode()
        assert f'<a href="{DISCARD}"' in html
        assert 'hx-target="#quiz-restart"' in html

    def test_get_asks_on_a_page_and_changes_nothing(self, client, da_mo_xing):
        start(client)
        attempt = current()
        answer(client, attempt, attempt.item_list[0])
        response = client.get(DISCARD)
        html = response.content.decode()
        assert response.status_code == 200
        assert "<html" in html
        assert "放弃本次答题\uff1f" in html
        assert "已答的 1 题不计成绩" in html
        assert f'action="{DISCARD}"' in html
        assert attempt.item_list[1].prompt in html  # the question stays in view
        # The least destructive choice has focus; the question's option does not take it.
        assert re.search(r'<a class="button" href="/sets/da-mo-xing/quiz/"[^>]*autofocus', html)
        assert len(re.findall(r"\sautofocus[\s>]", html)) == 1
        attempt.refresh_from_db()
        assert attempt.is_open

    def test_htmx_get_is_only_the_question_fragment(self, client, da_mo_xing):
        start(client)
        response = client.get(DISCARD, headers=HTMX_RESTART)
        html = response.content.decode()
        assert response.status_code == 200
        assert "<html" not in html
        assert html.strip().startswith('<section id="quiz-restart"')
        assert "继续答题" in html
        assert current().is_open

    def test_keep_going_swaps_back_the_link_focused(self, client, da_mo_xing):
        start(client)
        html = client.get(QUIZ, headers=HTMX_RESTART).content.decode()
        assert html.strip().startswith('<p id="quiz-restart"')
        assert "data-autofocus" in html
        assert "放弃本次\uff0c重新开始" in html

    @pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}])
    def test_post_abandons_and_goes_to_the_start_screen(self, client, da_mo_xing, headers):
        start(client)
        attempt = current()
        response = client.post(DISCARD, headers=headers)
        assert response.status_code == 302
        assert response["Location"] == QUIZ
        attempt.refresh_from_db()
        assert attempt.status == "abandoned"
        assert "开始答题" in client.get(QUIZ).content.decode()
        assert not Attempt.objects.finished().exists()

    def test_nothing_to_discard_goes_back_and_changes_nothing(self, client, da_mo_xing):
        start(client)
        take_all(client, current())
        assert client.post(DISCARD).status_code == 302
        assert client.get(DISCARD).status_code == 302
        assert Attempt.objects.finished().count() == 1

    def test_someone_elses_attempt_is_left_alone(self, client, da_mo_xing, learner):
        client.force_login(learner)
        start(client)
        client.logout()
        client.post(DISCARD)
        assert current().is_open

    def test_other_methods_are_refused(self, client, da_mo_xing):
        assert client.put(DISCARD).status_code == 405


class TestProgressOnVerdict:
    def test_the_answer_fragment_moves_the_progress_bar(self, client, da_mo_xing):
        start(client)
        attempt = current()
        html = answer(client, attempt, attempt.item_list[0]).content.decode()
        assert re.search(r'<div id="quiz-progress" class="quiz-progress" hx-swap-oob="true">', html)
        assert 'value="1" aria-label="已答 1 题"' in html

    def test_the_new_question_focuses_its_first_option(self, client, da_mo_xing):
        start(client)
        attempt = current()
        item = next(i for i in attempt.item_list if not i.is_fill_blank)
        while current().item_list[len(current().answers.all())] != item:
            answer(client, attempt, attempt.item_list[len(current().answers.all())])
        html = client.get(QUIZ, headers=HTMX_NEXT).content.decode()
        first = attempt.option_token(item.options[0].id)
        assert re.search(rf'value="{first}"\s+data-autofocus>', html)
        assert html.count("data-autofocus") == 1
        assert "{#" not in html
        assert "{% comment" not in html
        assert 'aria-labelledby="question-title"' in html
        # A full page load focuses it with autofocus, as no swap happens.
        page = client.get(QUIZ).content.decode()
        assert re.search(rf'value="{first}"\s+data-autofocus autofocus>', page)


class TestResultsBreakdown:
    def results(self, client, wrong_positions):
        start(client, length="all", order="set")
        attempt = current()
        take_all(client, attempt, wrong_positions=wrong_positions)
        url = reverse("quizzes:results", args=["da-mo-xing", attempt.pk])
        return attempt, client.get(url).content.decode()

    def test_sections_weakest_first_each_linking_to_its_notes(self, client, da_mo_xing):
        # In set order: position 1, 2 are 关键技术 (4 questions); 3 is 应用领域 (2).
        attempt, html = self.results(client, wrong_positions={1, 2, 3})
        rows = re.findall(
            r'<span class="section-score__title">\s*<a href="([^"]+)">([^<]+)</a>.*?答对 (\d+) / (\d+)',
            html,
            flags=re.S,
        )
        titles = [title for _, title, _, _ in rows]
        assert titles[:2] == ["关键技术", "应用领域"]
        assert rows[0][2:] == ("2", "4")
        assert rows[1][2:] == ("1", "2")
        assert {(right, total) for _, _, right, total in rows[2:]} <= {
            ("1", "1"),
            ("2", "2"),
            ("3", "3"),
        }
        notes = {item.note_title: item.note_url for item in attempt.item_list}
        assert all(url == notes[title] for url, title, _, _ in rows)
        assert sum(int(total) for *_, total in rows) == 16

    def test_wrong_answers_open_and_marked_right_ones_folded(self, client, da_mo_xing):
        _, html = self.results(client, wrong_positions={0})
        details = re.findall(r"<details class=\"review__item ([^\"]+)\"\s*(open)?>", html)
        assert len(details) == 16
        assert details[0] == ("review__item--wrong", "open")
        assert all(d == ("review__item--right", "") for d in details[1:])
        assert "✗ 错误" in html
        assert "✓ 正确" in html
        assert re.search(r'class="chip chip--wrong">✗ ', html)

    def test_one_primary_action(self, client, da_mo_xing):
        _, html = self.results(client, wrong_positions={0})
        assert '<button class="button" type="submit">只练错题' in html
        assert '<button class="button button--secondary" type="submit">再做一遍全部题目' in html
        _, html = self.results(client, wrong_positions=())
        assert "只练错题" not in html
        assert '<button class="button" type="submit">再做一遍全部题目' in html


class TestCachedCard:
    """The question card's options are cached per attempt item: never another
    attempt's, never a stale answer state, and a staff edit shows where it always did."""

    @pytest.fixture
    def one_question(self):
        study_set = make_study_set(slug="one", is_public=True)
        return make_question(study_set, choices=(("自注意力", True), ("卷积", False)))

    def test_a_staff_edit_shows_in_the_next_attempt_and_never_in_the_open_one(
        self, client, one_question, admin_user
    ):
        start(client, slug="one")
        assert "卷积" in client.get("/sets/one/quiz/").content.decode()  # the card is cached
        staff = Client()
        staff.force_login(admin_user)
        url = reverse("admin:quizzes_question_change", args=[one_question.pk])
        edit = question_post(one_question, [("自注意力", True), ("循环神经网络", False)])
        assert staff.post(url, edit).status_code == 302
        # The open attempt keeps its snapshot, as it always has.
        html = client.get("/sets/one/quiz/").content.decode()
        assert "卷积" in html
        assert "循环神经网络" not in html
        start(client, slug="one")
        html = client.get("/sets/one/quiz/").content.decode()
        assert "循环神经网络" in html
        assert "卷积" not in html

    def test_each_attempt_shows_its_own_option_tokens(
        self, client, one_question, learner, django_user_model
    ):
        pages = {}
        for user in (learner, django_user_model.objects.create_user("xuesheng2", password="x")):
            client.force_login(user)
            start(client, slug="one")
            attempt = current("one")
            pages[attempt.pk] = (attempt, client.get("/sets/one/quiz/").content.decode())
        for attempt, html in pages.values():
            tokens = set(re.findall(r'name="choices" value="([0-9a-f]+)"', html))
            assert tokens == {attempt.option_token(o.id) for o in attempt.item_list[0].options}

    def test_the_answered_card_replaces_the_cached_unanswered_one(self, client, one_question):
        start(client, slug="one")
        attempt = current("one")
        client.get("/sets/one/quiz/")
        html = answer(client, attempt, attempt.item_list[0], right=False, headers={}).content
        html = html.decode()
        assert "disabled" in html
        assert "✗ 你选错了" in html
        assert 'type="submit"' not in html.split('id="answer-form"')[1].split("</form>")[0]
