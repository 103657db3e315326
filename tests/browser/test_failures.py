"""When a save fails (server busy, refused, connection lost) the learner is told,
keeps their choice, and one more 提交 stores the answer once."""

from __future__ import annotations

import pytest
from django.conf import settings
from playwright.sync_api import expect

from harness.locks import write_lock
from harness.servers import database_url
from quizzes.models import Answer, Attempt
from tests.browser.conftest import assert_accessible, look, ready

pytestmark = pytest.mark.browser


@pytest.fixture
def chosen(page, site):
    """The first question with its right answer chosen but not yet submitted."""
    page.goto(site + "/sets/da-mo-xing/quiz/")
    page.get_by_role("button", name="开始答题").click()
    expect(page.get_by_text("第 1 题 / 共 16 题")).to_be_visible()
    ready(page)
    attempt = Attempt.objects.filter(status="in_progress").latest("pk")
    return attempt, choose_right(page, attempt.item_list[0])


def choose_right(page, item):
    """Fill in or tick the right answer; return the (last) field touched."""
    if item.is_fill_blank:
        field = page.get_by_label("你的答案")
        field.fill(item.right_texts[0])
        return field
    rights = [o.text for o in item.options if o.correct][: 99 if item.is_multiple else 1]
    for text in rights:
        field = page.locator("label.option", has_text=text).locator("input")
        field.check()
    return field


def still_chosen(field) -> None:
    if field.get_attribute("type") == "text":
        expect(field).not_to_have_value("")
    else:
        expect(field).to_be_checked()
    expect(field).to_be_enabled()


def submit_succeeds(page, attempt) -> None:
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("status")).to_contain_text("正确")
    expect(page.locator("#request-error")).to_be_hidden()
    assert Answer.objects.filter(attempt=attempt).count() == 1


def test_busy_database_says_not_saved_and_the_retry_stores_once(page, chosen):
    attempt, field = chosen
    with write_lock(database_url(), seconds=settings.DATABASE_LOCK_TIMEOUT + 3):
        page.get_by_role("button", name="提交").click()
        alert = page.locator("#request-error")
        expect(alert).to_be_visible(timeout=15_000)
        expect(alert).to_contain_text("未保存\uff0c请重试\uff1a服务器正忙")
        still_chosen(field)
        look(page, "quiz-busy")
        assert not Answer.objects.filter(attempt=attempt).exists()
    submit_succeeds(page, attempt)


def test_lost_connection_says_not_saved_and_keeps_the_choice(page, chosen):
    attempt, field = chosen
    page.context.set_offline(True)
    page.get_by_role("button", name="提交").click()
    expect(page.locator("#request-error")).to_contain_text("未保存\uff0c请重试\uff1a网络连接中断")
    still_chosen(field)
    assert not Answer.objects.filter(attempt=attempt).exists()
    page.context.set_offline(False)
    submit_succeeds(page, attempt)


def test_a_refusal_shows_the_servers_reason(page, chosen):
    attempt, field = chosen
    # Another tab started a new quiz, which abandons this one.
    Attempt.objects.filter(pk=attempt.pk).update(status="abandoned")
    page.get_by_role("button", name="提交").click()
    alert = page.locator("#request-error")
    expect(alert).to_contain_text("未保存\uff1a这次测验已经结束\uff0c不能再提交答案。")
    still_chosen(field)
    assert not Answer.objects.filter(attempt=attempt).exists()


def test_a_stale_token_after_logging_in_elsewhere_refreshes_the_page(page, chosen, site, learner):
    """Logging in in another tab rotates the CSRF token; this tab's htmx request
    then carries the old one. The server saves nothing and asks for a refresh,
    so the learner sees a working page (now logged in), not a broken fragment."""
    attempt, _field = chosen
    other_tab = page.context.new_page()
    other_tab.goto(f"{site}/accounts/login/")
    other_tab.get_by_label("用户名").fill(learner.username)
    other_tab.locator("input[name=password]").fill("s3cret-pass-学习")
    other_tab.keyboard.press("Enter")
    expect(other_tab.get_by_role("button", name="退出")).to_be_visible()
    other_tab.close()

    with page.expect_navigation():  # HX-Refresh: a full reload
        page.get_by_role("button", name="提交").click()
    assert not Answer.objects.filter(attempt=attempt).exists()
    expect(page.get_by_role("button", name="退出")).to_be_visible()
    expect(page.get_by_text("第 1 题 / 共 16 题")).to_be_visible()
    ready(page)
    attempt.refresh_from_db()
    assert attempt.user == learner  # the anonymous attempt moved to the account
    choose_right(page, attempt.item_list[0])
    submit_succeeds(page, attempt)


def test_a_plain_form_post_during_a_lock_gets_the_503_page(page, chosen):
    """Without htmx (no JavaScript, or htmx not loaded yet) the browser shows the
    503 page itself: it must say what happened and be accessible."""
    attempt, _field = chosen
    with write_lock(database_url(), seconds=settings.DATABASE_LOCK_TIMEOUT + 3):
        with page.expect_navigation():
            # form.submit() skips htmx's submit handler: an ordinary POST.
            page.evaluate("document.getElementById('answer-form').submit()")
        expect(page.get_by_role("heading", name="服务器正忙")).to_be_visible()
        expect(page.get_by_role("alert")).to_contain_text("未保存\uff0c请重试")
        assert_accessible(page)
        look(page, "busy-503")
    assert not Answer.objects.filter(attempt=attempt).exists()
    page.go_back()  # as the page says: back to the question, submit again
    ready(page)
    choose_right(page, attempt.item_list[0])
    submit_succeeds(page, attempt)
