"""The whole 大模型 quiz with the keyboard alone, in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from quizzes.models import Attempt
from tests.browser.conftest import assert_accessible, look, ready
from tests.browser.test_progress import log_in
from tests.factories import make_finished_attempt

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


def first_field(page, item):
    """Where focus starts on a question: its first option, or the blank."""
    if item.is_fill_blank:
        return page.get_by_label("你的答案")
    return page.locator("#answer-form input[name=choices]").first


def take_quiz(page, *, wrong_positions=frozenset(), screens=False, go_on="Enter") -> Attempt:
    """Answer each question with the keys, then go on with `go_on` (Enter or Space)."""
    attempt = current_attempt()
    progress = page.locator("#quiz-progress progress")
    for item in attempt.item_list:
        expect(
            page.get_by_text(f"第 {item.number} 题 / 共 {attempt.question_count} 题")
        ).to_be_visible()
        if item.position == 0:
            # Only now is this the quiz page: the page before it was "ready" too.
            ready(page)
        expect(page.locator("#question-title")).to_have_text(item.prompt)
        # Every question, the first (autofocus) and each swapped in: focus is on its
        # first option, in a group named by the question, before any key is pressed.
        expect(first_field(page, item)).to_be_focused()
        expect(page.locator("#answer-form fieldset")).to_have_accessible_name(item.prompt)
        expect(progress).to_have_attribute("value", str(item.position))
        if screens and item.position == 0:
            assert_accessible(page)
            look(page, "quiz-question")
        right = item.position not in wrong_positions
        answer_with_keys(page, item, right=right)
        status = page.get_by_role("status")
        expect(status).to_contain_text("正确" if right else "错误")
        expect(status).to_contain_text("✓ 正确" if right else "✗ 错误")
        # The bar counts the answer as soon as its verdict is shown.
        expect(progress).to_have_attribute("value", str(item.number))
        if screens and item.position in {0, 1}:
            assert_accessible(page)
            look(page, f"quiz-verdict-{'right' if right else 'wrong'}")
        next_button = page.get_by_role(
            "button", name="查看结果" if item.number == attempt.question_count else "下一题"
        )
        expect(next_button).to_be_focused()
        page.keyboard.press(go_on)
    return attempt


def test_whole_quiz_by_keyboard_then_retry_and_keep_it_by_signing_up(page, site):
    page.goto(site + "/sets/da-mo-xing/quiz/")
    assert_accessible(page)
    look(page, "quiz-start")
    start = page.get_by_role("button", name="开始答题")
    expect(start).to_be_focused()  # autofocus: Enter starts
    expect(page.get_by_label("题数")).to_have_value("all")
    expect(page.get_by_label("按学习集顺序")).to_be_checked()
    page.keyboard.press("Enter")
    expect(page.get_by_text("第 1 题 / 共 16 题")).to_be_visible()

    attempt = take_quiz(page, wrong_positions=WRONG_POSITIONS, screens=True)

    expect(page.get_by_role("heading", name="答题结果")).to_be_visible()
    expect(page.get_by_role("heading", name="14 / 16")).to_be_visible()
    # Per section, weakest first: the two misses' sections lead, each links to its notes.
    missed = [attempt.item_list[p] for p in sorted(WRONG_POSITIONS)]
    sections = page.locator(".section-score")
    first_two = {
        sections.nth(0).get_by_role("link").inner_text(),
        sections.nth(1).get_by_role("link").inner_text(),
    }
    assert {item.note_title for item in missed} <= first_two
    expect(sections.first).to_contain_text("✗ 答对")
    expect(sections.first.get_by_role("link")).to_have_attribute(
        "href",
        next(
            i.note_url
            for i in missed
            if i.note_title == sections.nth(0).get_by_role("link").inner_text()
        ),
    )
    # Misses open in red with ✗; right answers folded, ✓.
    review = page.locator(".review__item")
    expect(review).to_have_count(16)
    for item in attempt.item_list:
        details = review.nth(item.position)
        if item.position in WRONG_POSITIONS:
            expect(details).to_have_attribute("open", "")
            expect(details).to_contain_text("✗ 错误")
        else:
            expect(details).not_to_have_attribute("open", "")
            expect(details).to_contain_text("✓ 正确")
    # The verdict shares the fold marker's line (it once sat on a line of its own).
    summary = review.nth(0).locator("summary").bounding_box()
    verdict = review.nth(0).locator(".review__verdict").bounding_box()
    assert verdict["x"] > summary["x"] + 8, (summary, verdict)
    # One primary action: 再做一遍 is drawn as a secondary (outlined) button.
    again = page.get_by_role("button", name="再做一遍全部题目")
    expect(again).to_have_css("background-color", "rgba(0, 0, 0, 0)")
    expect(page.get_by_role("button", name=re.compile("只练错题"))).not_to_have_css(
        "background-color", "rgba(0, 0, 0, 0)"
    )
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
    page.get_by_role("button", name="下一题").click()
    expect(page.get_by_text("第 2 题 / 共 16 题")).to_be_visible()
    # 放弃 asks on a page of its own, then discards.
    page.get_by_role("link", name="放弃本次\uff0c重新开始").click()
    expect(page.get_by_role("heading", name="放弃本次答题\uff1f")).to_be_visible()
    expect(page.get_by_text("第 2 题 / 共 16 题")).to_be_visible()
    page.get_by_role("link", name="继续答题").click()
    expect(page.get_by_role("heading", name="放弃本次答题\uff1f")).to_have_count(0)
    page.get_by_role("link", name="放弃本次\uff0c重新开始").click()
    page.get_by_role("button", name="放弃\uff0c重新开始").click()
    expect(page.get_by_role("button", name="开始答题")).to_be_visible()
    assert not Attempt.objects.filter(status="in_progress").exists()
    context.close()


def test_start_options_and_discard_confirm_by_keyboard(page, site):
    page.goto(site + "/sets/da-mo-xing/quiz/")
    ready(page)
    # 题数 and 顺序 by keyboard: Shift+Tab back from 开始答题 into the form.
    page.get_by_label("题数").focus()
    page.keyboard.press("ArrowDown")  # 全部 → 10 题
    expect(page.get_by_label("题数")).to_have_value("10")
    page.get_by_label("随机顺序").focus()
    page.keyboard.press("Space")
    expect(page.get_by_label("随机顺序")).to_be_checked()
    page.get_by_role("button", name="开始答题").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("第 1 题 / 共 10 题")).to_be_visible()
    ready(page)
    attempt = current_attempt()
    item = attempt.item_list[0]
    expect(first_field(page, item)).to_be_focused()
    answer_with_keys(page, item, right=True)
    expect(page.get_by_role("status")).to_contain_text("✓ 正确")

    # 放弃本次，重新开始 asks first; 继续答题 has focus and changes nothing.
    restart = page.get_by_role("link", name="放弃本次\uff0c重新开始")
    restart.focus()
    page.keyboard.press("Enter")
    confirm = page.get_by_role("region", name="放弃本次答题\uff1f")
    expect(confirm).to_contain_text("已答的 1 题不计成绩")
    keep = page.get_by_role("link", name="继续答题")
    expect(keep).to_be_focused()
    assert_accessible(page)
    look(page, "quiz-discard-confirm")
    page.keyboard.press("Enter")
    expect(confirm).to_have_count(0)
    expect(restart).to_be_focused()
    attempt.refresh_from_db()
    assert attempt.is_open

    # Asked again, this time Tab to 放弃 and confirm: back at the start screen.
    page.keyboard.press("Enter")
    expect(keep).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="放弃\uff0c重新开始")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="开始答题")).to_be_focused()
    expect(page.get_by_label("题数")).to_have_value("all")  # anonymous: nothing stored
    attempt.refresh_from_db()
    assert attempt.status == "abandoned"


def test_a_key_pressed_as_the_next_question_arrives_keeps_its_focus(page, site):
    """The flake's cause: focus moved at htmx's settle, 20 ms after the swap, undoing
    a key pressed in between, so the next Enter went nowhere. The quiz's swaps now
    settle in the swap's own task, so nothing moves focus after the question appears,
    and what is focused is already wired to htmx."""
    page.goto(site + "/sets/da-mo-xing/quiz/")
    ready(page)
    page.keyboard.press("Enter")  # 开始答题
    expect(page.get_by_text("第 1 题 / 共 16 题")).to_be_visible()
    ready(page)
    answer_with_keys(page, current_attempt().item_list[0], right=True)
    expect(page.get_by_role("button", name="下一题")).to_be_focused()
    # As fast a learner as possible: a number key the instant question 2 is on screen
    # (the first task after the swap), and a mark to tell if the page is reloaded.
    page.evaluate(
        """() => {
            window.samePage = true;
            document.addEventListener("htmx:afterSwap", () => setTimeout(() => {
                const inputs = document.querySelectorAll("#answer-form input");
                inputs[inputs.length - 1].focus();
                inputs[inputs.length - 1].click();
            }), {once: true});
        }"""
    )
    page.keyboard.press("Enter")
    expect(page.get_by_text("第 2 题 / 共 16 题")).to_be_visible()
    last = page.locator("#answer-form input").last
    expect(last).to_be_focused()
    expect(last).to_be_checked()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text(re.compile("✓ 正确|✗ 错误"))
    assert page.evaluate("window.samePage") is True  # answered by htmx, not a reload


def test_a_short_quiz_goes_on_with_space_as_in_anki(page, site):
    """Number keys pick, Enter submits, Space goes on (as in 今日学习), to the results."""
    page.goto(site + "/sets/da-mo-xing/quiz/")
    ready(page)
    page.get_by_label("题数").select_option("10")
    page.get_by_role("button", name="开始答题").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("第 1 题 / 共 10 题")).to_be_visible()
    take_quiz(page, wrong_positions={3}, go_on="Space")
    expect(page.get_by_role("heading", name="答题结果")).to_be_visible()
    expect(page.get_by_role("heading", name="9 / 10")).to_be_visible()


def test_the_next_button_shows_its_key(page, site):
    page.goto(site + "/sets/da-mo-xing/quiz/")
    ready(page)
    page.keyboard.press("Enter")  # 开始答题
    expect(page.get_by_text("第 1 题 / 共 16 题")).to_be_visible()
    ready(page)
    answer_with_keys(page, current_attempt().item_list[0], right=True)
    next_button = page.get_by_role("button", name="下一题", exact=True)
    expect(next_button).to_be_focused()
    # The key on the button, as in 今日学习; screen readers hear only 下一题.
    expect(next_button.locator("kbd.key-hint")).to_have_text("空格")
    page.evaluate("window.samePage = true")
    page.keyboard.press("Space")
    expect(page.get_by_text("第 2 题 / 共 16 题")).to_be_visible()
    assert page.evaluate("window.samePage") is True  # swapped in by htmx, not a reload


ON_MORE_THAN_ONE_LINE = """selector => [...document.querySelectorAll(selector)].filter(cell => {
    const range = document.createRange();
    range.selectNodeContents(cell);
    return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > 1;
}).map(cell => cell.textContent.trim())"""


def test_history_headers_keep_to_one_line_on_a_phone(page, site, django_user_model):
    """用时 once wrapped one character a line at 390 px; 类型 and 用时 stay whole too."""
    from notes.models import StudySet

    user = django_user_model.objects.create_user("lishi", password="长城-Great-wall-9")
    study_set = StudySet.objects.get(slug="da-mo-xing")
    # The widest cells: the longest type, minutes and seconds of two digits, an hour.
    make_finished_attempt(user, study_set, mode="mistakes", seconds=130)
    make_finished_attempt(user, study_set, mode="exam", seconds=240)
    make_finished_attempt(user, study_set, seconds=4)
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, site, "lishi", "/sets/da-mo-xing/quiz/")
    expect(page.get_by_role("heading", name="答题历史")).to_be_visible()
    history = page.locator(".history-table")
    expect(history).to_contain_text("错题本练习")
    expect(history).to_contain_text("34 分 40 秒")
    expect(history).to_contain_text("1 小时 4 分")
    assert page.evaluate(ON_MORE_THAN_ONE_LINE, "main thead th") == []
    whole = ".history-table td:nth-child(2), .history-table td:nth-child(4), .history-table td span"
    assert page.evaluate(ON_MORE_THAN_ONE_LINE, whole) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 720})
    look(page, "quiz-start-history")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site + "/me/")
    expect(page.get_by_role("heading", name="我的学习")).to_be_visible()
    assert page.evaluate(ON_MORE_THAN_ONE_LINE, "main thead th") == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
