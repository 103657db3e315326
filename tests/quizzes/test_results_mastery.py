"""The results page: next to each section's score, the learner's mastery of it now."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from quizzes.models import Question, QuestionState
from tests.factories import make_finished_attempt
from tests.quizzes.helpers import answer, current, start

pytestmark = pytest.mark.django_db


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
    block = section_block(client.get(results_url(attempt)).content.decode())
    row = next(li for li in block.split("<li")[1:] if question.note.title in li)
    assert 'mastery-mark mastery-mark--strong">掌握' in row
    assert "记忆" in row
    assert "%" in row
    assert "未学" in block  # sections whose questions the learner has not met in memory


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
    assert "mastery-mark--strong" not in client.get(results_url(attempt)).content.decode()
    QuestionState.remember(
        learner, attempt.item_list[0].question_id, correct=True, wrong_before=False,
        now=datetime.now(UTC), desired_retention=0.9,
    )  # fmt: skip
    assert "mastery-mark--strong" in client.get(results_url(attempt)).content.decode()
