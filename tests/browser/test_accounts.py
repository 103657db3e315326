"""Sign-up and login in a real browser: plain Chinese help, the password rules in
one line, and a refusal shown beside the field it concerns, read out with it."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, look, ready

pytestmark = pytest.mark.browser


def test_a_short_password_is_refused_beside_the_password_field(page, site):
    page.goto(site + "/accounts/signup/")
    ready(page)
    password = page.get_by_label("密码", exact=True)
    expect(password).to_have_accessible_description(
        "至少 8 位\uff0c不能全是数字\uff0c不能太常见\uff0c也不能和用户名太像。"
    )
    assert_accessible(page)
    look(page, "signup-help")

    page.get_by_label("用户名").fill("xiaohong")
    password.fill("abc12")
    page.get_by_label("再输入一遍密码").fill("abc12")
    page.get_by_role("button", name="注册").click()
    expect(page.locator("#id_password1_error")).to_have_text("密码太短\uff1a至少要 8 位。")
    # The error is part of the field's description and the field is marked invalid.
    password = page.get_by_label("密码", exact=True)
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(password).to_be_focused()  # the field to fix
    expect(password).to_have_accessible_description(
        "至少 8 位\uff0c不能全是数字\uff0c不能太常见\uff0c也不能和用户名太像。 密码太短\uff1a至少要 8 位。"
    )
    expect(page.get_by_label("用户名")).to_have_value("xiaohong")  # kept for the retry
    assert not get_user_model().objects.exists()
    assert_accessible(page)
    look(page, "signup-error")


def test_a_wrong_password_is_announced_at_the_top_of_the_login_form(page, site, learner):
    page.goto(site + "/accounts/login/")
    ready(page)
    page.get_by_label("用户名").fill("xiaoming")
    page.get_by_label("密码").fill("wrong-pass")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("用户名或密码不对")
    assert_accessible(page)
    look(page, "login-error")
