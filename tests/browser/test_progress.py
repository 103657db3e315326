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

    page.get_by_label("每天新内容数").fill("12")
    page.get_by_label("题目顺序").select_option("random")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("学习偏好已保存")
    expect(page.get_by_label("每天新内容数")).to_have_value("12")


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


def test_the_calendar_opens_on_today_on_a_phone(page, site, django_user_model):
    from notes.models import StudySet

    user = django_user_model.objects.create_user("shouji", password="长城-Great-wall-9")
    generate_history(user, StudySet.objects.get(slug="da-mo-xing"), days=10)
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, site, "shouji", "/me/")
    scroller = page.locator(".heatmap-scroll")
    expect(scroller).to_be_visible()
    box = scroller.bounding_box()
    sizes = scroller.evaluate("el => [el.scrollWidth, el.clientWidth, el.scrollLeft]")
    assert sizes[0] > sizes[1] + 200, sizes  # a year does not fit: it scrolls
    today = scroller.locator("rect").last
    cell = today.bounding_box()
    assert box["x"] <= cell["x"], (box, cell)
    assert cell["x"] + cell["width"] <= box["x"] + box["width"], (box, cell)
    first_week = scroller.locator("rect").first.bounding_box()
    assert first_week["x"] < box["x"]  # a year ago is off to the left, a swipe away
    # Scrolling to the far left shows the start of the year, and back.
    scroller.evaluate("el => el.scrollBy({left: -10000})")
    assert scroller.locator("rect").first.bounding_box()["x"] >= box["x"]


def test_a_single_quiz_is_a_point_with_its_value(page, site, django_user_model):
    from notes.models import StudySet

    user = django_user_model.objects.create_user("yici", password="长城-Great-wall-9")
    study_set = StudySet.objects.get(slug="da-mo-xing")
    attempt = make_finished_attempt(
        user, study_set, wrong=set(study_set.questions.values_list("pk", flat=True)[:3])
    )
    log_in(page, site, "yici", "/me/")
    chart = page.get_by_role("img", name="大模型\uff1a测验得分变化")
    expect(chart).to_be_visible()
    dot = chart.locator(".chart__dot")
    expect(dot).to_have_count(1)
    assert dot.bounding_box()["width"] >= 8
    expect(chart.locator(".chart__value")).to_have_text("81%")
    chart.scroll_into_view_if_needed()
    look(page, "me-single-quiz")
    history = page.get_by_role("group").filter(has_text="历次测验")
    history.get_by_role("link").first.click()
    expect(page).to_have_url(f"{site}/sets/da-mo-xing/quiz/{attempt.pk}/results/")


def test_practice_and_mistakes_pages(page, site, django_user_model):
    from notes.models import StudySet

    user = django_user_model.objects.create_user("lianxi", password="长城-Great-wall-9")
    generate_history(user, StudySet.objects.get(slug="da-mo-xing"), days=6)
    log_in(page, site, "lianxi", "/me/practice/")
    expect(page.get_by_role("heading", name="智能练习")).to_be_visible()
    assert_accessible(page)
    look(page, "me-practice")
    page.goto(site + "/me/mistakes/")
    expect(page.get_by_role("heading", name="错题本")).to_be_visible()
    assert_accessible(page)
    look(page, "me-mistakes")


def test_practising_mistakes_and_the_smart_plan_opens_the_quiz(page, site, django_user_model):
    from notes.models import StudySet

    user = django_user_model.objects.create_user("cuoti", password="长城-Great-wall-9")
    make_finished_attempt(user, StudySet.objects.get(slug="da-mo-xing"), wrong={201, 202})
    log_in(page, site, "cuoti", "/me/mistakes/")
    page.get_by_role("button", name="练习这些错题").click()
    expect(page.get_by_text("第 1 题 / 共 2 题")).to_be_visible()
    assert page.url == f"{site}/sets/da-mo-xing/quiz/"
    assert_accessible(page)
    look(page, "mistakes-practice-quiz")
    page.goto(site + "/me/practice/")
    page.get_by_role("button", name="开始智能练习").click()
    expect(page.get_by_text("第 1 题 / 共")).to_be_visible()
    assert page.url == f"{site}/sets/da-mo-xing/quiz/"
