"""/sets/new/ and its progress page, review of drafts, private sets and share
links, and 智能练习."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from flashcards.models import Card
from generator.models import Generation
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
    """Submit the form as a browser does: a fresh one-time token on every page load."""
    data = {"title": title, "text": text, "token": str(uuid.uuid4()), **extra}
    return client.post(reverse("generator:new"), data)


def queued(owner, **fields) -> Generation:
    """A generation waiting for the worker (the immediate backend never leaves one)."""
    return Generation.objects.create(
        owner=owner, title=fields.pop("title", "细胞生物学"), notes=BIOLOGY, **fields
    )


class TestNewSet:
    def test_login_required(self, client):
        assert client.get("/sets/new/").status_code == 302

    def test_paste_makes_a_private_set_of_drafts(self, client, owner):
        assert client.get("/sets/new/").status_code == 200
        response = create(client)
        generation = Generation.objects.get()
        assert response.status_code == 303
        assert response["Location"] == reverse("generator:progress", args=[generation.pk])
        study_set = StudySet.objects.get()
        assert generation.study_set == study_set
        assert generation.status == Generation.Status.DONE
        assert study_set.owner == owner
        assert not study_set.is_public
        assert re.fullmatch(r"xi-bao-sheng-wu-xue-[0-9a-f]{6}", study_set.slug)
        assert study_set.cards.count() >= 8
        assert not study_set.cards.filter(is_draft=False).exists()
        assert not study_set.questions.filter(is_draft=False).exists()
        assert all(card.source for card in study_set.cards.all())

    def test_a_finished_generation_leads_to_the_review(self, client, owner):
        progress = create(client)["Location"]
        study_set = StudySet.objects.get()
        response = client.get(progress, follow=True)
        assert response.redirect_chain == [
            (reverse("generator:review", args=[study_set.slug]), 302)
        ]
        cards = study_set.cards.count()
        assert f"已生成 {cards} 张卡片" in response.content.decode()

    @pytest.mark.slow  # generates from notes past the caps
    def test_notes_beyond_the_caps_are_reported_as_not_generated(self, client, owner):
        lines = [f"- 术语{i}:第{i}个术语的定义是一段足够长的说明文字。" for i in range(400)]
        progress = create(client, text="# 术语表\n" + "\n".join(lines))["Location"]
        html = client.get(progress, follow=True).content.decode()
        assert StudySet.objects.get().cards.count() == 300
        assert "另有 " in html
        assert "每个学习集最多 300 张卡片、300 道题" in html

    def test_notes_within_the_caps_report_nothing_skipped(self, client, owner):
        html = client.get(create(client)["Location"], follow=True).content.decode()
        assert "没有生成" not in html

    @pytest.mark.parametrize("value", ["\u00b2", "9" * 5000, "-1", "1e3", ""])
    def test_an_odd_from_is_an_empty_form(self, client, owner, value):
        response = client.get("/sets/new/", {"from": value})
        assert response.status_code == 200
        assert not response.context["form"].initial.get("text")

    def test_notes_at_the_limit_count_a_line_break_once(self, client, owner):
        """A browser's maxlength counts a line break once and sends it as CRLF."""
        line = "- 线粒体:细胞的能量工厂,产生 ATP。"
        text = "\r\n".join([line] * (100_000 // (len(line) + 1)))
        assert len(text.replace("\r\n", "\n")) <= 100_000 < len(text)
        assert create(client, text=text).status_code == 303

    def test_notes_over_the_limit_get_one_message(self, client, owner):
        html = create(client, text="字" * 100_001).content.decode()
        assert "笔记太长了" in html
        assert "请粘贴笔记" not in html

    def test_get_creates_and_queues_nothing(self, client, owner):
        client.get("/sets/new/")
        client.get("/sets/new/", {"from": "1"})
        assert not Generation.objects.exists()
        assert not StudySet.objects.exists()

    def test_the_same_form_submitted_twice_makes_one_set(self, client, owner):
        data = {"title": "细胞生物学", "text": BIOLOGY, "token": str(uuid.uuid4())}
        first = client.post(reverse("generator:new"), data)
        second = client.post(reverse("generator:new"), data)
        assert first["Location"] == second["Location"]
        assert Generation.objects.count() == 1
        assert StudySet.objects.count() == 1

    def test_too_many_running_generations_is_a_clear_429(self, client, owner):
        for _ in range(Generation.MAX_ACTIVE):
            queued(owner)
        response = create(client)
        assert response.status_code == 429
        assert "正在生成" in response.content.decode()
        assert Generation.objects.count() == Generation.MAX_ACTIVE
        assert not StudySet.objects.exists()

    def test_stale_generations_do_not_count_against_the_limit(self, client, owner):
        for _ in range(Generation.MAX_ACTIVE):
            queued(owner, status=Generation.Status.RUNNING)
        with time_machine.travel(timezone.now() + Generation.STALE_RUNNING + timedelta(seconds=1)):
            assert create(client).status_code == 303

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
            ({"token": "not-a-token"}, "请刷新页面"),
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
        assert not Generation.objects.exists()

    def test_notes_without_definitions_fail_with_the_reason_and_a_way_back(self, client, owner):
        notes = "今天天气很好\uff0c我们去公园散步。"
        progress = create(client, text=notes)["Location"]
        generation = Generation.objects.get()
        assert generation.status == Generation.Status.FAILED
        assert not StudySet.objects.exists()
        html = client.get(progress).content.decode()
        assert "没有找到可以出题的定义" in html
        assert 'role="alert"' in html
        # Trying the same notes again cannot help: only 修改笔记 is offered.
        assert reverse("generator:retry", args=[generation.pk]) not in html
        back = f"{reverse('generator:new')}?from={generation.pk}"
        assert back in html
        form = client.get(back).context["form"]
        assert form.initial["title"] == "细胞生物学"
        assert form.initial["text"] == notes


class TestProgress:
    def url(self, generation):
        return reverse("generator:progress", args=[generation.pk])

    def test_a_queued_generation_shows_its_progress_and_polls(self, client, owner):
        generation = queued(owner)
        response = client.get(self.url(generation))
        html = response.content.decode()
        assert response.status_code == 200
        assert "<h1>" in html
        assert 'role="status"' in html
        assert "排队中" in html
        assert 'hx-trigger="every 2s"' in html
        assert '<meta http-equiv="refresh"' in html  # without JavaScript
        assert f'href="{self.url(generation)}"' in html  # and a plain 刷新 link

    def test_htmx_gets_only_the_fragment(self, client, owner):
        generation = queued(owner, status=Generation.Status.RUNNING, progress=70)
        response = client.get(
            self.url(generation), headers={"HX-Request": "true", "HX-Target": "generation"}
        )
        html = response.content.decode()
        assert html.lstrip().startswith('<section id="generation"')
        assert "<h1>" not in html
        assert "70%" in html
        assert 'hx-trigger="every 2s"' in html

    def test_htmx_is_sent_to_the_review_when_done(self, client, owner):
        progress = create(client)["Location"]
        study_set = StudySet.objects.get()
        response = client.get(progress, headers={"HX-Request": "true", "HX-Target": "generation"})
        assert response["HX-Redirect"] == reverse("generator:review", args=[study_set.slug])

    def test_a_stale_running_generation_shows_as_failed_and_stops_polling(self, client, owner):
        generation = queued(owner, status=Generation.Status.RUNNING, progress=10)
        later = timezone.now() + Generation.STALE_RUNNING + timedelta(seconds=1)
        with time_machine.travel(later):
            html = client.get(self.url(generation)).content.decode()
        assert "超时" in html
        assert "every 2s" not in html
        assert reverse("generator:retry", args=[generation.pk]) in html

    def test_a_running_generation_is_not_stale_within_the_limit(self, client, owner):
        generation = queued(owner, status=Generation.Status.RUNNING, progress=10)
        sooner = timezone.now() + Generation.STALE_RUNNING - timedelta(seconds=5)
        with time_machine.travel(sooner):
            html = client.get(self.url(generation)).content.decode()
        assert "超时" not in html
        assert "every 2s" in html

    def test_a_failure_that_may_pass_offers_retry(self, client, owner):
        generation = queued(owner, status=Generation.Status.FAILED, error="模型服务不可用")
        html = client.get(self.url(generation)).content.decode()
        assert reverse("generator:retry", args=[generation.pk]) in html

    def test_retry_requeues_a_failed_generation(self, client, owner):
        generation = queued(owner, status=Generation.Status.FAILED, error="模型服务不可用")
        response = client.post(reverse("generator:retry", args=[generation.pk]))
        assert response.status_code == 303
        assert response["Location"] == self.url(generation)
        generation.refresh_from_db()
        assert generation.status == Generation.Status.DONE  # the immediate backend ran it
        assert StudySet.objects.get().owner == owner

    def test_retry_of_a_working_generation_changes_nothing(self, client, owner):
        generation = queued(owner)
        response = client.post(reverse("generator:retry", args=[generation.pk]))
        assert response.status_code == 303
        generation.refresh_from_db()
        assert generation.status == Generation.Status.QUEUED
        assert not StudySet.objects.exists()

    def test_only_the_owner_sees_it(self, client, owner, django_user_model):
        generation = queued(owner, status=Generation.Status.FAILED, error="x")
        other = django_user_model.objects.create_user("other", password="x-pass-1234")
        client.force_login(other)
        assert client.get(self.url(generation)).status_code == 404
        assert client.post(reverse("generator:retry", args=[generation.pk])).status_code == 404
        assert "细胞" not in client.get("/sets/new/", {"from": generation.pk}).content.decode()
        generation.refresh_from_db()
        assert generation.status == Generation.Status.FAILED
        client.logout()
        assert client.get(self.url(generation)).status_code == 302


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

        make_finished_attempt(learner, da_mo_xing, wrong={216, 204})  # 概念 and 应用领域
        record_review(learner, Card.objects.first(), 1, uuid4())  # 重来: due again soon
        client.force_login(learner)
        with time_machine.travel(timezone.now() + timedelta(days=1)):
            [row] = client.get("/me/practice/").context["rows"]
        assert row.mistakes == 2
        assert row.due_cards == 1
        assert row.weakest[0] in {"概念", "应用领域"}
        response = client.post(reverse("progress:start", args=["da-mo-xing"]), {"mode": "practice"})
        assert response.status_code == 302
        attempt = Attempt.objects.get(mode="practice")
        ids = [item.question_id for item in attempt.item_list]
        assert ids[:2] == [216, 204]  # the mistakes, the latest first (204 was answered first)
        notes = set(Question.objects.filter(pk__in=ids[2:]).values_list("note__title", flat=True))
        assert notes <= {"概念", "应用领域"}

    def test_practice_without_history_is_a_clear_400(self, client, learner, da_mo_xing):
        client.force_login(learner)
        response = client.post(reverse("progress:start", args=["da-mo-xing"]), {"mode": "practice"})
        assert response.status_code == 400
        assert "没有可练习的题目" in response.content.decode()

    def test_empty_plan(self, client, learner):
        client.force_login(learner)
        assert "还没有学习记录" in client.get("/me/practice/").content.decode()
