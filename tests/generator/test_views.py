"""/sets/new/, review of drafts, private sets and share links, and 智能练习."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from flashcards.models import Card
from notes.models import StudySet
from quizzes.models import Attempt, Question
from tests.factories import make_finished_attempt
from tests.generator.test_generate import BIOLOGY

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(client, learner):
    client.force_login(learner)
    return learner


def create(client, text=BIOLOGY, title="细胞生物学", **extra):
    return client.post(reverse("generator:new"), {"title": title, "text": text, **extra})


class TestNewSet:
    def test_login_required(self, client):
        assert client.get("/sets/new/").status_code == 302

    def test_paste_makes_a_private_set_of_drafts(self, client, owner):
        assert client.get("/sets/new/").status_code == 200
        response = create(client)
        study_set = StudySet.objects.get()
        assert response["Location"] == reverse("generator:review", args=[study_set.slug])
        assert study_set.owner == owner
        assert not study_set.is_public
        assert re.fullmatch(r"xi-bao-sheng-wu-xue-[0-9a-f]{6}", study_set.slug)
        assert study_set.cards.count() >= 8
        assert not study_set.cards.filter(is_draft=False).exists()
        assert not study_set.questions.filter(is_draft=False).exists()
        assert all(card.source for card in study_set.cards.all())

    def test_upload_a_markdown_file(self, client, owner):
        upload = SimpleUploadedFile("notes.md", BIOLOGY.encode())
        create(client, text="", file=upload)
        assert StudySet.objects.get().notes.count() == 2

    def test_same_title_twice_gets_two_sets(self, client, owner):
        create(client)
        create(client)
        first, second = StudySet.objects.values_list("slug", flat=True)
        assert first != second
        assert first.startswith("xi-bao-sheng-wu-xue-")
        assert second.startswith("xi-bao-sheng-wu-xue-")

    def test_a_taken_title_is_not_revealed_by_the_slug(self, client, owner, django_user_model):
        """Someone else's private set with the same title leaves no trace in ours."""
        stranger = django_user_model.objects.create_user("stranger", password="x-pass-学习")
        StudySet.objects.create(
            slug="xi-bao-sheng-wu-xue", title="细胞生物学", owner=stranger, is_public=False
        )
        create(client)
        mine = StudySet.objects.get(owner=owner).slug
        assert re.fullmatch(r"xi-bao-sheng-wu-xue-[0-9a-f]{6}", mine)

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"text": ""}, "请粘贴笔记"),
            ({"text": "今天天气很好,我们去公园散步。"}, "没有找到可以出题的定义"),
            ({"text": "", "file": SimpleUploadedFile("big.txt", b"a" * (300 * 1024))}, "文件太大"),
            (
                {"text": "", "file": SimpleUploadedFile("x.txt", b"\x00\x01\x02binary")},
                "不是文本文件",
            ),
            ({"text": "", "file": SimpleUploadedFile("x.txt", "笔记".encode("gbk"))}, "不是 UTF-8"),
            ({"text": "", "file": SimpleUploadedFile("x.pdf", b"%PDF-1.4")}, "只支持 .md 和 .txt"),
            ({"text": "模" * 100_001}, "笔记太长了"),
        ],
    )
    def test_bad_input_is_a_clear_400_and_creates_nothing(self, client, owner, data, message):
        response = create(client, **data)
        assert response.status_code == 400
        assert message in response.content.decode()
        assert not StudySet.objects.exists()


class TestReview:
    @pytest.fixture
    def study_set(self, client, owner):
        create(client)
        return StudySet.objects.get()

    def test_lists_drafts_with_their_source(self, client, study_set):
        html = client.get(reverse("generator:review", args=[study_set.slug])).content.decode()
        card = study_set.cards.first()
        assert card.front in html
        assert card.source in html

    def test_accept_publishes_and_discard_deletes(self, client, study_set):
        card, question = study_set.cards.first(), study_set.questions.first()
        url = reverse("generator:decide", args=[study_set.slug, "card", card.pk, "accept"])
        response = client.post(url, headers={"HX-Request": "true"})
        assert "已接受" in response.content.decode()
        card.refresh_from_db()
        assert not card.is_draft
        client.post(
            reverse("generator:decide", args=[study_set.slug, "question", question.pk, "discard"])
        )
        assert not Question.objects.filter(pk=question.pk).exists()

    def test_accepted_items_reach_the_quiz_and_cards(self, client, study_set):
        client.post(reverse("generator:accept-all", args=[study_set.slug]))
        assert study_set.questions.filter(is_draft=False).count() >= 8
        response = client.get(reverse("flashcards:flashcards", args=[study_set.slug]))
        assert response.context["card"] is not None
        client.post(reverse("quizzes:start", args=[study_set.slug]), {"mode": "all"})
        assert (
            Attempt.objects.get().question_count
            == study_set.questions.filter(is_draft=False).count()
        )

    def test_edit_a_card(self, client, study_set):
        card = study_set.cards.first()
        url = reverse("generator:edit", args=[study_set.slug, "card", card.pk])
        assert client.get(url).status_code == 200
        client.post(url, {"front": card.front, "back": "改写后的释义"})
        card.refresh_from_db()
        assert card.back == "改写后的释义"

    def test_bad_action_or_kind_is_404(self, client, study_set):
        card = study_set.cards.first()
        assert (
            client.post(
                reverse("generator:decide", args=[study_set.slug, "card", card.pk, "explode"])
            ).status_code
            == 404
        )
        assert (
            client.post(
                reverse("generator:decide", args=[study_set.slug, "user", 1, "accept"])
            ).status_code
            == 404
        )

    def test_someone_else_cannot_review_or_change_anything(
        self, client, study_set, django_user_model
    ):
        card = study_set.cards.first()
        client.force_login(django_user_model.objects.create_user("other", password="x-pass-1234"))
        assert client.get(reverse("generator:review", args=[study_set.slug])).status_code == 404
        for action in ("accept", "discard"):
            url = reverse("generator:decide", args=[study_set.slug, "card", card.pk, action])
            assert client.post(url).status_code == 404
        assert client.post(reverse("generator:share", args=[study_set.slug])).status_code == 404
        card.refresh_from_db()
        assert card.is_draft


class TestPrivacyAndSharing:
    @pytest.fixture
    def study_set(self, client, owner):
        create(client)
        study_set = StudySet.objects.get()
        client.post(reverse("generator:accept-all", args=[study_set.slug]))
        return study_set

    @pytest.mark.parametrize("part", ["", "notes/", "quiz/", "flashcards/", "podcast/"])
    def test_private_set_is_404_for_others(self, client, study_set, part, django_user_model):
        url = f"/sets/{study_set.slug}/{part}"
        assert client.get(url).status_code == 200
        client.logout()
        assert client.get(url).status_code == 404
        client.force_login(django_user_model.objects.create_user("other", password="x-pass-1234"))
        assert client.get(url).status_code == 404

    def test_listed_and_searchable_only_for_the_owner(self, client, study_set, django_user_model):
        assert study_set.title in client.get("/").content.decode()
        assert client.get("/search/", {"q": "线粒体"}).context["hits"]
        client.force_login(django_user_model.objects.create_user("other", password="x-pass-1234"))
        assert study_set.title not in client.get("/").content.decode()
        assert not client.get("/search/", {"q": "线粒体"}).context["hits"]

    def test_share_link_opens_the_set_until_withdrawn(self, client, study_set):
        from django.test import Client

        client.post(reverse("generator:share", args=[study_set.slug]))
        study_set.refresh_from_db()
        assert study_set.share_token
        assert study_set.share_url() in client.get(study_set.get_absolute_url()).content.decode()
        friend = Client()
        assert friend.get(study_set.get_absolute_url()).status_code == 404
        assert friend.get(study_set.share_url()).status_code == 302
        assert friend.get(study_set.get_absolute_url()).status_code == 200
        old_url = study_set.share_url()
        client.post(reverse("generator:share", args=[study_set.slug]), {"action": "stop"})
        assert Client().get(old_url).status_code == 404

    def test_wrong_token_is_404(self, client):
        assert client.get("/sets/shared/not-a-token/").status_code == 404


class TestPractice:
    def test_requires_login(self, client):
        assert client.get("/me/practice/").status_code == 302

    def test_plan_and_session_draw_on_mistakes_and_weak_sections(self, client, learner, da_mo_xing):
        from uuid import uuid4

        from flashcards.models import record_review

        make_finished_attempt(learner, da_mo_xing, wrong={201, 204})  # 概念 and 应用领域
        record_review(learner, Card.objects.first(), 1, uuid4())
        client.force_login(learner)
        [row] = client.get("/me/practice/").context["rows"]
        assert row.mistakes == 2
        assert row.due_cards >= 0
        assert row.weakest[0] in {"概念", "应用领域"}
        response = client.post(reverse("quizzes:start", args=["da-mo-xing"]), {"mode": "practice"})
        assert response.status_code == 302
        attempt = Attempt.objects.get(mode="practice")
        ids = [item.question_id for item in attempt.item_list]
        assert ids[:2] == [204, 201] or set(ids[:2]) == {201, 204}
        notes = set(Question.objects.filter(pk__in=ids[2:]).values_list("note__title", flat=True))
        assert notes <= {"概念", "应用领域"}

    def test_practice_without_history_is_a_clear_400(self, client, learner, da_mo_xing):
        client.force_login(learner)
        response = client.post(reverse("quizzes:start", args=["da-mo-xing"]), {"mode": "practice"})
        assert response.status_code == 400
        assert "没有可练习的题目" in response.content.decode()

    def test_empty_plan(self, client, learner):
        client.force_login(learner)
        assert "还没有学习记录" in client.get("/me/practice/").content.decode()
