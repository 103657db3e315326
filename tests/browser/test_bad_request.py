"""Requests the site cannot serve: the learner sees why, in Chinese, and nothing is stored."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from notes.models import StudySet
from tests.browser.conftest import assert_accessible, look

pytestmark = pytest.mark.browser


def test_notes_pasted_over_the_body_limit(page, site, django_user_model, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 20_000
    django_user_model.objects.create_user("dabiao", password="长城-Great-wall-9")
    page.goto(site + "/accounts/login/?next=/sets/new/")
    page.get_by_label("用户名").fill("dabiao")
    page.locator("input[name=password]").fill("长城-Great-wall-9")
    page.keyboard.press("Enter")
    page.get_by_label("学习集标题").fill("细胞生物学")
    # About 60 KB once form-encoded (each hanzi is 9 bytes: %E7%BA%BF), pasted at once.
    notes = "- 线粒体：细胞的能量工厂。\n" * 500
    page.get_by_label("粘贴笔记").evaluate("(field, text) => { field.value = text; }", notes)
    page.get_by_role("button", name="生成学习集").click()

    expect(page.get_by_role("heading", name="请求无效")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("提交的内容太大（最多 19 KB）")
    assert_accessible(page)
    look(page, "bad-request")
    assert not StudySet.objects.filter(title="细胞生物学").exists()


def test_a_dead_share_link_says_why(page, site):
    page.goto(site + "/sets/shared/withdrawn-token-1234/")
    expect(page.get_by_role("heading", name="分享链接已失效")).to_be_visible()
    assert_accessible(page)
    look(page, "share-gone")
