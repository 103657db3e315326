"""The review page's filters (全部 / 题目 / 卡片 / 已接受), its counts, and its one
primary action."""

from __future__ import annotations

import pytest
from django.urls import reverse

from notes.models import StudySet
from tests.generator.test_views import create

pytestmark = pytest.mark.django_db


@pytest.fixture
def study_set(client, learner):
    client.force_login(learner)
    create(client)
    study_set = StudySet.objects.get()
    # One of each accepted already.
    study_set.cards.filter(pk=study_set.cards.first().pk).update(is_draft=False)
    study_set.questions.filter(pk=study_set.questions.first().pk).update(is_draft=False)
    return study_set


def review(client, study_set, **params):
    return client.get(reverse("generator:review", args=[study_set.slug]), params)


def shown(response) -> tuple[set[int], set[int]]:
    return (
        {q.pk for q in response.context["questions"]},
        {c.pk for c in response.context["cards"]},
    )


def test_all_shows_every_draft(client, study_set):
    questions, cards = shown(review(client, study_set))
    assert questions == set(study_set.questions.filter(is_draft=True).values_list("pk", flat=True))
    assert cards == set(study_set.cards.filter(is_draft=True).values_list("pk", flat=True))


def test_questions_filter_shows_only_draft_questions(client, study_set):
    response = review(client, study_set, show="questions")
    questions, cards = shown(response)
    assert questions == set(study_set.questions.filter(is_draft=True).values_list("pk", flat=True))
    assert cards == set()
    assert 'aria-current="page">题目' in response.content.decode()


def test_cards_filter_shows_only_draft_cards(client, study_set):
    questions, cards = shown(review(client, study_set, show="cards"))
    assert questions == set()
    assert cards == set(study_set.cards.filter(is_draft=True).values_list("pk", flat=True))


def test_accepted_filter_shows_published_items_without_accept_buttons(client, study_set):
    response = review(client, study_set, show="accepted")
    questions, cards = shown(response)
    assert questions == {study_set.questions.filter(is_draft=False).get().pk}
    assert cards == {study_set.cards.filter(is_draft=False).get().pk}
    html = response.content.decode()
    assert ">接受</button>" not in html
    assert ">编辑</a>" in html


def test_a_bad_filter_is_a_400_in_chinese_and_changes_nothing(client, study_set):
    drafts = study_set.questions.filter(is_draft=True).count()
    response = review(client, study_set, show="everything")
    assert response.status_code == 400
    assert "没有这个筛选" in response.content.decode()
    assert study_set.questions.filter(is_draft=True).count() == drafts


def test_counts_and_one_primary_button(client, study_set):
    response = review(client, study_set)
    html = response.content.decode()
    counts = response.context["counts"]
    assert counts == {
        "questions": study_set.questions.filter(is_draft=True).count(),
        "cards": study_set.cards.filter(is_draft=True).count(),
        "accepted": 2,
        "all": study_set.questions.filter(is_draft=True).count()
        + study_set.cards.filter(is_draft=True).count(),
    }
    assert f"待审核 {counts['all']} 项" in html
    # 全部接受 is the one primary button; each item's 接受 is secondary.
    assert html.count('class="button"') + html.count('class="button button--primary"') == 1
    assert 'class="button button--small button--secondary" type="submit">接受' in html


def test_accepting_one_by_htmx_updates_the_counts(client, study_set):
    card = study_set.cards.filter(is_draft=True).first()
    before = (
        study_set.cards.filter(is_draft=True).count()
        + study_set.questions.filter(is_draft=True).count()
    )
    url = reverse("generator:decide", args=[study_set.slug, "card", card.pk, "accept"])
    html = client.post(url, headers={"HX-Request": "true"}).content.decode()
    assert "已接受" in html
    assert 'id="review-counts"' in html
    assert 'hx-swap-oob="true"' in html
    assert f"待审核 {before - 1} 项" in html


@pytest.mark.parametrize(
    ("show", "queries"), [("all", 7), ("questions", 6), ("cards", 5), ("accepted", 7)]
)
def test_query_count_is_fixed(client, study_set, django_assert_num_queries, show, queries):
    # session, user, set, two counts, then cards, questions and their choices
    with django_assert_num_queries(queries):
        assert review(client, study_set, show=show).status_code == 200
