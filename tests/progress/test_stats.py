"""The staff statistics page as staff read it: percentages, flags only on enough
responses, a table that says it scrolls, and a fixed number of queries."""

from __future__ import annotations

import pytest

from tests.factories import make_finished_attempt

pytestmark = pytest.mark.django_db
URL = "/sets/da-mo-xing/stats/"


@pytest.fixture
def staff(client, django_user_model):
    user = django_user_model.objects.create_user("teacher", password="x-pass-1234", is_staff=True)
    client.force_login(user)
    return user


def cohort(study_set, django_user_model, size: int) -> None:
    """`size` learners who all miss question 202 and get 201 right."""
    for n in range(size):
        user = django_user_model.objects.create_user(f"learner{n}", password="x-pass-1234")
        make_finished_attempt(user, study_set, wrong={202})


def row_html(html: str, question_id: int) -> str:
    start = html.index(f'id="item-{question_id}"')
    return html[start : html.index("</tr>", start)]


def test_four_responses_say_sample_too_small_not_too_hard(
    client, staff, da_mo_xing, django_user_model
):
    cohort(da_mo_xing, django_user_model, 4)
    html = client.get(URL).content.decode()
    row = row_html(html, 202)
    assert "样本太少" in row
    assert "太难" not in row


def test_five_responses_are_flagged(client, staff, da_mo_xing, django_user_model):
    cohort(da_mo_xing, django_user_model, 5)
    html = client.get(URL).content.decode()
    assert "太难" in row_html(html, 202)
    assert "样本太少" not in html


def test_facility_is_a_percentage(client, staff, da_mo_xing, django_user_model):
    cohort(da_mo_xing, django_user_model, 5)
    html = client.get(URL).content.decode()
    assert ">0%<" in row_html(html, 202)
    assert ">100%<" in row_html(html, 201)


def test_unanswered_question_says_so(client, staff, da_mo_xing):
    html = client.get(URL).content.decode()
    assert "未作答" in row_html(html, 202)


def test_the_wide_table_says_it_scrolls_sideways(client, staff, da_mo_xing):
    html = client.get(URL).content.decode()
    assert "左右滑动查看更多" in html


@pytest.mark.parametrize("learners", [2, 12])
def test_query_count_does_not_grow_with_learners(
    client, staff, da_mo_xing, django_user_model, django_assert_num_queries, learners
):
    cohort(da_mo_xing, django_user_model, learners)
    with django_assert_num_queries(9):
        assert client.get(URL).status_code == 200
