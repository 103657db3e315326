"""Searching from the header box: ranking, the query kept, results as you type."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, look, ready

pytestmark = pytest.mark.browser


def test_dmx_in_the_header_box_finds_da_mo_xing_first_and_keeps_the_query(page, site):
    page.goto(site + "/sets/da-mo-xing/")
    ready(page)
    page.get_by_role("searchbox", name="搜索").fill("dmx")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=dmx$"))
    hits = page.locator("#search-results .hit")
    expect(hits.first.locator("mark")).to_have_text("大模型")
    expect(hits.first).to_contain_text("学习集")
    expect(hits.nth(1).locator("mark")).to_have_text("大模型")
    expect(hits.nth(1)).to_contain_text("抽认卡")
    # One search box on the results page, and it holds the query.
    box = page.get_by_role("searchbox")
    expect(box).to_have_count(1)
    expect(box).to_have_value("dmx")
    assert_accessible(page)
    look(page, "search-dmx")
    hits.first.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/sets/da-mo-xing/$"))


def test_the_header_box_updates_the_results_as_you_type_with_full_width_punctuation(page, site):
    page.goto(site + "/search/?q=dmx")
    ready(page)
    box = page.get_by_role("searchbox", name="搜索")
    box.fill("")
    box.press_sequentially("大模型\uff0c训练", delay=50)
    results = page.locator("#search-results")
    expect(results).to_contain_text("「大模型\uff0c训练」共找到")
    expect(results.locator("mark", has_text="训练").first).to_be_visible()
    expect(page).to_have_url(re.compile(r"/search/\?q=%E5%A4%A7"))
    expect(box).to_be_focused()
    assert_accessible(page)
