"""Admin refuses to publish an incomplete question, by the same rule as the
generator's review and import (quizzes.completeness)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import make_question, make_study_set
from tests.interchange.test_admin import question_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, admin_user):
    client.force_login(admin_user)
    return admin_user


@pytest.mark.parametrize(
    ("kind", "choices", "message"),
    [
        ("single", [("唯一的选项", True)], "选择题至少要有两个选项。"),
        ("fill_blank", [("自注意力", True), ("卷积", False)], "填空题的每个答案都要勾选"),
    ],
)
def test_publishing_an_incomplete_draft_is_refused(client, staff, kind, choices, message):
    question = make_question(make_study_set(), kind=kind, choices=(), is_draft=True)
    url = reverse("admin:quizzes_question_change", args=[question.pk])
    response = client.post(url, question_post(question, choices))  # 待完善 unticked
    assert response.status_code == 200
    assert message in response.content.decode()
    question.refresh_from_db()
    assert question.is_draft
    assert not question.choices.exists()


def test_the_same_question_may_be_saved_as_a_draft(client, staff):
    question = make_question(make_study_set(), choices=(), is_draft=True)
    url = reverse("admin:quizzes_question_change", args=[question.pk])
    data = question_post(question, [("唯一的选项", True)], is_draft="on")
    assert client.post(url, data).status_code == 302
    assert question.choices.count() == 1
