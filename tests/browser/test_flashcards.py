"""Flashcards in a real browser: keyboard review with FSRS, and browsing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from flashcards.models import ReviewLog
from tests.browser.conftest import assert_accessible, look, ready

pytestmark = pytest.mark.browser


def log_in(page, site, django_user_model):
    django_user_model.objects.create_user("kapian", password="长城-Great-wall-9")
    page.goto(site + "/accounts/login/?next=/sets/da-mo-xing/flashcards/")
    page.get_by_label("用户名").fill("kapian")
    page.locator("input[name=password]").fill("长城-Great-wall-9")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="抽认卡\uff1a大模型")).to_be_visible()


def counts(page) -> tuple[str, str, str]:
    area = page.locator(".queue-counts")
    return tuple(
        area.locator(f".queue-counts__{kind} strong").inner_text()
        for kind in ("new", "learning", "review")
    )


def test_review_five_cards_with_the_keyboard_alone(page, site, django_user_model):
    log_in(page, site, django_user_model)
    ready(page)
    assert counts(page) == ("9", "0", "0")
    assert_accessible(page)
    look(page, "flashcards-front")
    for number, key in enumerate(["3", "1", "4", "2", "3"], start=1):
        front = page.locator("#card-front").inner_text()
        flip = page.locator(".flashcard__flip-button")
        expect(flip).to_be_focused()
        page.keyboard.press("Space")
        expect(page.locator(".flashcard__back")).to_be_visible()
        if number == 1:
            assert_accessible(page)
            look(page, "flashcards-back")
        page.keyboard.press(key)
        expect(page.get_by_role("status").filter(has_text="已记录")).to_have_count(1)
        expect(page.locator(".queue-counts__new strong")).to_have_text(str(9 - number))
        if key != "1":
            expect(page.locator("#card-front")).not_to_have_text(front)
    assert ReviewLog.objects.count() == 5
    assert list(ReviewLog.objects.values_list("rating", flat=True)) == [3, 1, 4, 2, 3]
    assert counts(page)[0] == "4"


def test_star_a_card_and_study_starred_only(page, site, django_user_model):
    log_in(page, site, django_user_model)
    front = page.locator("#card-front").inner_text()
    star = page.get_by_role("button", name="星标")
    expect(star).to_have_attribute("aria-pressed", "false")
    star.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="星标")).to_have_attribute("aria-pressed", "true")
    page.goto(site + "/sets/da-mo-xing/flashcards/?mode=study&starred=1")
    expect(page.locator("#card-front")).to_have_text(front)
    assert counts(page) == ("1", "0", "0")


def test_anonymous_browse_flips_by_click_and_pages(page, site):
    page.goto(site + "/sets/da-mo-xing/flashcards/")
    ready(page)
    expect(page.get_by_text("第 1 张 / 共 9 张")).to_be_visible()
    expect(page.locator(".flashcard__back")).to_be_hidden()
    page.locator("#card-front").click()
    expect(page.locator(".flashcard__back")).to_be_visible()
    assert_accessible(page)
    look(page, "flashcards-browse")
    ready(page)
    page.get_by_role("link", name="下一张").click()
    expect(page.get_by_text("第 2 张 / 共 9 张")).to_be_visible()
    expect(page.locator(".flashcard__back")).to_be_hidden()
    page.keyboard.press("Space")
    expect(page.locator(".flashcard__back")).to_be_visible()


def test_glossary_link_opens_the_card(page, site):
    page.goto(site + "/sets/da-mo-xing/notes/")
    page.locator("a.term", has_text="模型压缩").first.click()
    expect(page.locator("#card-front")).to_have_text("模型压缩")
