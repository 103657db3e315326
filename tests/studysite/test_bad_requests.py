"""Requests Django refuses before any view get a 400 page in Chinese that says why."""

from __future__ import annotations

import pytest
from django.urls import reverse

from notes.models import StudySet

pytestmark = pytest.mark.django_db


def test_a_body_over_the_limit_is_a_chinese_400_and_stores_nothing(client, learner, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client.force_login(learner)
    response = client.post(reverse("generator:new"), {"title": "细胞", "text": "线粒体。" * 5000})
    html = response.content.decode()
    assert response.status_code == 400
    assert "提交的内容太大（最多 9 KB）" in html
    assert '<html lang="zh-Hans">' in html
    assert "Bad Request" not in html
    assert not StudySet.objects.exists()


def test_too_many_fields_is_a_chinese_400(client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    response = client.post("/accounts/login/", {f"f{i}": "值" for i in range(50)})
    assert response.status_code == 400
    assert "表单的字段或文件太多" in response.content.decode()


def test_a_forged_host_is_a_chinese_400(client):
    response = client.get("/", headers={"host": "evil.example.org"})
    assert response.status_code == 400
    assert "请求无效" in response.content.decode()


@pytest.mark.parametrize(
    ("method", "url", "allow"),
    [
        ("get", "/sets/da-mo-xing/quiz/start/", "POST"),
        ("put", "/sets/da-mo-xing/quiz/", "GET"),
        ("get", "/me/today/cards/1/review/", "POST"),
    ],
)
def test_a_wrong_method_is_a_chinese_405_that_keeps_allow(
    client, learner, da_mo_xing, method, url, allow
):
    client.force_login(learner)
    response = getattr(client, method)(url)
    assert response.status_code == 405
    assert response["Allow"] == allow
    html = response.content.decode()
    assert f"这个地址不接受这种请求\uff08{method.upper()}\uff09" in html
    assert '<html lang="zh-Hans"' in html
    fragment = getattr(client, method)(url, headers={"HX-Request": "true"})
    assert fragment.status_code == 405
    assert "<html" not in fragment.content.decode()
    assert "这个地址不接受这种请求" in fragment.content.decode()
