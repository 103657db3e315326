"""The whole 大模型 quiz with the keyboard alone, in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from quizzes.models import Attempt
from tests.browser.conftest import assert_accessible, look, ready

pytestmark = pytest.mark.browser
WRONG_POSITIONS = {1, 4}


def current_attempt() -> Attempt:
    return Attempt.objects.filter(status="in_progress").latest("pk")


def answer_with_keys(page, item, *, right: bool) -> None:
    """Pick options with the number keys, submit with Enter, as a keyboard user would."""
    if item.is_fill_blank:
        page.get_by_label("你的答案").fill(item.right_texts[0] if right else "不知道")
        page.keyboard.press("Enter")
        return
    numbers = [n for n, option in enumerate(item.options, start=1) if option.correct == right]
    if not item.is_multiple or not right:
        numbers = numbers[:1]
    for number in numbers:
        page.keyboard.press(str(number))
    page.keyboard.press("Enter")


def take_quiz(page, *, wrong_positions=frozenset(), screens=False) -> Attempt:
    attempt = current_attempt()
    for item in attempt.item_list:
        expect(
            page.get_by_text(f"第 {item.number} 题 / 共 {attempt.question_count} 题")
        ).to_be_visible()
        if item.position == 0:
            # Only now is this the quiz page: the page before it was "ready" too.
            ready(page)
        expect(page.locator("#question-title")).to_have_text(item.prompt)
        if item.position == 0:
            expect(page.locator("#question-title")).to_be_visible()
        elif screens:
            expect(page.locator("#question-title")).to_be_focused()
        if screens and item.position == 0:
            assert_accessible(page)
            look(page, "quiz-question")
        right = item.position not in wrong_positions
        answer_with_keys(page, item, right=right)
        status = page.get_by_role("status")
        expect(status).to_contain_text("正确" if right else "错误")
        expect(status).to_contain_text("✓ 正确" if right else "✗ 错误")
        if screens and item.position in {0, 1}:
            assert_accessible(page)
            look(page, f"quiz-verdict-{'right' if right else 'wrong'}")
        next_button = page.get_by_role(
            "link", name="查看结果" if item.number == attempt.question_count else "下一题"
        )
        expect(next_button).to_be_focused()
        page.keyboard.press("Enter")
    return attempt


def test_whole_quiz_by_keyboard_then_retry_and_keep_it_by_signing_up(page, site):
    page.goto(site + "/sets/da-mo-xing/quiz/")
    assert_accessible(page)
    look(page, "quiz-start")
    start = page.get_by_role("button", name="开始答题")
    expect(start).to_be_focused()  # autofocus: Enter starts
    page.keyboard.press("Enter")
    expect(page.get_by_text("第 1 题 / 共 16 题")).to_be_visible()

    attempt = take_quiz(page, wrong_positions=WRONG_POSITIONS, screens=True)

    expect(page.get_by_role("heading", name="答题结果")).to_be_visible()
    expect(page.get_by_role("heading", name="14 / 16")).to_be_visible()
    assert_accessible(page)
    look(page, "quiz-results")

    # The anonymous learner signs up from the invitation and keeps the attempt.
    page.get_by_role("link", name="注册").last.focus()
    page.keyboard.press("Enter")
    page.get_by_label("用户名").fill("xuesheng")
    page.locator("input[name=password1]").fill("长城-Great-wall-9")
    page.locator("input[name=password2]").fill("长城-Great-wall-9")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="答题结果")).to_be_visible()
    expect(page.get_by_text("xuesheng")).to_be_visible()
    attempt.refresh_from_db()
    assert attempt.user.username == "xuesheng"

    # 只练错题: a new attempt of just the two missed questions.
    page.get_by_role("button", name=re.compile("只练错题")).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("第 1 题 / 共 2 题")).to_be_visible()
    retry = take_quiz(page)
    assert {item.question_id for item in retry.item_list} == {
        attempt.item_list[p].question_id for p in WRONG_POSITIONS
    }
    expect(page.get_by_role("heading", name="2 / 2")).to_be_visible()

    # One right answer is not enough to leave the 错题本.
    page.goto(site + "/me/mistakes/")
    for position in WRONG_POSITIONS:
        expect(page.get_by_text(attempt.item_list[position].prompt)).to_be_visible()
    assert_accessible(page)
    look(page, "mistakes")


def test_without_javascript_the_quiz_still_works(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/sets/da-mo-xing/quiz/")
    page.get_by_role("button", name="开始答题").click()
    expect(page.get_by_text("第 1 题 / 共 16 题")).to_be_visible()
    item = current_attempt().item_list[0]
    right = next(o.text for o in item.options if o.correct)
    page.get_by_text(right, exact=True).click()
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("status")).to_contain_text("正确")
    page.get_by_role("link", name="下一题").click()
    expect(page.get_by_text("第 2 题 / 共 16 题")).to_be_visible()
    context.close()
