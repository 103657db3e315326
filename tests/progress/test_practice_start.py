"""Starting a 错题本 or 智能练习 run: progress's own POST, which hands quizzes the questions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from learners.models import Preferences
from quizzes.models import Attempt
from tests.factories import make_finished_attempt

pytestmark = pytest.mark.django_db
URL = "/me/practice/da-mo-xing/start/"


def test_the_url_is_under_me():
    assert reverse("progress:start", args=["da-mo-xing"]) == URL


def test_an_anonymous_visitor_is_sent_to_log_in(client, da_mo_xing):
    response = client.post(URL, {"mode": "mistakes"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert not Attempt.objects.exists()


def test_a_get_starts_nothing(client, learner, da_mo_xing):
    client.force_login(learner)
    assert client.get(URL).status_code == 405


@pytest.mark.parametrize("mode", ["", "all", "retry", "错题"])
def test_an_unknown_mode_is_a_clear_400(client, learner, da_mo_xing, mode):
    make_finished_attempt(learner, da_mo_xing, wrong={201})
    client.force_login(learner)
    before = Attempt.objects.count()
    response = client.post(URL, {"mode": mode})
    assert response.status_code == 400
    assert "未知的练习类型。" in response.content.decode()
    htmx = client.post(URL, {"mode": mode}, headers={"HX-Request": "true"})
    assert htmx.status_code == 400
    assert "<html" not in htmx.content.decode()
    assert Attempt.objects.count() == before


@pytest.mark.parametrize("mode", ["mistakes", "practice"])
def test_the_quiz_start_knows_no_practice_plans(client, learner, da_mo_xing, mode):
    make_finished_attempt(learner, da_mo_xing, wrong={201})
    client.force_login(learner)
    response = client.post(reverse("quizzes:start", args=["da-mo-xing"]), {"mode": mode})
    assert response.status_code == 400
    assert "未知的练习类型。" in response.content.decode()
    assert not Attempt.objects.filter(mode=mode).exists()


def test_mistakes_are_all_practised_whatever_the_quiz_length(client, learner, da_mo_xing):
    Preferences.objects.create(user=learner, quiz_length=1, explanations="end")
    make_finished_attempt(learner, da_mo_xing, wrong={201, 202, 203})
    client.force_login(learner)
    response = client.post(URL, {"mode": "mistakes"})
    assert response.status_code == 302
    assert response["Location"] == "/sets/da-mo-xing/quiz/"
    attempt = Attempt.objects.get(mode="mistakes")
    assert {item.question_id for item in attempt.item_list} == {201, 202, 203}
    assert not attempt.explain_each  # the learner's 答案与解析 preference holds here too


def test_practice_is_as_long_as_the_learners_quiz_length(client, learner, da_mo_xing):
    Preferences.objects.create(user=learner, quiz_length=2, quiz_order="random")
    make_finished_attempt(learner, da_mo_xing, wrong={201, 202, 203})
    client.force_login(learner)
    client.post(URL, {"mode": "practice"})
    attempt = Attempt.objects.get(mode="practice")
    assert {item.question_id for item in attempt.item_list} <= {201, 202, 203}
    assert attempt.question_count == 2


def test_start_queries_are_pinned(client, learner, da_mo_xing, django_assert_num_queries):
    make_finished_attempt(learner, da_mo_xing, wrong={201, 202})
    client.force_login(learner)
    with django_assert_num_queries(10):
        response = client.post(URL, {"mode": "mistakes"})
    assert response.status_code == 302
