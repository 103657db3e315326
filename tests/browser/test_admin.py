"""Staff edit a question and its choices in Django admin, in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from quizzes.models import Question
from tests.browser.conftest import assert_accessible, look

pytestmark = pytest.mark.browser


@pytest.fixture
def staff_page(page, site, django_user_model):
    django_user_model.objects.create_superuser("editor", password="长城-Great-wall-9")
    page.goto(site + "/admin/login/")
    page.locator("input[name=username]").fill("editor")
    page.locator("input[name=password]").fill("长城-Great-wall-9")
    page.keyboard.press("Enter")
    expect(page.locator("#site-name")).to_be_visible()
    return page


def test_question_list_marks_drafts_and_names_apps_in_chinese(staff_page, site):
    page = staff_page
    Question.objects.filter(study_set__slug="da-mo-xing", position=1).update(is_draft=True)
    page.goto(site + "/admin/quizzes/question/")
    expect(page.locator("td.field-content_status").filter(has_text="⚠ 待完善")).to_have_count(1)
    expect(page.locator("td.field-content_status img")).to_have_count(0)
    apps = page.locator("#nav-sidebar a.section").all_inner_texts()
    assert {"登录保护", "后台任务", "认证和授权", "问答", "抽认卡"} <= set(apps), apps
    assert all(re.search(r"[\u4e00-\u9fff]", name) for name in apps), apps
    assert_accessible(page)
    look(page, "admin-question-list")
    page.emulate_media(color_scheme="dark")
    assert_accessible(page)
    page.emulate_media(color_scheme="light")


def test_question_inline_inputs_are_labelled_and_wide(staff_page, site):
    page = staff_page
    question = Question.objects.get(position=0, study_set__slug="da-mo-xing")
    page.goto(site + f"/admin/quizzes/question/{question.pk}/change/")
    inputs = page.locator("#choices-group input:visible, #choices-group select:visible")
    assert inputs.count() > 8
    for control in inputs.all():
        assert control.evaluate(
            "el => Boolean(el.getAttribute('aria-label') || el.labels?.length)"
        ), control.evaluate("el => el.outerHTML")
    # Room for a Chinese sentence: at least 24 characters of 16 px type.
    width = page.locator("input[name='choices-0-text']").bounding_box()["width"]
    assert width >= 24 * 16, width
    assert_accessible(page)
    look(page, "admin-question-change")
    page.emulate_media(color_scheme="dark")
    assert_accessible(page)
    page.emulate_media(color_scheme="light")


def test_edit_a_question_and_see_validation_when_no_choice_is_right(staff_page, site):
    page = staff_page
    question = Question.objects.get(position=0, study_set__slug="da-mo-xing")
    page.goto(site + "/admin/quizzes/question/")
    page.get_by_role("link", name=question.prompt[:20], exact=False).first.click()
    expect(page.locator("#id_prompt")).to_have_value(question.prompt)
    look(page, "admin-question")

    # Untick the one right choice: the form must refuse, in Chinese.
    right = page.locator("input[name$='-is_correct']:checked")
    expect(right).to_have_count(1)
    right.uncheck()
    page.locator("input[name=_continue]").click()
    expect(page.get_by_text("至少要有一个正确选项")).to_be_visible()
    assert Question.objects.get(pk=question.pk).choices.filter(is_correct=True).count() == 1

    # Fix it: edit the prompt and a choice, mark a right one, save.
    page.locator("#id_prompt").fill("下列哪项最准确地描述了大模型?(修订)")
    page.locator("input[name='choices-0-text']").fill(
        page.locator("input[name='choices-0-text']").input_value() + "!"
    )
    page.locator("input[name='choices-0-is_correct']").check()
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_be_visible()
    question.refresh_from_db()
    # typed with ASCII punctuation, stored with Chinese punctuation (issue 16)
    assert question.prompt.endswith("大模型\uff1f\uff08修订\uff09")
    assert question.choices.filter(is_correct=True).count() == 1
    expect(page.get_by_text("修改历史")).to_be_visible()
    assert_accessible(page)
    look(page, "admin-question-saved")


def test_import_page_in_the_browser(staff_page, site, tmp_path):
    page = staff_page
    from tests.interchange.test_formats import SEED

    path = tmp_path / "set.txt"
    path.write_text(SEED.replace("大模型", "小模型"), encoding="utf-8")
    page.goto(site + "/admin/notes/studyset/")
    page.get_by_role("link", name="导入文件").click()
    page.locator("input[name=file]").set_input_files(str(path))
    page.locator("input[name=title]").fill("小模型")
    page.get_by_role("button", name="导入").click()
    expect(page.get_by_role("status")).to_contain_text("待完善\uff0813 项", timeout=20_000)
    assert_accessible(page)
    look(page, "admin-import")
