"""A new learner walks the site in a real browser; every page passes axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, look

pytestmark = pytest.mark.browser


def test_walk_home_to_set_to_every_part(page, site, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    page.goto(site + "/")
    expect(page).to_have_title(re.compile("学习集"))
    assert_accessible(page)
    look(page, "home")

    page.get_by_role("link", name="大模型").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("大模型")
    for part in ("播客", "问答", "抽认卡", "学习笔记"):
        expect(page.get_by_role("heading", name=part, level=2)).to_be_visible()
    assert_accessible(page)
    look(page, "overview")
    overview = page.url

    for link, heading in [
        ("问答", "问答\uff1a大模型"),
        ("抽认卡", "抽认卡\uff1a大模型"),
        ("播客", "播客\uff1a大模型"),
    ]:
        page.goto(overview)
        page.get_by_role("heading", level=2).get_by_role("link", name=link).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert_accessible(page)

    page.goto(overview)

    page.get_by_role("link", name="阅读学习笔记").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("学习笔记\uff1a大模型")
    expect(page.get_by_role("heading", name="关键技术")).to_be_visible()
    expect(page.get_by_text("蛋白质结构预测\uff1a预测蛋白质的三维结构。")).to_be_visible()
    assert_accessible(page)
    look(page, "notes")


def test_section_link_on_the_overview_lands_on_its_heading(page, site):
    page.goto(site + "/sets/da-mo-xing/")
    page.get_by_role("link", name="面临的挑战").click()
    expect(page).to_have_url(re.compile("#%E9%9D%A2|#面临的挑战"))
    expect(page.get_by_role("heading", name="面临的挑战")).to_be_in_viewport()


def test_sign_up_log_out_and_log_in_with_the_keyboard(page, site):
    page.goto(site + "/")
    page.get_by_role("link", name="注册").click()
    assert_accessible(page)
    look(page, "signup")
    page.get_by_label("用户名").fill("xiaohong")
    page.locator("input[name=password1]").fill("长城-Great-wall-9")
    page.locator("input[name=password2]").fill("长城-Great-wall-9")
    page.keyboard.press("Enter")
    expect(page.get_by_text("xiaohong")).to_be_visible()

    logout = page.get_by_role("button", name="退出")
    logout.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="登录")).to_be_visible()

    page.get_by_role("link", name="登录").click()
    assert_accessible(page)
    look(page, "login")
    page.get_by_label("用户名").fill("xiaohong")
    page.locator("input[name=password]").fill("长城-Great-wall-9")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="退出")).to_be_visible()

    page.get_by_role("link", name="xiaohong").click()  # the header's way to 我的学习
    page.get_by_role("link", name="修改密码").click()
    assert_accessible(page)


def test_skip_link_is_the_first_tab_stop(page, site):
    page.goto(site + "/sets/da-mo-xing/notes/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到正文")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#main$"))


def test_unknown_page_is_a_friendly_404(page, site):
    response = page.goto(site + "/sets/no-such-set/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("找不到页面")
    assert_accessible(page)


def test_nothing_private_is_left_in_the_browser_after_logout(page, site, learner):
    page.goto(f"{site}/accounts/login/?next=/me/")
    page.get_by_label("用户名").fill(learner.username)
    page.locator("input[name=password]").fill("s3cret-pass-学习")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="我的学习")).to_be_visible()
    # Whatever a script might have kept (the site itself stores nothing).
    page.evaluate("localStorage.setItem('private', '1'); sessionStorage.setItem('private', '1')")
    page.get_by_role("button", name="退出").click()
    expect(page.get_by_role("link", name="登录")).to_be_visible()

    assert page.evaluate("[localStorage.length, sessionStorage.length]") == [0, 0]
    assert "sessionid" not in {cookie["name"] for cookie in page.context.cookies()}
    # Back does not bring the private page out of a cache: it was never stored.
    page.go_back()
    expect(page.get_by_role("heading", name="我的学习")).to_have_count(0)
    expect(page.get_by_role("link", name="登录")).to_be_visible()
