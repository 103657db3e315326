"""Sign-up and login speak to people: Chinese help text in plain words, the
password rules in one short line, and each error in Chinese beside its field."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from tests.test_typography import ASCII_BETWEEN_CHINESE

pytestmark = pytest.mark.django_db
SIGNUP, LOGIN = "/accounts/signup/", "/accounts/login/"
RULES = "至少 8 位\uff0c不能全是数字\uff0c不能太常见\uff0c也不能和用户名太像。"
GOOD = "长城-Great-wall-9"


def field_block(html: str, name: str) -> str:
    """The markup of one field: from its label to its input."""
    start = html.index(f'<label for="id_{name}"')
    return html[start : html.index(">", html.index(f'id="id_{name}"', start)) + 1]


def signup(client, **fields):
    data = {"username": "xiaohong", "password1": GOOD, "password2": GOOD} | fields
    return client.post(SIGNUP, data)


def test_signup_help_is_written_for_people(client):
    html = client.get(SIGNUP).content.decode()
    assert "必填" not in html
    assert "150个字符" not in html
    assert "<li>你的密码" not in html  # Django's four-item list
    username = field_block(html, "username")
    assert "中文" in username
    password = field_block(html, "password1")
    assert f">{RULES}<" in password
    assert 'aria-describedby="id_password1_helptext"' in password
    assert "再输入一遍" in field_block(html, "password2")
    assert not ASCII_BETWEEN_CHINESE.findall(re.sub(r"<[^>]+>", "", html))
    assert "用户名:" not in html  # no ASCII colon after the labels
    assert 'name="username"' in html


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"password1": "Ab3$x", "password2": "Ab3$x"}, "password1", "密码太短"),
        ({"password1": "73920518", "password2": "73920518"}, "password1", "不能全是数字"),
        ({"password1": "password123", "password2": "password123"}, "password1", "太常见"),
        ({"password1": "xiaohong2", "password2": "xiaohong2"}, "password1", "和用户名太像"),
        ({"password2": "长城-Great-wall-8"}, "password2", "两次输入的密码不一样"),
        ({"username": "小 红"}, "username", "不能有空格"),
        ({"username": ""}, "username", "请填写用户名"),
        ({"password1": ""}, "password1", "请设置密码"),
    ],
)
def test_a_bad_signup_is_a_400_with_the_error_in_chinese_beside_its_field(
    client, fields, field, message
):
    response = signup(client, **fields)
    assert response.status_code == 400
    assert not get_user_model().objects.exists()
    block = field_block(response.content.decode(), field)
    error = re.search(rf'<ul class="errorlist" id="id_{field}_error"><li>([^<]+)</li>', block)
    assert error, block
    assert message in error.group(1)
    assert f'aria-describedby="id_{field}_helptext id_{field}_error"' in block or (
        f'aria-describedby="id_{field}_error"' in block
    )


def test_a_taken_username_says_so_in_chinese(client, learner):
    response = signup(client, username=learner.username.upper())
    assert response.status_code == 400
    assert "这个用户名已经有人用了" in field_block(response.content.decode(), "username")


def test_a_wrong_login_says_so_in_chinese_at_the_top(client, learner):
    response = client.post(LOGIN, {"username": learner.username, "password": "wrong-pass"})
    html = response.content.decode()
    alert = re.search(r'<div class="form-error" role="alert">(.*?)</div>', html, re.DOTALL)
    assert alert
    assert "用户名或密码不对" in alert.group(1)
    assert "区分大小写" in alert.group(1)
    assert "请输入一个正确的" not in html


def test_an_empty_login_asks_for_each_field(client):
    html = client.post(LOGIN, {"username": "", "password": ""}).content.decode()
    assert "请填写用户名" in field_block(html, "username")
    assert "请填写密码" in field_block(html, "password")


def test_login_labels_have_no_ascii_colon(client):
    html = client.get(LOGIN).content.decode()
    assert "用户名:" not in html
    assert "密码:" not in html
    assert 'name="username"' in html
    assert 'name="password"' in html
