"""The notes show what you know (issue 22, item 4): mastery marks in the contents
and at each heading, and 练习这一节 into a quiz of that section."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, look, ready
from tests.browser.test_progress import log_in

pytestmark = pytest.mark.browser


def remember(user, question_id: int, *, correct: bool, days_ago: float = 0) -> None:
    from quizzes.models import QuestionState

    QuestionState.remember(
        user,
        question_id,
        correct=correct,
        wrong_before=False,
        now=timezone.now() - timedelta(days=days_ago),
        desired_retention=0.9,
    )


@pytest.fixture
def studied(site, django_user_model):
    """A learner who knows 概念 (right two days ago and again today), has just got
    发展历程 all wrong and half-remembers 应用领域 (a card, twelve days ago)."""
    from flashcards.models import Card, record_review
    from notes.models import Note

    user = django_user_model.objects.create_user("zhangwo", password="长城-Great-wall-9")
    known = Note.objects.get(title="概念").questions.get().pk
    remember(user, known, correct=True, days_ago=2)
    remember(user, known, correct=True)
    for question in Note.objects.get(title="发展历程").questions.all():
        remember(user, question.pk, correct=False)
    card = Card.objects.get(note__title="应用领域")
    when = (timezone.now() - timedelta(days=12)).astimezone(UTC)
    record_review(user, card, 3, uuid.uuid4(), now=when)
    return user


def test_anonymous_readers_see_no_marks(page, site):
    page.goto(site + "/sets/da-mo-xing/notes/")
    ready(page)
    expect(page.get_by_role("heading", name=re.compile("^关键技术"))).to_be_visible()
    expect(page.locator(".mastery-mark")).to_have_count(0)
    expect(page.get_by_role("button", name="练习这一节")).to_have_count(0)
    assert_accessible(page)
    look(page, "notes-anonymous")


def test_a_learner_sees_marks_and_practises_a_section(page, site, studied):
    from notes.models import Note

    log_in(page, site, "zhangwo", "/sets/da-mo-xing/notes/")
    ready(page)
    toc = page.get_by_role("navigation", name="目录")
    toc_entry = toc.locator("li", has=page.get_by_role("link", name="概念", exact=True))
    expect(toc_entry.locator(".mastery-mark").first).to_have_text(
        "掌握程度\uff1a掌握 · 93% · 未学 1 项"
    )
    expect(toc.locator(".mastery-mark--weak")).to_have_count(1)
    expect(toc.locator(".mastery-mark--new")).to_have_count(3)

    technique = page.get_by_role("region", name=re.compile("^关键技术"))
    expect(technique.locator(".mastery-mark")).to_have_text("掌握程度\uff1a未学 · 7 项")
    history = page.get_by_role("region", name=re.compile("^发展历程"))
    expect(history.locator(".mastery-mark")).to_have_text("掌握程度\uff1a薄弱 · 58%")
    expect(history.locator(".mastery-mark")).to_have_attribute("title", re.compile("一周后"))
    assert_accessible(page)
    look(page, "notes-mastery")

    button = technique.get_by_role("button", name="练习这一节")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("第 1 题 / 共 4 题")).to_be_visible()
    assert page.url == f"{site}/sets/da-mo-xing/quiz/"
    prompts = [q.prompt for q in Note.objects.get(title="关键技术").questions.all()]
    expect(page.locator("main")).to_contain_text(re.compile("|".join(map(re.escape, prompts))))
    assert_accessible(page)
    look(page, "notes-mastery-quiz")
