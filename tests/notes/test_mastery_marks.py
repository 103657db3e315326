"""The notes show what you know (issue 22, item 4): a mastery mark at each section
heading and in the contents for a logged-in learner, put into the shared cached
article per request; anonymous readers get the article exactly as before."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, timedelta

import pytest
import time_machine
from django.utils import timezone

from flashcards.models import Card, record_review
from notes.models import Note
from quizzes.models import QuestionState
from tests.factories import make_card, make_note, make_question, make_study_set

pytestmark = pytest.mark.django_db
URL = "/sets/da-mo-xing/notes/"


def remember(user, question_id: int, *, correct: bool, days_ago: float = 0) -> QuestionState:
    return QuestionState.remember(
        user,
        question_id,
        correct=correct,
        wrong_before=False,
        now=timezone.now() - timedelta(days=days_ago),
        desired_retention=0.9,
    )


MARK = re.compile(
    r'<span class="mastery-mark mastery-mark--(\w+)"(?: title="[^"]*")?>'
    r'<span class="visually-hidden">(.*?)</span>(.*?)</span>'
)
WEEK_AHEAD = 'title="平均记忆：按记忆模型估计一周后还记得的概率"'


def article_of(html: str) -> str:
    return html[html.index('<div class="notes-layout">') : html.index("</main>")]


def heading_mark(html: str, anchor: str) -> str:
    """The mark after a section's heading: from its </h2> to its first paragraph."""
    start = html.index(f'<h2 id="{anchor}">')
    section = html[start : html.index("</section>", start)]
    found = MARK.search(section)
    assert found, f"no mark at {anchor}"
    return f"{found[1]}: {found[2]}{found[3]}"


def toc_mark(html: str, anchor: str) -> str:
    start = html.index(f'<a href="#{anchor}">')
    entry = html[start : html.index("</li>", start)]
    found = MARK.search(entry)
    assert found, f"no mark in the contents at {anchor}"
    return f"{found[1]}: {found[2]}{found[3]}"


class TestAnonymous:
    def test_the_article_carries_no_marks_and_no_placeholders(self, client, da_mo_xing):
        html = client.get(URL).content.decode()
        assert "mastery" not in html
        assert "<!--" not in article_of(html)
        assert "练习这一节" not in html
        assert "复习本节卡片" not in html

    def test_the_article_is_byte_identical_to_a_learners_without_marks(
        self, client, learner, da_mo_xing
    ):
        anonymous = article_of(client.get(URL).content.decode())
        client.force_login(learner)
        marked = article_of(client.get(URL).content.decode())
        # Take the learner's marks out again: what is left is the anonymous article.
        stripped = re.sub(r'<div class="note-mastery">.*?</div>', "", marked)
        stripped = MARK.sub("", stripped)
        assert stripped == anonymous

    def test_the_htmx_fragment_is_the_same_page_for_anonymous(self, client, da_mo_xing):
        response = client.get(URL, headers={"HX-Request": "true"})
        assert response.status_code == 200
        assert "mastery" not in response.content.decode()


class TestLearner:
    def test_every_titled_section_is_marked_new_before_any_study(self, client, learner, da_mo_xing):
        client.force_login(learner)
        html = client.get(URL).content.decode()
        # 关键技术: 4 questions and 3 cards, none met yet.
        assert heading_mark(html, "关键技术") == "new: 掌握程度：未学 · 7 项"
        assert toc_mark(html, "关键技术") == "new: 掌握程度：未学 · 7 项"
        assert html.count('<div class="note-mastery">') == 6
        assert html.count("练习这一节") == 6

    def test_each_section_shows_the_learners_own_level(
        self, client, learner, da_mo_xing, django_user_model
    ):
        # 概念 (102): its one question answered right just now → 一般, its card unmet.
        remember(learner, Note.objects.get(pk=102).questions.get().pk, correct=True)
        # 发展历程 (103): every question answered wrong → 薄弱.
        for question in Note.objects.get(pk=103).questions.all():
            remember(learner, question.pk, correct=False, days_ago=20)
        # 应用领域 (105): its card reviewed 良好 long ago → recall has faded.
        card = Card.objects.get(note_id=105)
        record_review(
            learner,
            card,
            3,
            uuid.uuid4(),
            now=(timezone.now() - timedelta(days=40)).astimezone(UTC),
        )
        other = django_user_model.objects.create_user("xiaohong", password="另一个-pass-9")
        for question in Note.objects.get(pk=104).questions.all():
            remember(other, question.pk, correct=True)  # someone else's memory counts not
        client.force_login(learner)
        html = client.get(URL).content.decode()
        assert heading_mark(html, "概念") == "fair: 掌握程度：一般 · 81% · 未学 1 项"
        assert toc_mark(html, "概念") == "fair: 掌握程度：一般 · 81% · 未学 1 项"
        assert heading_mark(html, "发展历程").startswith("weak: 掌握程度：薄弱 · ")
        assert heading_mark(html, "应用领域").split(" · ")[0] in {
            "fair: 掌握程度：一般",
            "weak: 掌握程度：薄弱",
        }
        assert heading_mark(html, "关键技术") == "new: 掌握程度：未学 · 7 项"

    def test_marks_say_what_the_percentage_is(self, client, learner, da_mo_xing):
        remember(learner, Note.objects.get(pk=102).questions.get().pk, correct=True)
        client.force_login(learner)
        html = client.get(URL).content.decode()
        assert html.count(WEEK_AHEAD) == 2  # 概念's two marks; 未学 has no percentage

    def test_right_after_study_and_weeks_later(self, client, learner, da_mo_xing):
        """Recall a week ahead: just answered wrong is 薄弱, right once 一般, right
        twice at the due date 掌握, and left alone for weeks it drops."""
        wrong, right = Note.objects.get(pk=103), Note.objects.get(pk=102)
        now = timezone.now()
        with time_machine.travel(now, tick=False):
            for question in wrong.questions.all():
                remember(learner, question.pk, correct=False)
            due = remember(learner, right.questions.get().pk, correct=True).due
            client.force_login(learner)
            html = client.get(URL).content.decode()
        assert heading_mark(html, "发展历程") == "weak: 掌握程度：薄弱 · 58%"
        assert heading_mark(html, "概念") == "fair: 掌握程度：一般 · 81% · 未学 1 项"
        with time_machine.travel(due, tick=False):
            remember(learner, right.questions.get().pk, correct=True)
            html = client.get(URL).content.decode()
        assert heading_mark(html, "概念") == "strong: 掌握程度：掌握 · 93% · 未学 1 项"
        with time_machine.travel(due + timedelta(weeks=4), tick=False):
            client.force_login(learner)  # the session of four weeks ago has expired
            html = client.get(URL).content.decode()
        assert heading_mark(html, "概念").startswith("fair: 掌握程度：一般 · ")

    def test_the_practice_button_posts_the_section_to_the_practice_start(
        self, client, learner, da_mo_xing
    ):
        client.force_login(learner)
        html = client.get(URL).content.decode()
        start = html.index('<h2 id="关键技术">')
        form = html[start : html.index("</form>", start)]
        assert 'action="/me/practice/da-mo-xing/start/"' in form
        assert 'method="post"' in form
        assert 'name="csrfmiddlewaretoken"' in form
        assert '<input type="hidden" name="mode" value="section">' in form
        assert '<input type="hidden" name="section" value="104">' in form

    def test_a_section_with_cards_offers_them(self, client, learner, da_mo_xing):
        client.force_login(learner)
        html = client.get(URL).content.decode()
        start = html.index('<h2 id="关键技术">')
        block = html[start : html.index("</div>", start)]
        assert 'href="/sets/da-mo-xing/flashcards/?section=104">复习本节卡片</a>' in block
        # Five sections have cards; 发展历程 (103) has questions only.
        assert html.count("复习本节卡片") == 5
        start = html.index('<h2 id="发展历程">')
        assert "复习本节卡片" not in html[start : html.index("</div>", start)]

    def test_draft_cards_are_no_cards_to_review(self, client, learner):
        study_set = make_study_set(slug="drafts")
        note = make_note(study_set, title="草稿一节")
        make_question(study_set, note=note)
        make_card(study_set, note=note, is_draft=True)
        client.force_login(learner)
        html = client.get("/sets/drafts/notes/").content.decode()
        assert "练习这一节" in html
        assert "复习本节卡片" not in html

    def test_a_card_added_shows_the_link_at_once(self, client, learner):
        study_set = make_study_set(slug="grows")
        note = make_note(study_set, title="一节")
        make_question(study_set, note=note)
        client.force_login(learner)
        assert "复习本节卡片" not in client.get("/sets/grows/notes/").content.decode()
        make_card(study_set, note=note)
        assert "复习本节卡片" in client.get("/sets/grows/notes/").content.decode()

    def test_a_section_without_items_carries_no_mark(self, client, learner):
        study_set = make_study_set(slug="bare")
        make_note(study_set, title="空的一节")
        client.force_login(learner)
        html = client.get("/sets/bare/notes/").content.decode()
        assert "mastery" not in html
        assert "<!--" not in article_of(html)

    def test_an_edited_note_shows_at_once_with_its_marks(self, client, learner, da_mo_xing):
        client.force_login(learner)
        client.get(URL)
        note = Note.objects.get(pk=104)
        note.body = "改过的正文：注意力机制。"
        note.save()
        html = client.get(URL).content.decode()
        assert "改过的正文" in html
        assert heading_mark(html, "关键技术") == "new: 掌握程度：未学 · 7 项"

    def test_a_comment_in_a_note_cannot_pose_as_a_placeholder(self, client, learner):
        study_set = make_study_set(slug="sly")
        note = make_note(study_set, title="一节")
        make_question(study_set, note=note)
        make_note(
            study_set,
            title="另一节",
            body=f"正文<!--mastery:h:{note.pk}--><!--mastery:toc:{note.pk}-->",
        )
        client.force_login(learner)
        html = client.get("/sets/sly/notes/").content.decode()
        assert html.count('<div class="note-mastery">') == 1
        assert "<!--" not in article_of(html)


class TestQueries:
    @pytest.fixture
    def long_set(self):
        study_set = make_study_set(slug="long")
        for _ in range(30):
            note = make_note(study_set)
            make_card(study_set, note=note)
            make_question(study_set, note=note)
        return study_set

    def test_anonymous_warm_is_one_query(self, client, long_set, django_assert_num_queries):
        client.get("/sets/long/notes/")
        with django_assert_num_queries(1):  # the set
            client.get("/sets/long/notes/")

    def test_a_learner_warm_adds_one_query_for_mastery(
        self, client, learner, long_set, django_assert_num_queries
    ):
        for question in long_set.questions.all()[:10]:
            remember(learner, question.pk, correct=True)
        client.force_login(learner)
        client.get("/sets/long/notes/")
        # the user, the set (the session is cached), the learner's memories
        with django_assert_num_queries(3):
            html = client.get("/sets/long/notes/").content.decode()
        assert html.count('<div class="note-mastery">') == 30
        assert html.count("复习本节卡片") == 30
