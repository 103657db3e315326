"""考试模式 through its URLs: the time limit, no verdicts, the deadline the server keeps."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from learners.models import Preferences
from notes.models import StudySet
from progress.practice import mistake_question_ids
from progress.today import option_token
from quizzes.models import Answer, Attempt, AttemptClosed, Question, QuestionState
from tests.factories import make_question, make_study_set
from tests.quizzes.helpers import HTMX_NEXT, answer, answer_url, current, right_tokens, start

pytestmark = pytest.mark.django_db
QUIZ = "/sets/da-mo-xing/quiz/"
HTMX_EXAM = {"HX-Request": "true", "HX-Target": "quiz"}
T0 = "2026-03-02 06:00:00+00:00"  # 14:00 in Shanghai


def start_exam(client, minutes="20", **data):
    return start(client, mode="exam", minutes=minutes, **data)


def hand_in_url(attempt: Attempt) -> str:
    return reverse("quizzes:hand-in", args=[attempt.study_set.slug, attempt.pk])


class TestStart:
    def test_start_screen_offers_exam_mode_and_three_time_limits(self, client, da_mo_xing):
        html = client.get(QUIZ).content.decode()
        assert 'name="mode" value="exam"' in html
        assert re.findall(r'name="minutes" value="(\d+)"', html) == ["10", "20", "30"]

    @time_machine.travel(T0, tick=False)
    def test_exam_stores_its_deadline_by_the_servers_clock(self, client, da_mo_xing):
        assert start_exam(client, minutes="30").status_code == 302
        attempt = current()
        assert attempt.mode == Attempt.Mode.EXAM
        assert attempt.deadline == timezone.now() + timedelta(minutes=30)
        assert attempt.started_at == timezone.now()
        assert not attempt.explain_each

    @pytest.mark.parametrize("minutes", ["", "15", "0", "20.0", "２０", "-10", "600"])
    def test_bad_time_limit_is_a_clear_400_and_creates_nothing(self, client, da_mo_xing, minutes):
        response = start_exam(client, minutes=minutes)
        assert response.status_code == 400
        assert "考试时长无效\uff1a请选择 10、20 或 30 分钟。" in response.content.decode()
        assert not Attempt.objects.exists()

    @time_machine.travel(T0, tick=False)
    def test_staff_set_limit_wins_and_is_shown(self, client, da_mo_xing):
        da_mo_xing.exam_minutes = 45
        da_mo_xing.save()
        html = client.get(QUIZ).content.decode()
        assert "考试限时 45 分钟" in html
        assert 'name="minutes"' not in html
        assert start_exam(client, minutes="10").status_code == 302
        assert current().deadline == timezone.now() + timedelta(minutes=45)

    def test_minutes_are_ignored_outside_exam_mode(self, client, da_mo_xing):
        assert start(client, minutes="nonsense").status_code == 302
        assert current().deadline is None

    def test_anonymous_visitors_may_take_an_exam_like_a_quiz(self, client, da_mo_xing):
        start_exam(client)
        attempt = current()
        assert attempt.user is None
        assert "剩余" in client.get(QUIZ).content.decode()


class TestDuringTheExam:
    @time_machine.travel(T0, tick=False)
    def test_page_shows_the_server_countdown_and_end_time(self, client, da_mo_xing):
        start_exam(client, minutes="20")
        with time_machine.travel(timezone.now() + timedelta(minutes=1, seconds=30), tick=False):
            for html in (
                client.get(QUIZ).content.decode(),
                client.get(QUIZ, headers=HTMX_EXAM).content.decode(),
            ):
                assert "剩余 <strong" in html
                assert "19 分钟</strong>" in html
                assert '<time datetime="2026-03-02T14:20:00+08:00">14:20</time> 结束' in html
                assert "交卷" in html

    def test_answer_is_stored_once_and_acknowledged_without_a_verdict(self, client, da_mo_xing):
        start_exam(client)
        attempt = current()
        first, second = attempt.item_list[:2]
        for _ in range(3):
            response = answer(client, attempt, first, right=False, headers=HTMX_EXAM)
            assert response.status_code == 200
            html = response.content.decode()
            assert "第 1 题已作答" in html
            assert second.prompt in html
            assert "错误" not in html
            assert "正确" not in html
        assert Answer.objects.filter(attempt=attempt).count() == 1

    def test_no_page_or_fragment_tells_the_right_options(self, client, da_mo_xing):
        start_exam(client)
        attempt = current()
        pages = []
        for item in attempt.item_list:
            pages += [
                (item, client.get(QUIZ).content.decode()),
                (item, client.get(QUIZ, headers=HTMX_EXAM).content.decode()),
            ]
            if item.position + 1 < len(attempt.item_list):
                nxt = attempt.item_list[item.position + 1]
                pages += [(nxt, answer(client, attempt, item, headers=HTMX_EXAM).content.decode())]
                pages += [(nxt, answer(client, attempt, item, headers={}).content.decode())]
        assert len(pages) == 4 * len(attempt.item_list) - 2
        for item, html in pages:
            assert item.prompt in html
            for option in item.options:
                if item.is_fill_blank:
                    assert option.text not in html
            if item.explanation:
                assert item.explanation not in html
            for marker in (
                "正确答案",
                "你选对了",
                "你选错了",
                "option--right",
                "option--wrong",
                "解析",
            ):
                assert marker not in html
            # The right options' tokens are on the page only as values, like every
            # option's (a blank's accepted answers have no place on it at all).
            for token in right_tokens(attempt, item):
                assert html.count(token) == (0 if item.is_fill_blank else 1)

    def test_last_answer_hands_the_exam_in(self, client, da_mo_xing):
        start_exam(client)
        attempt = current()
        for item in attempt.item_list[:-1]:
            answer(client, attempt, item, headers=HTMX_EXAM)
        html = answer(client, attempt, attempt.item_list[-1], headers=HTMX_EXAM).content.decode()
        attempt.refresh_from_db()
        assert attempt.status == Attempt.Status.FINISHED
        assert "已交卷" in html
        assert attempt.get_absolute_url() in html

    def test_hand_in_finishes_early_and_counts_unanswered_as_wrong(self, client, da_mo_xing):
        start_exam(client)
        attempt = current()
        answer(client, attempt, attempt.item_list[0], headers=HTMX_EXAM)
        response = client.post(hand_in_url(attempt))
        assert response.status_code == 302
        assert response["Location"] == attempt.get_absolute_url()
        attempt.refresh_from_db()
        assert (attempt.status, attempt.correct_count, attempt.question_count) == (
            "finished",
            1,
            16,
        )
        html = client.get(attempt.get_absolute_url()).content.decode()
        assert "1 / 16" in html
        assert "考试模式" in html
        assert "限时 20 分钟" in html
        assert html.count("（未作答）") == 15

    def test_hand_in_is_for_exams_only(self, client, da_mo_xing):
        start(client)
        attempt = current()
        for method in (client.get, client.post):
            response = method(hand_in_url(attempt))
            assert response.status_code == 400
            assert "只有考试模式需要交卷" in response.content.decode()
        assert client.put(hand_in_url(attempt)).status_code == 405
        attempt.refresh_from_db()
        assert attempt.is_open

    def test_hand_in_asks_first_with_the_unanswered_count_and_changes_nothing(
        self, client, da_mo_xing
    ):
        start_exam(client)
        attempt = current()
        answer(client, attempt, attempt.item_list[0], headers=HTMX_EXAM)
        page = client.get(hand_in_url(attempt))
        assert page.status_code == 200
        html = page.content.decode()
        assert "现在交卷？" in html
        assert "还有 15 题没答" in html
        assert f'action="{hand_in_url(attempt)}"' in html
        assert "<!doctype html>" in html  # without JavaScript, the whole exam page
        # The confirmation takes focus (继续答题), never the question behind it.
        assert html.count(" autofocus>") == 1
        assert re.search(r'href="/sets/da-mo-xing/quiz/" data-autofocus autofocus>继续答题', html)
        fragment = client.get(
            hand_in_url(attempt), headers={"HX-Request": "true", "HX-Target": "exam-hand-in"}
        )
        text = fragment.content.decode()
        assert text.lstrip().startswith('<section id="exam-hand-in"')
        assert "<!doctype html>" not in text
        attempt.refresh_from_db()
        assert attempt.is_open
        assert attempt.answers.count() == 1

    @time_machine.travel(T0, tick=False)
    def test_asking_after_the_deadline_closes_the_exam(self, client, da_mo_xing):
        start_exam(client, minutes="10")
        attempt = current()
        with time_machine.travel(attempt.deadline + timedelta(seconds=1), tick=False):
            html = client.get(hand_in_url(attempt)).content.decode()
        attempt.refresh_from_db()
        assert attempt.status == Attempt.Status.FINISHED
        assert "现在交卷？" not in html
        assert attempt.get_absolute_url() in html

    def test_asking_once_handed_in_goes_to_the_results(self, client, da_mo_xing):
        start_exam(client)
        attempt = current()
        client.post(hand_in_url(attempt))
        response = client.get(hand_in_url(attempt))
        assert response.status_code == 302
        assert response["Location"] == attempt.get_absolute_url()


class TestDeadline:
    @time_machine.travel(T0, tick=False)
    def test_answer_one_second_before_the_deadline_is_stored(self, client, da_mo_xing):
        start_exam(client, minutes="10")
        attempt = current()
        with time_machine.travel(attempt.deadline - timedelta(seconds=1), tick=False):
            response = answer(client, attempt, attempt.item_list[0], headers=HTMX_EXAM)
        assert response.status_code == 200
        assert attempt.answers.count() == 1

    @time_machine.travel(T0, tick=False)
    def test_answer_one_second_after_is_refused_and_the_exam_closed_and_scored(
        self, client, da_mo_xing
    ):
        start_exam(client, minutes="10")
        attempt = current()
        answer(client, attempt, attempt.item_list[0], headers=HTMX_EXAM)
        with time_machine.travel(attempt.deadline + timedelta(seconds=1), tick=False):
            response = answer(client, attempt, attempt.item_list[1], headers=HTMX_EXAM)
        assert response.status_code == 409
        html = response.content.decode()
        assert "时间到" in html
        assert "这道题的答案没有保存" in html
        assert attempt.get_absolute_url() in html
        assert response["HX-Retarget"] == "#quiz"
        attempt.refresh_from_db()
        assert attempt.status == Attempt.Status.FINISHED
        assert attempt.finished_at == attempt.deadline
        assert (attempt.correct_count, attempt.question_count) == (1, 16)
        assert attempt.answers.count() == 1

    @time_machine.travel(T0, tick=False)
    @pytest.mark.parametrize("data", [{}, {"choices": "bogus"}, {"response": "x" * 5000}])
    def test_a_late_malformed_answer_closes_the_exam_too(self, client, da_mo_xing, data):
        start_exam(client, minutes="10")
        attempt = current()
        url = answer_url(attempt, attempt.item_list[0])
        with time_machine.travel(attempt.deadline + timedelta(seconds=1), tick=False):
            response = client.post(url, data, headers=HTMX_EXAM)
        assert response.status_code == 409
        attempt.refresh_from_db()
        assert (attempt.status, attempt.finished_at) == ("finished", attempt.deadline)
        assert not attempt.answers.exists()

    @time_machine.travel(T0, tick=False)
    def test_late_answer_without_javascript_is_a_409_page(self, client, da_mo_xing):
        start_exam(client, minutes="10")
        attempt = current()
        with time_machine.travel(attempt.deadline, tick=False):
            response = answer(client, attempt, attempt.item_list[0], headers={})
        assert response.status_code == 409
        assert "<html" in response.content.decode()
        assert "查看结果" in response.content.decode()

    @time_machine.travel(T0, tick=False)
    def test_quiz_page_after_the_deadline_closes_the_exam_and_links_the_results(
        self, client, da_mo_xing
    ):
        start_exam(client, minutes="10")
        attempt = current()
        with time_machine.travel(attempt.deadline + timedelta(minutes=5), tick=False):
            response = client.get(QUIZ)
        assert response.status_code == 200
        html = response.content.decode()
        assert "时间到" in html
        assert attempt.get_absolute_url() in html
        attempt.refresh_from_db()
        assert attempt.status == Attempt.Status.FINISHED
        assert attempt.finished_at == attempt.deadline
        results = client.get(attempt.get_absolute_url()).content.decode()
        assert "用时 10 分 0 秒 · 考试模式（限时 10 分钟\uff0c时间到自动交卷）" in results

    @time_machine.travel(T0, tick=False)
    def test_htmx_refresh_after_the_deadline_swaps_in_the_time_up_card(self, client, da_mo_xing):
        start_exam(client, minutes="10")
        attempt = current()
        with time_machine.travel(attempt.deadline + timedelta(seconds=1), tick=False):
            response = client.get(QUIZ, headers=HTMX_EXAM)
        html = response.content.decode()
        assert html.lstrip().startswith('<section id="quiz" class="quiz-card exam-over"')
        assert "时间到" in html
        assert "<html" not in html

    @time_machine.travel(T0, tick=False)
    def test_closing_twice_closes_once(self, client, da_mo_xing):
        start_exam(client, minutes="10")
        attempt = current()
        late = attempt.deadline + timedelta(seconds=5)
        twin = Attempt.objects.get(pk=attempt.pk)  # a second request, loaded before either closes
        assert attempt.close(late) is True
        assert twin.close(late + timedelta(seconds=3)) is False
        twin.refresh_from_db()
        assert twin.finished_at == attempt.deadline

    @time_machine.travel(T0, tick=False)
    def test_record_itself_refuses_after_the_deadline(self, client, da_mo_xing):
        start_exam(client, minutes="10")
        attempt = current()
        item = attempt.item_list[0]
        with (
            time_machine.travel(attempt.deadline, tick=False),
            pytest.raises(AttemptClosed),
        ):
            attempt.record(item, [item.options[0].id])
        assert attempt.answers.count() == 0


class TestOwnership:
    def test_other_learners_exam_is_404(self, client, da_mo_xing, learner, django_user_model):
        other = django_user_model.objects.create_user(username="xiaohong", password="pw-12345678")
        client.force_login(other)
        start_exam(client)
        attempt = current()
        client.force_login(learner)
        assert client.post(hand_in_url(attempt)).status_code == 404
        item = attempt.item_list[0]
        data = {"choices": right_tokens(attempt, item)}
        assert client.post(answer_url(attempt, item), data).status_code == 404
        attempt.refresh_from_db()
        assert attempt.is_open


class TestQueryCounts:
    def test_exam_page_and_answer_cost_at_most_one_more_than_normal(
        self, client, learner, django_assert_num_queries
    ):
        study_set = make_study_set(slug="big")
        for _ in range(60):
            make_question(study_set, choices=(("对", True), ("错", False), ("也错", False)))
        client.force_login(learner)
        start_exam(client, slug="big")
        attempt = current("big")
        for item in attempt.item_list[:30]:
            answer(client, attempt, item, headers=HTMX_EXAM)
        with django_assert_num_queries(4):  # as normal mode
            client.get("/sets/big/quiz/")
        with django_assert_num_queries(4):
            client.get("/sets/big/quiz/", headers=HTMX_NEXT)
        # Normal mode's 11, less the question's memory (read and written only once the
        # exam is over), plus the answered positions.
        with django_assert_num_queries(10):
            answer(client, attempt, attempt.item_list[30], headers=HTMX_EXAM)


class TestStaffTimeLimit:
    def test_admin_edits_it_with_a_chinese_label_and_help(self, admin_client, da_mo_xing):
        html = admin_client.get(f"/admin/notes/studyset/{da_mo_xing.pk}/change/").content.decode()
        assert 'name="exam_minutes"' in html
        assert "考试时长\uff08分钟\uff09" in html
        assert "留空则由学员在 10、20、30 分钟中选择" in html

    @pytest.mark.parametrize(
        ("minutes", "valid"), [(4, False), (5, True), (180, True), (181, False)]
    )
    def test_limit_is_5_to_180_minutes(self, da_mo_xing, minutes, valid):
        da_mo_xing.exam_minutes = minutes
        if valid:
            da_mo_xing.full_clean()
        else:
            with pytest.raises(ValidationError, match="exam_minutes"):
                da_mo_xing.full_clean()

    def test_database_refuses_a_limit_outside_5_to_180(self, da_mo_xing):
        with pytest.raises(IntegrityError), transaction.atomic():
            StudySet.objects.filter(pk=da_mo_xing.pk).update(exam_minutes=500)


def right_ids(item) -> list[int]:
    return [o.id for o in item.options if o.correct]


class TestNothingLeaksBeforeHandIn:
    """考试模式 shows no verdict until 交卷: nothing built on verdicts may either."""

    def exam_with_one_wrong(self, client, learner) -> tuple[Attempt, int]:
        client.force_login(learner)
        start_exam(client)
        attempt = current()
        item = attempt.item_list[0]
        wrong = [o.id for o in item.options if not o.correct][:1]
        attempt.record(item, wrong, "" if wrong else "错的")
        return attempt, item.question_id

    def test_no_mistake_or_memory_until_hand_in(self, client, learner, da_mo_xing):
        attempt, question_id = self.exam_with_one_wrong(client, learner)
        assert question_id not in mistake_question_ids(learner)
        assert not QuestionState.objects.exists()
        assert "错题本是空的" in client.get("/me/mistakes/").content.decode()
        client.post(hand_in_url(attempt))
        assert mistake_question_ids(learner) == [question_id]
        state = QuestionState.objects.get()
        answer = attempt.answers.get()
        assert (state.question_id, state.reps, state.lapses) == (question_id, 1, 0)
        assert state.last_review == answer.answered_at
        assert state.due - answer.answered_at <= timedelta(minutes=10)

    @time_machine.travel(T0, tick=False)
    def test_time_up_teaches_memory_too(self, client, learner, da_mo_xing):
        attempt, question_id = self.exam_with_one_wrong(client, learner)
        with time_machine.travel(attempt.deadline + timedelta(seconds=1), tick=False):
            client.get(QUIZ)
        attempt.refresh_from_db()
        assert attempt.status == Attempt.Status.FINISHED
        assert QuestionState.objects.get().question_id == question_id

    def test_the_last_answer_teaches_memory(self, client, learner):
        study_set = make_study_set()
        questions = [make_question(study_set) for _ in range(2)]
        client.force_login(learner)
        start_exam(client, slug=study_set.slug)
        attempt = current(study_set.slug)
        attempt.record(attempt.item_list[0], right_ids(attempt.item_list[0]))
        assert not QuestionState.objects.exists()
        attempt.record(attempt.item_list[1], right_ids(attempt.item_list[1]))
        assert attempt.status == Attempt.Status.FINISHED
        assert set(QuestionState.objects.values_list("question", flat=True)) == {
            q.pk for q in questions
        }

    def test_today_holds_back_the_exams_questions(self, client, learner, da_mo_xing):
        Preferences.objects.create(user=learner, new_cards_per_day=100)
        attempt, _question_id = self.exam_with_one_wrong(client, learner)
        asked = attempt.item_list[1].question_id
        session_tally = client.get("/me/today/?end=1").context["tally"]
        assert (session_tally.new_questions, session_tally.due_questions) == (0, 0)
        question = Question.objects.get(pk=asked)
        right = question.choices.filter(is_correct=True).first()
        choices = [option_token(learner.pk, asked, right.pk)] if right else []
        response = client.post(
            reverse("progress:today-answer", args=[asked]),
            {"choices": choices, "response": "" if right else "答案"},
        )
        assert response.status_code == 409
        assert not Answer.objects.filter(question=asked).exists()
        client.post(hand_in_url(attempt))
        assert client.get("/me/today/?end=1").context["tally"].new_questions > 0
