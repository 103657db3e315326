"""今日学习 in a real browser: a whole session by keyboard, and the empty state."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from flashcards.models import CardState, ReviewLog
from learners import scheduling
from learners.models import Preferences
from notes.models import StudySet
from quizzes.models import Answer, QuestionState
from tests.browser.conftest import assert_accessible, look, ready
from tests.factories import make_card, make_question, make_study_set

pytestmark = pytest.mark.browser
PASSWORD = "长城-Great-wall-9"


def log_in(page, site, user) -> None:
    page.goto(site + "/accounts/login/?next=/me/today/")
    page.get_by_label("用户名").fill(user.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="今日学习", exact=True)).to_be_visible()
    ready(page)


def test_a_whole_session_by_keyboard(page, site, django_user_model):
    learner = django_user_model.objects.create_user("meiri", password=PASSWORD)
    Preferences.objects.create(user=learner, new_cards_per_day=1)
    StudySet.objects.all().delete()  # only this session's items
    study_set = make_study_set(title="大模型入门")
    due = make_card(study_set, front="注意力机制", back="让模型关注输入中相关的部分。")
    new = make_card(study_set, front="量化", back="降低权重精度以节省内存。")
    question = make_question(
        study_set,
        prompt="Transformer 的核心机制是什么？",
        explanation="自注意力让每个词都能看到整句。",
        choices=(("循环连接", False), ("自注意力", True), ("卷积核", False)),
    )
    now = timezone.now()
    CardState.objects.create(
        user=learner,
        card=due,
        state=scheduling.REVIEW,
        stability=3.0,
        difficulty=5.0,
        due=now - timedelta(days=1),
        last_review=now - timedelta(days=4),
    )
    QuestionState.remember(
        learner,
        question.pk,
        correct=True,
        wrong_before=False,
        now=now - timedelta(days=10),
        desired_retention=0.9,
    )
    log_in(page, site, learner)

    # 1. The due card: Space shows the answer, 3 rates it 良好.
    expect(page.locator("#card-front")).to_have_text("注意力机制")
    expect(page.locator(".today-bar__left")).to_contain_text("还剩 3 项")
    expect(page.locator(".flashcard__flip-button")).to_be_focused()
    page.keyboard.press("Space")
    expect(page.locator(".flashcard__back")).to_be_visible()
    assert_accessible(page)
    look(page, "today-card")
    page.keyboard.press("3")

    # 2. The due question: a number picks the option, Enter submits, Space goes on.
    expect(page.locator("#question-title")).to_have_text("Transformer 的核心机制是什么？")
    texts = page.locator(".option__text").all_inner_texts()
    assert_accessible(page)
    look(page, "today-question")
    page.keyboard.press(str(texts.index("自注意力") + 1))
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="正确")).to_be_visible()
    expect(page.locator(".verdict__explanation")).to_contain_text("自注意力让每个词都能看到整句")
    next_button = page.get_by_role("button", name="下一题")
    expect(next_button).to_be_focused()
    look(page, "today-verdict")
    page.keyboard.press("Space")

    # 3. One new card (the day's quota), rated 良好 with Space, Space.
    expect(page.locator("#card-front")).to_have_text("量化")
    page.keyboard.press("Space")
    expect(page.locator(".flashcard__back")).to_be_visible()
    page.keyboard.press("Space")

    # 4. The summary.
    expect(page.get_by_role("heading", name="今天的学习完成了")).to_be_visible()
    summary = page.locator(".today-summary")
    expect(summary).to_contain_text("2 张")
    expect(summary).to_contain_text("1 道")
    assert_accessible(page)
    look(page, "today-summary")
    assert ReviewLog.objects.filter(user=learner).count() == 2
    assert list(ReviewLog.objects.values_list("card", "rating")) == [(due.pk, 3), (new.pk, 3)]
    assert Answer.objects.get().is_correct


def test_the_empty_state_says_so_and_links_home(page, site, django_user_model):
    learner = django_user_model.objects.create_user("kong", password=PASSWORD)
    Preferences.objects.create(user=learner, new_cards_per_day=0)
    make_card(make_study_set())
    log_in(page, site, learner)
    expect(page.get_by_role("heading", name="今天没有要复习的内容")).to_be_visible()
    assert_accessible(page)
    look(page, "today-empty")
    page.get_by_role("link", name="返回首页").click()
    expect(page.get_by_role("main").get_by_role("link", name="今日学习")).to_be_visible()
    look(page, "today-home")
