"""A private set's share link grants access only while the owner keeps it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from notes.models import StudySet
from quizzes.models import Answer
from tests.factories import make_card, make_note, make_question
from tests.quizzes.helpers import answer, current, start

pytestmark = pytest.mark.django_db

SECRET = "线粒体是细胞的能量工厂"
PAGES = ["", "notes/", "quiz/", "flashcards/", "podcast/"]


@pytest.fixture
def private(learner):
    study_set = StudySet.objects.create(
        slug="xi-bao", title="细胞", owner=learner, is_public=False, share_token=""
    )
    note = make_note(study_set, title="细胞器", body=f"- {SECRET}")
    make_question(study_set, note=note, prompt="线粒体的作用是什么？")
    make_question(study_set, note=note, prompt="核糖体的作用是什么？")
    make_card(study_set, front="线粒体", back=SECRET)
    return study_set


@pytest.fixture
def owner(private):
    client = Client()
    client.force_login(private.owner)
    return client


def share(owner: Client, study_set: StudySet, action: str = "share") -> str:
    owner.post(reverse("generator:share", args=[study_set.slug]), {"action": action})
    study_set.refresh_from_db()
    return study_set.share_url()


def can_read(visitor: Client, study_set: StudySet) -> dict[str, int]:
    codes = {part: visitor.get(f"/sets/{study_set.slug}/{part}").status_code for part in PAGES}
    hits = visitor.get("/search/", {"q": "线粒体"}).context["hits"]
    codes["search"] = 200 if hits else 404
    return codes


def test_withdrawing_the_link_takes_every_page_and_search_away(owner, private):
    link = share(owner, private)
    visitor = Client()
    assert visitor.get(link).status_code == 302
    assert set(can_read(visitor, private).values()) == {200}

    share(owner, private, "stop")

    assert set(can_read(visitor, private).values()) == {404}
    assert visitor.get(link).status_code == 404


def test_withdrawn_link_stops_an_open_quiz_attempt(owner, private):
    visitor = Client()
    visitor.get(share(owner, private))
    start(visitor, slug=private.slug)
    attempt = current(private.slug)
    first, second = attempt.item_list[:2]
    assert answer(visitor, attempt, first).status_code == 200

    share(owner, private, "stop")

    assert answer(visitor, attempt, second).status_code == 404
    assert Answer.objects.filter(attempt=attempt).count() == 1
    results = reverse("quizzes:results", args=[private.slug, attempt.pk])
    assert visitor.get(results).status_code == 404


def test_resharing_makes_a_new_token_and_the_old_one_stays_dead(owner, private):
    old = share(owner, private)
    visitor = Client()
    visitor.get(old)
    share(owner, private, "stop")
    new = share(owner, private)

    assert new != old
    assert Client().get(old).status_code == 404
    # The visitor's remembered old token does not come back to life.
    assert set(can_read(visitor, private).values()) == {404}
    assert visitor.get(new).status_code == 302
    assert set(can_read(visitor, private).values()) == {200}


def test_a_token_grants_only_its_own_set(owner, private, learner):
    other = StudySet.objects.create(
        slug="qi-ta", title="其他", owner=learner, is_public=False, share_token="other-token"
    )
    make_note(other, title="章节", body="- 内容")
    visitor = Client()
    visitor.get(share(owner, private))
    assert visitor.get(other.get_absolute_url()).status_code == 404


@pytest.fixture
def friend(owner, private, django_user_model) -> Client:
    """A learner who opened the share link and answered every question wrong."""
    friend = Client()
    friend.force_login(django_user_model.objects.create_user("friend", password="x-pass-学习"))
    friend.get(share(owner, private))
    start(friend, slug=private.slug)
    attempt = current(private.slug)
    for item in attempt.item_list:
        answer(friend, attempt, item, right=False)
    return friend


def test_withdrawn_set_leaves_the_mistakes_book_and_practice(owner, private, friend):
    assert "线粒体的作用是什么" in friend.get("/me/mistakes/").content.decode()
    assert friend.get("/me/practice/").context["rows"]

    share(owner, private, "stop")

    assert "线粒体的作用是什么" not in friend.get("/me/mistakes/").content.decode()
    assert not friend.get("/me/practice/").context["rows"]


def test_withdrawn_set_leaves_me_with_its_sections(owner, private, friend):
    assert [p.study_set for p in friend.get("/me/").context["dashboard"].sets] == [private]

    share(owner, private, "stop")
    make_note(private, title="撤回后新增的秘密章节", body="- 秘密")

    page = friend.get("/me/")
    assert page.context["dashboard"].sets == []
    assert "细胞" not in page.content.decode()
    assert "撤回后新增的秘密章节" not in page.content.decode()


def test_a_dead_link_says_it_was_withdrawn_or_never_made(owner, private):
    link = share(owner, private)
    share(owner, private, "stop")
    for url in [link, "/sets/shared/never-made-token-x/"]:
        response = Client().get(url)
        assert response.status_code == 404
        assert "这个分享链接已经停用，或者从来没有过" in response.content.decode()
