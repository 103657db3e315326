"""考试模式 in a real browser: a short exam by keyboard, and one that runs out of time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from notes.models import StudySet
from quizzes.models import Attempt
from tests.browser.conftest import assert_accessible, look, ready
from tests.browser.test_quiz import answer_with_keys, current_attempt, first_field

pytestmark = pytest.mark.browser
QUIZ = "/sets/da-mo-xing/quiz/"


def start_exam_by_keyboard(page, site) -> Attempt:
    page.goto(site + QUIZ)
    ready(page)
    page.get_by_label("练习").focus()
    page.keyboard.press("ArrowRight")  # the radio group: 练习 → 考试模式
    expect(page.get_by_label("考试模式")).to_be_checked()
    expect(page.locator(".quiz-options__exam")).to_be_visible()  # 限时, only now
    page.get_by_label("题数").select_option("10")
    page.get_by_role("button", name="开始答题").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("第 1 题 / 共 10 题")).to_be_visible()
    ready(page)
    return current_attempt()


def test_short_exam_by_keyboard_without_verdicts_to_the_results(page, site):
    StudySet.objects.filter(slug="da-mo-xing").update(exam_minutes=5)
    page.goto(site + QUIZ)
    expect(page.get_by_text("考试限时 5 分钟")).to_be_hidden()  # 练习 is checked
    attempt = start_exam_by_keyboard(page, site)
    clock = page.locator("#exam-clock")
    expect(clock).to_contain_text("考试模式")
    expect(clock.locator("time")).to_have_attribute(
        "datetime", timezone.localtime(attempt.deadline).isoformat()
    )
    for item in attempt.item_list:
        expect(page.locator("#question-title")).to_have_text(item.prompt)
        expect(first_field(page, item)).to_be_focused()
        if item.position == 0:
            assert_accessible(page)
            look(page, "exam-question")
        answer_with_keys(page, item, right=item.position != 2)
        if item.number < attempt.question_count:
            expect(page.locator(".exam-ack")).to_have_text(f"第 {item.number} 题已作答。")
            for verdict in ("✓", "✗", "正确答案", "解析"):
                expect(page.locator("#quiz")).not_to_contain_text(verdict)
            if item.position == 1:
                look(page, "exam-answered")
    expect(page.get_by_role("heading", name="已交卷")).to_be_visible()
    results = page.get_by_role("button", name="查看结果")
    expect(results).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="9 / 10")).to_be_visible()
    expect(page.locator(".score__meta")).to_contain_text("考试模式（限时 5 分钟）")
    expect(page.locator(".review__item--wrong")).to_have_count(1)
    assert_accessible(page)
    look(page, "exam-results")


def test_a_late_answer_is_refused_and_shows_time_is_up(page, site):
    attempt = start_exam_by_keyboard(page, site)
    item = attempt.item_list[0]
    answer_with_keys(page, item, right=True)
    expect(page.locator(".exam-ack")).to_have_text("第 1 题已作答。")
    # The live server's clock cannot be moved: move the deadline into the past.
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    answer_with_keys(page, attempt.item_list[1], right=True)
    expect(page.get_by_role("heading", name="时间到")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("这道题的答案没有保存")
    expect(page.locator("#request-error")).to_be_hidden()
    expect(page.get_by_role("button", name="查看结果")).to_be_focused()
    assert_accessible(page)
    look(page, "exam-time-up")
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.FINISHED
    assert attempt.answers.count() == 1
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="1 / 10")).to_be_visible()
    expect(page.locator(".score__meta")).to_contain_text("时间到自动交卷")


def test_the_countdown_ends_the_exam_on_its_own(page, site):
    attempt = start_exam_by_keyboard(page, site)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(seconds=2))
    page.reload()
    ready(page)
    expect(page.locator(".exam-clock__left")).to_have_text("0:02")
    # site.js reloads at zero; the server, past the deadline, closes the exam.
    expect(page.get_by_role("heading", name="时间到")).to_be_visible()
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.FINISHED


def test_hand_in_early_asks_first_then_counts_the_rest_wrong(page, site):
    attempt = start_exam_by_keyboard(page, site)
    answer_with_keys(page, attempt.item_list[0], right=True)
    expect(page.locator(".exam-ack")).to_have_text("第 1 题已作答。")
    page.get_by_role("link", name="交卷").click()
    confirm = page.get_by_role("region", name="现在交卷？")
    expect(confirm).to_contain_text("还有 9 题没答")
    keep_going = page.get_by_role("link", name="继续答题")
    expect(keep_going).to_be_focused()  # the least destructive choice
    assert_accessible(page)
    look(page, "exam-hand-in-confirm")
    attempt.refresh_from_db()
    assert attempt.is_open
    page.keyboard.press("Enter")  # 继续答题: the same exam, the next question
    expect(page.locator("#question-title")).to_have_text(attempt.item_list[1].prompt)
    ready(page)
    page.get_by_role("link", name="交卷").click()
    page.get_by_role("button", name="确定交卷").click()
    expect(page.get_by_role("heading", name="1 / 10")).to_be_visible()
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.FINISHED


def test_the_time_limit_shows_only_for_exam_mode_and_takes_the_keyboard(page, site):
    page.goto(site + QUIZ)
    ready(page)
    limit = page.get_by_role("group", name="限时")
    expect(page.get_by_label("练习")).to_be_checked()
    expect(limit).to_be_hidden()
    look(page, "quiz-start-practice")
    page.get_by_label("练习").focus()
    page.keyboard.press("ArrowRight")  # 考试模式
    expect(limit).to_be_visible()
    # Right under 模式: the next Tab stop is the group's checked choice.
    page.keyboard.press("Tab")
    expect(page.get_by_label("20 分钟")).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_label("30 分钟")).to_be_checked()
    assert_accessible(page)
    look(page, "quiz-start-exam")
    page.get_by_label("考试模式").focus()  # back to 练习: the limit goes away again
    page.keyboard.press("ArrowLeft")
    expect(page.get_by_label("练习")).to_be_checked()
    expect(limit).to_be_hidden()
    page.get_by_label("考试模式").check()
    page.get_by_label("30 分钟").check()
    page.get_by_role("button", name="开始答题").click()
    expect(page.get_by_text("第 1 题 / 共 16 题")).to_be_visible()
    attempt = current_attempt()
    assert attempt.deadline - attempt.started_at == timedelta(minutes=30)


def test_without_javascript_or_css_the_time_limit_stays_usable(browser, site):
    """No JavaScript: CSS alone shows the limit once 考试模式 is chosen. Without the
    stylesheet (or :has()) it is always there; the server ignores it for 练习."""
    context = browser.new_context(java_script_enabled=False)
    bare = context.new_page()
    bare.route("**/*.css", lambda route: route.abort())
    bare.goto(site + QUIZ)
    expect(bare.get_by_label("练习")).to_be_checked()
    expect(bare.get_by_role("group", name="限时")).to_be_visible()
    bare.close()
    page = context.new_page()
    page.goto(site + QUIZ)
    expect(page.get_by_role("group", name="限时")).to_be_hidden()
    page.get_by_label("考试模式").check()
    page.get_by_label("10 分钟").check()
    page.get_by_role("button", name="开始答题").click()
    expect(page.get_by_text("剩余")).to_be_visible()
    attempt = current_attempt()
    assert attempt.deadline - attempt.started_at == timedelta(minutes=10)
    context.close()
