"""Reading the notes: contents, search and glossary in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, look, ready

pytestmark = pytest.mark.browser


def test_contents_jump_to_a_sub_section(page, site):
    page.goto(site + "/sets/da-mo-xing/notes/")
    toc = page.get_by_role("navigation", name="目录")
    toc.get_by_role("link", name="推理优化").click()
    expect(page).to_have_url(re.compile("#%E5%85%B3|#关键技术-推理优化"))
    expect(page.locator("[id='关键技术-推理优化']")).to_be_in_viewport()
    assert_accessible(page)


def test_contents_are_folded_on_a_phone_and_open_with_the_keyboard(page, site):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site + "/sets/da-mo-xing/notes/")
    ready(page)
    summary = page.locator(".toc summary")
    link = page.get_by_role("navigation", name="目录").get_by_role("link", name="应用领域")
    expect(link).to_be_hidden()
    summary.focus()
    page.keyboard.press("Enter")
    expect(link).to_be_visible()
    link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile("^应用领域"))).to_be_in_viewport()


def test_heading_link_points_at_its_heading(page, site):
    page.goto(site + "/sets/da-mo-xing/notes/")
    link = page.get_by_role("link", name="「面临的挑战」的链接")
    link.click()
    expect(page).to_have_url(re.compile("#%E9%9D%A2|#面临的挑战"))


def test_search_as_you_type_and_land_on_the_bullet(page, site):
    page.goto(site + "/search/")
    ready(page)
    box = page.get_by_role("searchbox", name="搜索笔记、题目和抽认卡")
    box.press_sequentially("量化", delay=50)
    results = page.locator("#search-results")
    expect(results.locator("mark").first).to_have_text("量化")
    expect(page).to_have_url(re.compile(r"/search/\?q="))  # shareable as you type
    assert_accessible(page)
    look(page, "search")
    results.get_by_role("link", name=re.compile("关键技术")).first.click()
    target = page.locator("[id='关键技术-模型压缩']")
    expect(target).to_be_in_viewport()
    expect(target).to_contain_text("剪枝、量化和知识蒸馏")
    assert page.evaluate("decodeURIComponent(location.hash)") == "#关键技术-模型压缩"


def test_search_by_pinyin_initials_from_the_header(page, site):
    page.goto(site + "/")
    page.get_by_role("searchbox", name="搜索").fill("dmx")
    page.keyboard.press("Enter")
    expect(page.locator("#search-results mark").first).to_have_text("大模型")


def test_glossary_term_shows_its_card_on_hover_and_focus(page, site):
    page.goto(site + "/sets/da-mo-xing/notes/")
    ready(page)
    section = page.locator("section", has=page.get_by_role("heading", name=re.compile("^关键技术")))
    term = section.locator("a.term", has_text="模型压缩")
    expect(term).to_have_count(1)
    tip = term.locator("xpath=following-sibling::span[1]")
    expect(tip).to_be_hidden()
    term.hover()
    expect(tip).to_be_visible()
    expect(tip).to_contain_text("剪枝、量化和知识蒸馏")
    expect(term).to_have_accessible_description(re.compile("降低模型的计算和存储成本"))
    page.mouse.move(0, 0)
    expect(tip).to_be_hidden()

    term.focus()
    page.keyboard.press("Tab")  # move on, then come back with the keyboard
    page.keyboard.press("Shift+Tab")
    expect(term).to_be_focused()
    expect(tip).to_be_visible()
    look(page, "glossary")
    page.keyboard.press("Escape")
    expect(tip).to_be_hidden()


OVERVIEW = "/sets/da-mo-xing/"
PARTS = ("#part-podcast", "#part-quiz", "#part-cards", "#part-notes")


def part_boxes(page) -> list[dict]:
    return [page.locator(f"section[aria-labelledby='{part[1:]}']").bounding_box() for part in PARTS]


def test_the_set_page_grid_has_no_hole_under_the_podcast_card(page, site):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site + OVERVIEW)
    ready(page)
    podcast, quiz, cards, notes = part_boxes(page)
    # Two columns: the podcast card, then the next card below it, a gap apart;
    # every column ends within a line of the other (no empty half card).
    columns: dict[float, list[dict]] = {}
    for box in (podcast, quiz, cards, notes):
        columns.setdefault(round(box["x"]), []).append(box)
    assert len(columns) == 2
    for column in columns.values():
        column.sort(key=lambda box: box["y"])
        for upper, lower in zip(column, column[1:], strict=False):
            assert lower["y"] - (upper["y"] + upper["height"]) <= 24  # the grid's gap
    bottoms = [column[-1]["y"] + column[-1]["height"] for column in columns.values()]
    assert abs(bottoms[0] - bottoms[1]) <= 2
    assert_accessible(page)
    look(page, "overview-desktop")


def test_on_a_phone_the_four_parts_come_first_and_the_questions_fold(page, site):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site + OVERVIEW)
    ready(page)
    questions = page.locator(".part__questions")
    first_question = questions.locator("li").first
    expect(first_question).to_be_hidden()
    # All four parts' titles are on the first two screens, in order.
    tops = [page.locator(part).bounding_box()["y"] for part in PARTS]
    assert tops == sorted(tops)
    assert tops[-1] < 2 * 844
    summary = questions.locator("summary")
    expect(summary).to_have_text(re.compile(r"^查看全部 \d+ 道题$"))
    summary.focus()
    page.keyboard.press("Enter")
    expect(first_question).to_be_visible()
    assert_accessible(page)
    summary.click()
    expect(first_question).to_be_hidden()
    look(page, "overview-phone")


def test_the_untitled_first_section_is_listed_as_an_overview(page, site):
    page.goto(site + OVERVIEW)
    notes = page.locator("section[aria-labelledby='part-notes']")
    expect(notes.locator(".part__list a").first).to_have_text("概述")
    expect(notes).not_to_contain_text("引言")
