"""练习这一节 also reviews the section's cards (issue 22, item 4): from the notes,
a quiz of the section's questions, then from its results the section's cards,
with the keyboard, until the section is done."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, look, ready
from tests.browser.test_progress import log_in
from tests.browser.test_quiz import take_quiz

pytestmark = pytest.mark.browser
SECTION_FRONTS = {"Transformer 模型", "预训练", "模型压缩"}  # 关键技术's cards


def test_a_section_quiz_then_its_cards_by_keyboard(page, site, django_user_model):
    from flashcards.models import ReviewLog

    django_user_model.objects.create_user("benjie", password="长城-Great-wall-9")
    log_in(page, site, "benjie", "/sets/da-mo-xing/notes/")
    ready(page)
    technique = page.get_by_role("region", name=re.compile("^关键技术"))
    expect(technique.get_by_role("link", name="复习本节卡片")).to_have_attribute(
        "href", "/sets/da-mo-xing/flashcards/?section=104"
    )
    expect(
        page.get_by_role("region", name=re.compile("^发展历程")).get_by_role(
            "link", name="复习本节卡片"
        )
    ).to_have_count(0)  # questions only
    look(page, "section-notes")

    technique.get_by_role("button", name="练习这一节").click()
    take_quiz(page)
    expect(page.get_by_role("heading", name="答题结果")).to_be_visible()
    expect(page.locator(".score__meta")).to_contain_text("本节练习")
    assert_accessible(page)
    look(page, "section-results")

    cards = page.get_by_role("link", name="复习到期卡片")
    cards.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".deck-section")).to_contain_text("本节\uff1a关键技术")
    assert page.url.endswith("/sets/da-mo-xing/flashcards/?section=104")
    ready(page)
    expect(page.locator(".queue-counts__new strong")).to_have_text("3")
    assert_accessible(page)
    look(page, "section-cards-front")

    bar = page.locator(".study-progress__bar")
    fronts = set()
    for rated in range(1, 20):
        front = page.locator("#card-front")
        expect(front).to_be_visible()
        fronts.add(front.inner_text())
        expect(page.locator(".flashcard__flip-button")).to_be_focused()
        page.keyboard.press("Space")
        expect(page.locator(".flashcard__back")).to_be_visible()
        if rated == 1:
            assert_accessible(page)
            look(page, "section-cards-back")
        page.keyboard.press("3")
        expect(bar).to_have_attribute("value", str(rated))  # the next screen is in
        if page.locator("#finished-title").is_visible():
            break
        # The rating kept the section: the next card's rating carries it on.
        expect(page.locator('.ratings input[name="section"]')).to_have_value("104")
    finished = page.get_by_role("heading", name="本节卡片今天复习完了")
    expect(finished).to_be_focused()
    assert fronts == SECTION_FRONTS
    # Each new card twice: 良好 moves it to its learning step, then out of it.
    assert ReviewLog.objects.count() == 6
    assert {log.card.front for log in ReviewLog.objects.select_related("card")} == SECTION_FRONTS
    assert_accessible(page)
    look(page, "section-cards-done")

    page.get_by_role("link", name="复习全部卡片").click()
    expect(page.locator(".deck-section")).to_have_count(0)
    expect(page.locator(".queue-counts__new strong")).to_have_text("6")
