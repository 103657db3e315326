"""The quiz through its URLs: pages, fragments, replay, tampering, leaks."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from quizzes.models import Answer, Attempt, Choice, Question
from tests.factories import make_question, make_study_set
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
        assert "共 10 道题" in html
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
        assert attempt.question_count == 10
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
        assert "第 1 题 / 共 10 题" in html
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
        assert "第 2 题 / 共 10 题" in client.get(QUIZ).content.decode()


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
                assert len(labels) == len(item.options)
                # With text and token blanked out, every option is the same markup.
                shapes = set()
                for label, option in zip(labels, item.options, strict=True):
                    shape = label.replace(option.text, "TEXT").replace(
                        attempt.option_token(option.id), "TOKEN"
                    )
                    shapes.add(re.sub(r'option__key" aria-hidden="true">\d', "KEY", shape))
                assert len(shapes) == 1, shapes
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
        assert (attempt.correct_count, attempt.question_count) == (8, 10)
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
        assert "9 / 10" in html
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

    def test_history_lists_finished_attempts(self, client, da_mo_xing):
        for _ in range(2):
            start(client)
            take_all(client, current())
        html = client.get(QUIZ).content.decode()
        assert html.count("10 / 10\uff08100%\uff09") == 2

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
        assert "10 / 10" in html
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
        assert "第 2 题 / 共 10 题" in client.get(QUIZ).content.decode()

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
        with django_assert_num_queries(4):
            client.get("/sets/big/quiz/")
        with django_assert_num_queries(4):
            client.get("/sets/big/quiz/", headers=HTMX_NEXT)
        item = attempt.item_list[30]
        with django_assert_num_queries(12):
            answer(client, attempt, item)
        finished = Attempt.objects.finished().first()
        with django_assert_num_queries(4):
            client.get(reverse("quizzes:results", args=["big", finished.pk]))
