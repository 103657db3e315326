"""The review page's filters (全部 / 题目 / 卡片 / 已接受), its counts, and its one
primary action."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from notes.models import StudySet
from tests.factories import make_card, make_question, make_study_set
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


class TestOnlyCompleteItemsArePublished:
    """accept and 全部接受 apply the one completeness rule (quizzes.completeness,
    flashcards.completeness): an incomplete draft stays a draft."""

    @pytest.fixture
    def own_set(self, client, learner):
        client.force_login(learner)
        return make_study_set(owner=learner, is_public=False)

    def accept(self, client, item, kind):
        url = reverse("generator:decide", args=[item.study_set.slug, kind, item.pk, "accept"])
        return client.post(url, headers={"HX-Request": "true"})

    @pytest.mark.parametrize(
        ("kind", "choices"),
        [
            ("single", (("唯一的选项", True),)),
            ("single", (("甲", True), ("乙", True))),
            ("fill_blank", (("自注意力", True), ("卷积", False))),
        ],
    )
    def test_accept_refuses_an_incomplete_question(self, client, own_set, kind, choices):
        question = make_question(own_set, kind=kind, choices=choices, is_draft=True)
        response = self.accept(client, question, "question")
        assert response.status_code == 400
        assert "内容不完整\uff0c不能接受\uff1a" in response.content.decode()
        question.refresh_from_db()
        assert question.is_draft

    @pytest.mark.parametrize(
        ("choices", "problem"),
        [
            ((("唯一的选项", True),), "选择题至少要有两个选项。"),
            ((("甲", False), ("乙", False)), "至少要有一个正确选项。"),
            ((("甲", True), ("\u3000", False)), "选择题至少要有两个选项。"),
        ],
    )
    def test_the_refusal_says_what_is_missing_in_an_alert(self, client, own_set, choices, problem):
        # site.js shows a refusal's [role=alert] text; a bare text body left the
        # reviewer with the generic "未保存" and no reason, and without JS with no way back.
        question = make_question(own_set, choices=choices, is_draft=True)
        fragment = self.accept(client, question, "question").content.decode()
        assert re.search(rf'role="alert">[^<]*{re.escape(problem)}', fragment)
        url = reverse("generator:decide", args=[own_set.slug, "question", question.pk, "accept"])
        page = client.post(url)
        assert page.status_code == 400
        html = page.content.decode()
        assert problem in html
        assert f'href="{reverse("generator:review", args=[own_set.slug])}"' in html
        question.refresh_from_db()
        assert question.is_draft

    def test_accept_refuses_a_card_whose_back_is_whitespace(self, client, own_set):
        card = make_card(own_set, back=" \u3000\n", is_draft=True)
        assert self.accept(client, card, "card").status_code == 400
        card.refresh_from_db()
        assert card.is_draft

    def test_accept_all_leaves_incomplete_drafts(self, client, own_set):
        good = make_question(own_set, is_draft=True)
        one_option = make_question(own_set, choices=(("唯一的选项", True),), is_draft=True)
        card = make_card(own_set, is_draft=True)
        blank_back = make_card(own_set, back="   ", is_draft=True)
        response = client.post(reverse("generator:accept-all", args=[own_set.slug]), follow=True)
        assert "已接受 1 道题、1 张卡片。" in response.content.decode()
        assert set(own_set.questions.published()) == {good}
        assert set(own_set.questions.drafts()) == {one_option}
        assert set(own_set.cards.published()) == {card}
        assert set(own_set.cards.drafts()) == {blank_back}

    @pytest.mark.parametrize("n", [2, 20])
    def test_accept_all_query_count_does_not_grow(
        self, client, own_set, n, django_assert_num_queries
    ):
        for _ in range(n):
            make_question(own_set, is_draft=True)
            make_card(own_set, is_draft=True)
        # 11: publishing questions and cards each renews the set's content_version
        # (the cached notes page and counts).
        with django_assert_num_queries(11):
            client.post(reverse("generator:accept-all", args=[own_set.slug]))
        assert own_set.questions.drafts().count() == own_set.cards.drafts().count() == 0
