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
    """Strong, fair and weak sections, and some not met (mastery is recall a week
    ahead): 概述 and 概念 answered right twice, two days ago (at once due in two
    days) and today; 发展历程 right once today; 关键技术 wrong today, or right half
    a year ago."""
    from quizzes.models import QuestionState

    now = datetime.now(UTC)
    twice, once, wrong, old = [(True, 2), (True, 0)], [(True, 0)], [(False, 0)], [(True, 200)]
    plan = (twice, twice, once, once, once, wrong, wrong, old, old)
    questions = list(study_set.questions.filter(note__isnull=False).order_by("note", "pk"))
    for question, answers in zip(questions, plan, strict=False):
        for correct, days_ago in answers:
            QuestionState.remember(
                user, question.pk, correct=correct, wrong_before=False,
                now=now - timedelta(days=days_ago), desired_retention=0.9,
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
    for label in ("掌握", "一般", "薄弱", "未学"):
        expect(table.get_by_text(label, exact=True).first).to_be_visible()
    expect(section.locator("figcaption")).to_contain_text("一周后还记得的概率")
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
    """The memory is the quiz just taken, as in life: 关键技术 all wrong (薄弱),
    概述 and 概念 right today and two days ago (掌握), the rest right once (一般)."""
    from notes.models import StudySet
    from quizzes.models import QuestionState

    study_set = StudySet.objects.get(slug="da-mo-xing")
    user = django_user_model.objects.create_user("jieguo", password="长城-Great-wall-9")
    questions = list(study_set.questions.select_related("note"))
    wrong = {q.pk for q in questions if q.note.title == "关键技术"}
    attempt = make_finished_attempt(user, study_set, wrong=wrong)
    now = datetime.now(UTC)
    for question in questions:
        days = (2, 0) if question.note.title in {"", "概念"} else (0,)
        for days_ago in days:
            QuestionState.remember(
                user, question.pk, correct=question.pk not in wrong, wrong_before=False,
                now=now - timedelta(days=days_ago), desired_retention=0.9,
            )  # fmt: skip
    log_in(page, site, "jieguo", f"/sets/da-mo-xing/quiz/{attempt.pk}/results/")
    scores = page.get_by_role("region", name="各章节得分")
    expect(scores.locator(".section-score__mastery").first).to_contain_text("当前掌握")
    weakest = scores.locator(".section-score").first
    expect(weakest).to_contain_text("关键技术")
    expect(weakest).to_contain_text("答对 0 / 4")
    expect(weakest.locator(".mastery-mark")).to_have_text("薄弱")
    expect(weakest).to_contain_text("平均记忆 58%")
    expect(scores.locator(".mastery-mark--strong")).to_have_count(2)
    expect(scores).to_contain_text("一周后还记得这一节卡片和题目的概率")
    assert_accessible(page)
    scores.scroll_into_view_if_needed()
    look(page, "results-mastery")
