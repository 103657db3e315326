"""Mastery per section on /me/ and on the results page, in a real browser."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, look
from tests.browser.test_progress import log_in
from tests.factories import make_finished_attempt

pytestmark = pytest.mark.browser


def remember_some(user, study_set):
    """Strong, fair and weak sections, and some not met: questions answered today,
    a month ago and half a year ago."""
    from quizzes.models import QuestionState

    now = datetime.now(UTC)
    questions = list(study_set.questions.filter(note__isnull=False).order_by("note", "pk"))
    for question, days in zip(questions[:9], (0, 0, 0, 25, 25, 25, 200, 200, 200), strict=False):
        QuestionState.remember(
            user, question.pk, correct=True, wrong_before=False,
            now=now - timedelta(days=days), desired_retention=0.9,
        )  # fmt: skip


def test_me_shows_each_sections_mastery(page, site, django_user_model):
    from notes.models import StudySet

    study_set = StudySet.objects.get(slug="da-mo-xing")
    user = django_user_model.objects.create_user("zhangwo", password="长城-Great-wall-9")
    make_finished_attempt(user, study_set)
    remember_some(user, study_set)
    log_in(page, site, "zhangwo", "/me/")
    section = page.get_by_role("region", name="各章节掌握程度")
    expect(section.get_by_role("img", name="大模型\uff1a各章节平均记忆")).to_be_visible()
    table = section.get_by_role("table")
    expect(table.get_by_role("row")).to_have_count(1 + study_set.notes.count())
    expect(table.get_by_text("掌握", exact=True).first).to_be_visible()
    expect(table.get_by_text("未学", exact=True).first).to_be_visible()
    assert_accessible(page)
    section.scroll_into_view_if_needed()
    look(page, "me-mastery")


def test_me_without_memories_says_how_to_start(page, site, django_user_model):
    from notes.models import StudySet

    user = django_user_model.objects.create_user("xinshou", password="长城-Great-wall-9")
    make_finished_attempt(user, StudySet.objects.get(slug="da-mo-xing"))
    log_in(page, site, "xinshou", "/me/")
    section = page.get_by_role("region", name="各章节掌握程度")
    expect(section).to_contain_text("复习卡片或做测验后")
    expect(section.get_by_role("table")).to_have_count(0)


def test_results_show_the_mastery_next_to_each_score(page, site, django_user_model):
    from notes.models import StudySet

    study_set = StudySet.objects.get(slug="da-mo-xing")
    user = django_user_model.objects.create_user("jieguo", password="长城-Great-wall-9")
    attempt = make_finished_attempt(
        user, study_set, wrong=set(study_set.questions.values_list("pk", flat=True)[:3])
    )
    remember_some(user, study_set)
    log_in(page, site, "jieguo", f"/sets/da-mo-xing/quiz/{attempt.pk}/results/")
    scores = page.get_by_role("region", name="各章节得分")
    expect(scores.locator(".section-score__mastery").first).to_contain_text("当前掌握")
    expect(scores.locator(".mastery-mark").first).to_be_visible()
    assert_accessible(page)
    scores.scroll_into_view_if_needed()
    look(page, "results-mastery")
