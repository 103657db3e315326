"""A new learner turns their own notes into a set and studies it, in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, look, ready
from tests.generator.test_generate import BIOLOGY

pytestmark = pytest.mark.browser


def test_paste_notes_review_and_study(page, site):
    page.goto(site + "/accounts/signup/?next=/sets/new/")
    page.get_by_label("用户名").fill("zixue")
    page.locator("input[name=password1]").fill("长城-Great-wall-9")
    page.locator("input[name=password2]").fill("长城-Great-wall-9")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="用自己的笔记生成学习集")).to_be_visible()
    assert_accessible(page)
    look(page, "generator-new")

    page.get_by_label("学习集标题").fill("细胞生物学")
    page.get_by_label("粘贴笔记").fill(BIOLOGY)
    page.get_by_role("button", name="生成学习集").click()
    expect(page.get_by_role("heading", name="审核生成的内容\uff1a细胞生物学")).to_be_visible()
    expect(page.get_by_text("出处\uff1a").first).to_be_visible()
    assert_accessible(page)
    look(page, "generator-review")

    ready(page)
    first = page.locator(".review-item").first
    first.get_by_role("button", name="接受").click()
    expect(page.get_by_role("status").filter(has_text="已接受")).to_have_count(1)
    page.get_by_role("button", name="全部接受").click()
    expect(page.get_by_text("都审核完了")).to_be_visible()

    page.get_by_role("link", name="都审核完了\uff0c去学习").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("细胞生物学")
    expect(page.get_by_text("私有")).to_be_visible()
    page.get_by_role("button", name="生成分享链接").click()
    assert "/sets/shared/" in page.get_by_label("分享链接").input_value()

    page.get_by_role("link", name="开始问答").click()
    page.get_by_role("button", name="开始答题").click()
    expect(page.get_by_text("第 1 题 / 共")).to_be_visible()
    page.goto(page.url.split("/quiz/")[0] + "/flashcards/")
    expect(page.locator("#card-front")).to_be_visible()


def test_practice_page(page, site, django_user_model):
    from notes.models import StudySet
    from tests.factories import make_finished_attempt

    user = django_user_model.objects.create_user("lianxi", password="长城-Great-wall-9")
    make_finished_attempt(user, StudySet.objects.get(slug="da-mo-xing"), wrong={201, 205})
    page.goto(site + "/accounts/login/?next=/me/practice/")
    page.get_by_label("用户名").fill("lianxi")
    page.locator("input[name=password]").fill("长城-Great-wall-9")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="智能练习")).to_be_visible()
    assert_accessible(page)
    look(page, "practice")
    page.get_by_role("button", name="开始智能练习").click()
    expect(page.get_by_text("第 1 题 / 共")).to_be_visible()


def log_in(page, site, user, next_url: str) -> None:
    page.goto(f"{site}/accounts/login/?next={next_url}")
    page.get_by_label("用户名").fill(user.username)
    page.locator("input[name=password]").fill("长城-Great-wall-9")
    page.keyboard.press("Enter")
    page.wait_for_url(site + next_url)


def test_progress_page_polls_until_the_set_is_ready(page, site, django_user_model):
    """With the database backend a job waits for the worker: the page shows it
    waiting, then (the worker having run it) takes the learner to the review."""
    from generator import tasks
    from generator.models import Generation

    user = django_user_model.objects.create_user("dengdai", password="长城-Great-wall-9")
    generation = Generation.objects.create(owner=user, title="细胞生物学", notes=BIOLOGY)
    log_in(page, site, user, generation.get_absolute_url())
    expect(page.get_by_role("heading", name="生成学习集\uff1a细胞生物学")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("排队中")
    expect(page.get_by_role("progressbar", name="生成进度")).to_be_visible()
    expect(page.get_by_role("link", name="刷新")).to_be_visible()
    assert_accessible(page)
    look(page, "generator-progress")

    ready(page)
    Generation.objects.filter(pk=generation.pk).update(progress=70, status="running")
    expect(page.get_by_role("status")).to_contain_text("正在保存学习集……70%")
    Generation.objects.filter(pk=generation.pk).update(progress=0, status="queued")
    tasks.generate.call(generation.pk)  # what `manage.py db_worker` does
    expect(page.get_by_role("heading", name="审核生成的内容\uff1a细胞生物学")).to_be_visible()
    expect(page.get_by_text("请审核")).to_be_visible()


def test_a_failed_generation_says_why_and_retries(page, site, django_user_model):
    from generator.models import Generation

    user = django_user_model.objects.create_user("chongshi", password="长城-Great-wall-9")
    generation = Generation.objects.create(
        owner=user,
        title="细胞生物学",
        notes=BIOLOGY,
        status="failed",
        error="模型服务没有响应\uff0c请稍后重试。",
    )
    log_in(page, site, user, generation.get_absolute_url())
    expect(page.get_by_role("alert").filter(has_text="模型服务没有响应")).to_be_visible()
    assert_accessible(page)
    look(page, "generator-failed")

    page.get_by_role("link", name="修改笔记").click()
    expect(page.get_by_label("学习集标题")).to_have_value("细胞生物学")
    expect(page.get_by_label("粘贴笔记")).to_have_value(BIOLOGY)
    page.go_back()
    page.get_by_role("button", name="重试").click()  # the immediate backend runs it at once
    expect(page.get_by_role("heading", name="审核生成的内容\uff1a细胞生物学")).to_be_visible()


def test_review_filters_and_sticky_bar(page, site, django_user_model):
    """Filters work as links; the bar with 全部接受 and the counts stays in view;
    accepting one item updates the counts in place."""
    user = django_user_model.objects.create_user("shenhe", password="长城-Great-wall-9")
    log_in(page, site, user, "/sets/new/")
    page.get_by_label("学习集标题").fill("细胞生物学")
    page.get_by_label("粘贴笔记").fill(BIOLOGY)
    page.get_by_role("button", name="生成学习集").click()
    expect(page.get_by_role("heading", name="审核生成的内容\uff1a细胞生物学")).to_be_visible()
    bar = page.locator("#review-counts")
    counts = bar.locator(".review-bar__counts")
    total = int(counts.inner_text().split("待审核 ")[1].split(" 项")[0])
    assert page.locator(".review-item").count() == total
    # One primary button on the page: 全部接受.
    primary = page.locator("main button.button:not(.button--secondary), main a.button")
    expect(primary).to_have_count(1)
    expect(primary).to_have_text("全部接受")
    assert_accessible(page)
    look(page, "generator-review-all")

    # The bar stays on screen at the bottom of the list (sticky).
    page.locator(".review-item").last.scroll_into_view_if_needed()
    expect(bar).to_be_in_viewport()
    expect(bar.get_by_role("button", name="全部接受")).to_be_in_viewport()

    ready(page)
    page.locator(".review-item").first.get_by_role("button", name="接受", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="已接受")).to_have_count(1)
    expect(counts).to_contain_text(f"待审核 {total - 1} 项")
    expect(counts).to_contain_text("已接受 1 项")

    page.get_by_role("navigation", name="筛选").get_by_role("link", name="题目").click()
    expect(page.get_by_role("link", name="题目")).to_have_attribute("aria-current", "page")
    expect(page.locator("[id^=card-]")).to_have_count(0)
    expect(page.locator("[id^=question-]").first).to_be_visible()
    look(page, "generator-review-questions")

    page.get_by_role("link", name="已接受").click()
    expect(page.locator(".review-item")).to_have_count(1)
    expect(page.locator(".review-item").get_by_role("button", name="接受")).to_have_count(0)
    assert_accessible(page)
    look(page, "generator-review-accepted")
