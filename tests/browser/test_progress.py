"""/me/ with a few weeks of history, and the staff statistics, in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, look
from tests.factories import make_finished_attempt
from tests.progress.test_reports import generate_history

pytestmark = pytest.mark.browser


def log_in(page, site, username, next_url):
    page.goto(f"{site}/accounts/login/?next={next_url}")
    page.get_by_label("用户名").fill(username)
    page.locator("input[name=password]").fill("长城-Great-wall-9")
    page.keyboard.press("Enter")


def test_me_shows_charts_and_saves_preferences(page, site, django_user_model):
    from notes.models import StudySet

    user = django_user_model.objects.create_user("jilu", password="长城-Great-wall-9")
    generate_history(user, StudySet.objects.get(slug="da-mo-xing"), days=24)
    log_in(page, site, "jilu", "/me/")
    expect(page.get_by_role("heading", name="我的学习")).to_be_visible()
    expect(page.get_by_role("img", name="大模型\uff1a测验得分变化")).to_be_visible()
    expect(page.get_by_role("img", name="过去一年的学习日历")).to_be_visible()
    assert_accessible(page)
    look(page, "me")

    page.get_by_label("每天新卡数").fill("12")
    page.get_by_label("题目顺序").select_option("random")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("学习偏好已保存")
    expect(page.get_by_label("每天新卡数")).to_have_value("12")


def test_staff_statistics(page, site, django_user_model):
    from notes.models import StudySet

    study_set = StudySet.objects.get(slug="da-mo-xing")
    qids = list(study_set.questions.values_list("pk", flat=True))
    for n in range(8):
        learner = django_user_model.objects.create_user(f"s{n}", password="x")
        make_finished_attempt(learner, study_set, wrong=set(qids[: n + 1]))
    django_user_model.objects.create_user("teacher", password="长城-Great-wall-9", is_staff=True)
    log_in(page, site, "teacher", "/sets/da-mo-xing/stats/")
    expect(page.get_by_role("heading", name="题目分析\uff1a大模型")).to_be_visible()
    expect(page.get_by_text("太难").first).to_be_visible()
    assert_accessible(page)
    look(page, "stats")
