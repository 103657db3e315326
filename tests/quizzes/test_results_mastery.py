"""The results page: next to each section's score, the learner's mastery of it
now, which is their recall a week ahead (learners.mastery)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from quizzes.models import Question, QuestionState
from tests.factories import make_finished_attempt
from tests.quizzes.helpers import answer, current, start

pytestmark = pytest.mark.django_db
NOW = datetime.fromisoformat("2026-12-01T10:00:00+08:00")


def results_url(attempt):
    return reverse("quizzes:results", args=[attempt.study_set.slug, attempt.pk])


def section_block(html: str) -> str:
    return html.split('class="section-scores"', 1)[1].split("</ul>", 1)[0]


def test_each_section_shows_the_learners_mastery_now(client, learner, da_mo_xing):
    attempt = make_finished_attempt(learner, da_mo_xing)
    question = Question.objects.get(pk=attempt.item_list[0].question_id)
    QuestionState.remember(
        learner, question.pk, correct=True, wrong_before=False, now=datetime.now(UTC),
        desired_retention=0.9,
    )  # fmt: skip
    client.force_login(learner)
    html = client.get(results_url(attempt)).content.decode()
    block = section_block(html)
    row = next(li for li in block.split("<li")[1:] if question.note.title in li)
    assert 'mastery-mark mastery-mark--fair">一般' in row  # answered right once
    assert "记忆" in row
    assert "%" in row
    assert "未学" in block  # sections whose questions the learner has not met in memory
    assert "一周后还记得这一节卡片和题目的概率" in html  # the hint says what mastery is


def test_anonymous_attempts_show_the_score_only(client, da_mo_xing):
    start(client)
    attempt = current()
    for item in attempt.item_list:
        answer(client, attempt, item)
    html = client.get(results_url(attempt)).content.decode()
    assert "答对" in section_block(html)
    assert "mastery-mark" not in html


def test_mastery_is_one_more_query(client, learner, da_mo_xing, django_assert_num_queries):
    attempt = make_finished_attempt(learner, da_mo_xing)
    client.force_login(learner)
    client.get(results_url(attempt))  # the sections, cached under the content version
    with django_assert_num_queries(5):  # 4 without mastery
        response = client.get(results_url(attempt))
    assert response.status_code == 200


def test_an_answer_shows_on_the_next_view(client, learner, da_mo_xing):
    attempt = make_finished_attempt(learner, da_mo_xing)
    client.force_login(learner)
    assert "mastery-mark--fair" not in client.get(results_url(attempt)).content.decode()
    QuestionState.remember(
        learner, attempt.item_list[0].question_id, correct=True, wrong_before=False,
        now=datetime.now(UTC), desired_retention=0.9,
    )  # fmt: skip
    assert "mastery-mark--fair" in client.get(results_url(attempt)).content.decode()


def take_quiz(client, *, right: bool):
    """A whole quiz of the set answered all right or all wrong; its results page."""
    start(client)
    attempt = current()
    for item in attempt.item_list:
        answer(client, attempt, item, right=right)
    return client.get(results_url(attempt)).content.decode()


def marks(html: str) -> set[tuple[str, str]]:
    """{(score, mastery)} over the sections, e.g. ("答对 0 / 3", "薄弱 平均记忆 58%")."""
    found = re.findall(
        r"(答对 \d+ / \d+).*?当前掌握：<span [^>]*>(\w+)</span> 平均记忆 (\d+)%",
        section_block(html),
        re.S,
    )
    return {(score, f"{label} {percent}%") for score, label, percent in found}


class TestRightAfterTheQuiz:
    """The new-user test: a learner who had just got 0/3 in a section saw
    掌握 · 100 % next to it, since recall now is about 100 % after any answer."""

    def test_sections_just_answered_all_wrong_are_weak(self, client, learner, da_mo_xing):
        client.force_login(learner)
        with time_machine.travel(NOW, tick=False):
            shown = marks(take_quiz(client, right=False))
        assert shown
        assert {mastery for _score, mastery in shown} == {"薄弱 58%"}
        assert all(score.startswith("答对 0 /") for score, _ in shown)

    def test_answered_right_once_is_fair_and_twice_at_the_due_date_mastered(
        self, client, learner, da_mo_xing
    ):
        client.force_login(learner)
        with time_machine.travel(NOW, tick=False):
            assert {m for _s, m in marks(take_quiz(client, right=True))} == {"一般 81%"}
        due = QuestionState.objects.filter(user=learner).earliest("due").due
        assert due == NOW + timedelta(days=2)
        with time_machine.travel(due, tick=False):
            assert {m for _s, m in marks(take_quiz(client, right=True))} == {"掌握 93%"}
