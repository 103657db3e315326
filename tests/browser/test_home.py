"""Home as the learner's dashboard, in a real browser: visitor, new learner, open quiz."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, look, ready
from tests.browser.test_progress import log_in
from tests.browser.test_quiz import answer_with_keys, current_attempt

pytestmark = pytest.mark.browser


def test_a_visitor_sees_the_sets_and_an_invitation_to_sign_up(page, site):
    page.goto(site + "/")
    expect(page.get_by_role("heading", name="大模型")).to_be_visible()
    invite = page.get_by_role("complementary", name="注册账号，记住你的进度")
    expect(invite.get_by_role("link", name="创建免费账号")).to_have_attribute(
        "href", "/accounts/signup/"
    )
    expect(page.get_by_text("今天到期")).to_have_count(0)
    assert_accessible(page)
    look(page, "home-anonymous")


def test_home_continues_the_quiz_the_learner_left(page, site, django_user_model):
    django_user_model.objects.create_user("jixu", password="长城-Great-wall-9")
    log_in(page, site, "jixu", "/")
    card = page.locator(".set-card", has=page.get_by_role("heading", name="大模型"))
    card.get_by_role("link", name="开始测验").click()
    page.get_by_role("button", name=re.compile("^开始")).click()
    expect(page.locator("#question-title")).to_be_visible()
    ready(page)
    attempt = current_attempt()
    answer_with_keys(page, attempt.item_list[0], right=True)
    expect(page.get_by_role("status")).to_contain_text("正确")

    page.goto(site + "/")
    resume = card.get_by_role("link", name="继续答题")
    expect(resume).to_be_visible()
    expect(card.get_by_text(f"已答 1 / {attempt.question_count} 题")).to_be_visible()
    expect(card.locator(".button")).to_have_count(1)  # one obvious next step
    resume.click()
    expect(page.get_by_text(f"第 2 题 / 共 {attempt.question_count} 题")).to_be_visible()
    expect(page.locator("#question-title")).to_have_text(attempt.item_list[1].prompt)


def test_a_learner_with_progress_sees_due_cards_mistakes_and_best_score(
    page, site, django_user_model
):
    from flashcards.models import record_review
    from notes.models import StudySet
    from tests.factories import make_finished_attempt

    user = django_user_model.objects.create_user("jindu", password="长城-Great-wall-9")
    study_set = StudySet.objects.get(slug="da-mo-xing")
    questions = list(study_set.questions.values_list("pk", flat=True))
    make_finished_attempt(user, study_set, wrong=set(questions[:3]))
    for card in study_set.cards.all()[:4]:
        record_review(user, card, 1, uuid.uuid4(), now=timezone.now() - timedelta(hours=2))
    log_in(page, site, "jindu", "/")
    card = page.locator(".set-card", has=page.get_by_role("heading", name="大模型"))
    expect(card.get_by_role("link", name="复习 4 张到期卡片")).to_be_visible()
    expect(card.locator(".set-card__status")).to_contain_text(
        re.compile(r"今天到期\s*4 张\s*错题\s*3 道\s*最好成绩\s*81%")
    )
    assert_accessible(page)
    look(page, "home-learner")


def test_the_phone_header_keeps_the_signed_in_links_on_one_line(page, site, django_user_model):
    """At 390 px 退出 once wrapped alone onto a second line; 修改密码 now lives on /me/."""
    django_user_model.objects.create_user("xiaoming", password="长城-Great-wall-9")
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, site, "xiaoming", "/")
    nav = page.get_by_role("navigation", name="主导航")
    first = nav.get_by_role("link", name="学习集").bounding_box()
    last = nav.get_by_role("button", name="退出").bounding_box()
    assert abs(first["y"] - last["y"]) < 8, (first, last)
    nav.get_by_role("link", name="xiaoming").click()
    expect(page.get_by_role("link", name="修改密码")).to_be_visible()
