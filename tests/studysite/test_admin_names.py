"""Django admin as Chinese-speaking staff read it: every app named in Chinese, and
the 内容 column that says which questions and cards still need work."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.urls import reverse

from tests.factories import make_card, make_question, make_study_set

pytestmark = pytest.mark.django_db
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def staff(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", password="x-pass-1234")
    client.force_login(user)
    return user


def test_every_app_in_the_admin_index_has_a_chinese_name(client, staff):
    response = client.get(reverse("admin:index"))
    names = [app["name"] for app in response.context["app_list"]]
    assert "登录保护" in names  # django-axes
    assert "后台任务" in names  # django-tasks' database backend
    assert all(CJK.search(str(name)) for name in names), names


def test_every_model_in_the_admin_index_has_a_chinese_name(client, staff):
    response = client.get(reverse("admin:index"))
    models = [m["name"] for app in response.context["app_list"] for m in app["models"]]
    assert all(CJK.search(str(name)) for name in models), models


def test_renamed_apps_keep_their_labels_and_tables():
    assert apps.get_app_config("axes").verbose_name == "登录保护"
    config = apps.get_app_config("django_tasks_database")
    assert config.verbose_name == "后台任务"
    assert config.get_model("DBTaskResult")._meta.db_table == "django_tasks_database_dbtaskresult"


def row(html: str, obj) -> str:
    """The changelist row of `obj`, found by its change link."""
    start = html.index(f"/{obj.pk}/change/")
    return html[start : html.index("</tr>", start)]


@pytest.mark.parametrize(
    ("url", "make"),
    [
        ("admin:quizzes_question_changelist", make_question),
        ("admin:flashcards_card_changelist", make_card),
    ],
)
def test_content_column_warns_on_drafts_only(client, staff, url, make):
    study_set = make_study_set()
    draft = make(study_set, is_draft=True)
    done = make(study_set, is_draft=False)
    html = client.get(reverse(url)).content.decode()
    assert html.count("⚠ 待完善") == 1
    assert html.count("✓ 已完成") == 1
    assert "⚠ 待完善" in row(html, draft)
    assert "✓ 已完成" in row(html, done)
    # Django's boolean icons would read green ✓ as "yes, needs work".
    assert "icon-yes.svg" not in html
    assert "icon-no.svg" not in html
