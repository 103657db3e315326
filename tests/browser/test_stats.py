"""The staff statistics page on a desktop and a phone, in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS, assert_accessible, look
from tests.browser.test_progress import log_in
from tests.factories import make_finished_attempt, make_question

pytestmark = pytest.mark.browser


def test_statistics_flag_only_answered_enough_and_scroll_on_a_phone(page, site, django_user_model):
    from notes.models import StudySet

    study_set = StudySet.objects.get(slug="da-mo-xing")
    qids = list(study_set.questions.values_list("pk", flat=True))
    for n in range(6):
        if n == 3:  # a question added later: only the last three learners met it
            late = make_question(study_set, prompt="后来加上的一道题\uff1f")
        learner = django_user_model.objects.create_user(f"s{n}", password="x")
        make_finished_attempt(learner, study_set, wrong=set(qids[: n + 1]))
    django_user_model.objects.create_user("teacher", password="长城-Great-wall-9", is_staff=True)
    log_in(page, site, "teacher", "/sets/da-mo-xing/stats/")
    expect(page.get_by_role("heading", name="题目分析\uff1a大模型")).to_be_visible()

    first = page.locator(f"#item-{qids[0]}")  # missed by all six
    expect(first.locator(".chip--flag")).to_have_text("太难")
    expect(first.locator("td").nth(1)).to_have_text("0%")
    expect(page.locator(f"#item-{late.pk}")).to_contain_text("样本太少")
    expect(page.locator(f"#item-{late.pk} .chip--flag")).to_have_count(0)
    expect(page.locator(f"#item-{qids[-1]} td").nth(1)).to_have_text("100%")
    expect(page.get_by_text("左右滑动查看更多")).to_be_hidden()  # wide enough: no hint
    assert_accessible(page)
    look(page, "stats-flags")

    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.get_by_text("左右滑动查看更多")).to_be_visible()
    scroller = page.get_by_role("group", name="题目分析表\uff0c可横向滚动")
    assert scroller.evaluate("el => el.scrollWidth > el.clientWidth")
    # A chip keeps its word on one line: no taller than one line of its text.
    for chip in page.locator(".stats-table .chip").all()[:5]:
        box = chip.bounding_box()
        line = chip.evaluate("el => parseFloat(getComputedStyle(el).lineHeight)")
        assert box["height"] < 1.5 * line, chip.inner_text()
    scroller.evaluate("el => el.scrollBy(400, 0)")
    page.screenshot(path=SCREENSHOTS / "stats-phone-scrolled.png")
