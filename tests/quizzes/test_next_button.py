"""下一题 and 查看结果 are buttons in GET forms, as in 今日学习: Space goes on as well as
Enter, htmx swaps the next question in, and without JavaScript the form loads the page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine

from tests.quizzes.helpers import HTMX_NEXT, answer, current, start

pytestmark = pytest.mark.django_db
QUIZ = "/sets/da-mo-xing/quiz/"
HTMX_EXAM = {"HX-Request": "true", "HX-Target": "quiz"}
T0 = "2026-03-02 06:00:00+00:00"  # 14:00 in Shanghai
KEY = '<kbd class="key-hint" aria-hidden="true">空格</kbd>'


def next_form(html: str) -> str:
    """The one quiz-next form, whole; no link does its job."""
    forms = re.findall(r'<form class="quiz-next".*?</form>', html, re.DOTALL)
    assert len(forms) == 1, forms
    assert not re.search(r"<a [^>]*>(下一题|查看结果)</a>", html)
    return " ".join(forms[0].split())


def test_next_is_a_button_that_swaps_the_quiz_in_the_answer_fragment(client, da_mo_xing):
    start(client)
    attempt = current()
    html = answer(client, attempt, attempt.item_list[0]).content.decode()
    assert next_form(html) == (
        f'<form class="quiz-next" method="get" action="{QUIZ}" hx-get="{QUIZ}" '
        'hx-target="#quiz" hx-swap="outerHTML settle:0ms"> '
        f'<button class="button" type="submit" data-autofocus autofocus>下一题{KEY}</button> '
        "</form>"
    )


def test_without_javascript_the_whole_page_has_the_same_button(client, da_mo_xing):
    start(client)
    attempt = current()
    html = answer(client, attempt, attempt.item_list[0], headers={}).content.decode()
    assert "<html" in html
    form = next_form(html)
    assert f'method="get" action="{QUIZ}"' in form
    assert f"data-autofocus autofocus>下一题{KEY}</button>" in form
    # Its GET loads the next question, a whole page.
    after = client.get(QUIZ).content.decode()
    assert "<html" in after
    assert attempt.item_list[1].prompt in after


def test_the_next_question_fragment_is_unchanged(client, da_mo_xing):
    start(client)
    attempt = current()
    answer(client, attempt, attempt.item_list[0])
    html = client.get(QUIZ, headers=HTMX_NEXT).content.decode()
    assert html.lstrip().startswith('<section id="quiz" class="quiz-card"')
    assert attempt.item_list[1].prompt in html


def test_the_last_answer_offers_the_results_as_a_button(client, da_mo_xing):
    start(client)
    attempt = current()
    for item in attempt.item_list:
        response = answer(client, attempt, item)
    results = attempt.get_absolute_url()
    assert next_form(response.content.decode()) == (
        f'<form class="quiz-next" method="get" action="{results}"> '
        f'<button class="button" type="submit" data-autofocus autofocus>查看结果{KEY}</button> '
        "</form>"
    )
    assert client.get(results).status_code == 200


@time_machine.travel(T0, tick=False)
@pytest.mark.parametrize("headers", [HTMX_EXAM, {}])
def test_time_up_card_offers_the_results_as_a_button(client, da_mo_xing, headers):
    start(client, mode="exam", minutes="10")
    attempt = current()
    with time_machine.travel(attempt.deadline + timedelta(seconds=1), tick=False):
        response = answer(client, attempt, attempt.item_list[0], headers=headers)
    assert response.status_code == 409
    html = response.content.decode()
    assert ("<html" in html) == (not headers)
    assert f'<form class="quiz-next" method="get" action="{attempt.get_absolute_url()}">' in html
    assert f"data-autofocus autofocus>查看结果{KEY}</button>" in html
    assert not re.search(r"<a [^>]*>查看结果</a>", html)
