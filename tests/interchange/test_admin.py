"""Staff in Django admin: editing with validation and history, import and export pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from quizzes.models import Question, QuestionRevision
from tests.interchange.test_formats import SEED

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", password="x-pass-1234")
    client.force_login(user)
    return user


def question_post(question: Question, choices: list[tuple[str, bool]], **fields) -> dict:
    existing = list(question.choices.all())
    data = {
        "study_set": question.study_set_id,
        "position": question.position,
        "kind": question.kind,
        "prompt": question.prompt,
        "explanation": question.explanation,
        "note": question.note_id or "",
        "choices-TOTAL_FORMS": len(choices),
        "choices-INITIAL_FORMS": len(existing),
        "choices-MIN_NUM_FORMS": 0,
        "choices-MAX_NUM_FORMS": 1000,
        "revisions-TOTAL_FORMS": 0,
        "revisions-INITIAL_FORMS": 0,
        "revisions-MIN_NUM_FORMS": 0,
        "revisions-MAX_NUM_FORMS": 0,
    }
    for i, (text, right) in enumerate(choices):
        data[f"choices-{i}-text"] = text
        data[f"choices-{i}-position"] = i
        data[f"choices-{i}-question"] = question.pk
        if right:
            data[f"choices-{i}-is_correct"] = "on"
        if i < len(existing):
            data[f"choices-{i}-id"] = existing[i].pk
    data.update(fields)
    return data


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/notes/studyset/",
        "/admin/notes/note/",
        "/admin/quizzes/question/",
        "/admin/quizzes/question/?needs_content=yes",
        "/admin/quizzes/question/?kind__exact=multiple",
        "/admin/quizzes/question/?q=模型",
        "/admin/flashcards/card/",
        "/admin/quizzes/attempt/",
        "/admin/flashcards/reviewlog/",
        "/admin/notes/studyset/import/",
    ],
)
def test_admin_pages_render(client, staff, da_mo_xing, url):
    assert client.get(url).status_code == 200


def test_change_forms_render_with_previews(client, staff, da_mo_xing):
    question = da_mo_xing.questions.first()
    html = client.get(reverse("admin:quizzes_question_change", args=[question.pk])).content.decode()
    assert "解析预览" in html
    assert 'class="markdown-preview"' in html
    note = da_mo_xing.notes.get(title="关键技术")
    html = client.get(reverse("admin:notes_note_change", args=[note.pk])).content.decode()
    assert "<li id=" in html  # the rendered preview
    assert (
        client.get(reverse("admin:notes_studyset_change", args=[da_mo_xing.pk])).status_code == 200
    )


class TestQuestionValidation:
    def url(self, question):
        return reverse("admin:quizzes_question_change", args=[question.pk])

    def test_no_right_choice_is_refused_in_chinese(self, client, staff, da_mo_xing):
        question = da_mo_xing.questions.get(position=0)
        data = question_post(question, [(c.text, False) for c in question.choices.all()])
        response = client.post(self.url(question), data)
        assert response.status_code == 200
        assert "至少要有一个正确选项" in response.content.decode()
        assert question.choices.filter(is_correct=True).count() == 1

    def test_single_choice_with_two_right_is_refused(self, client, staff, da_mo_xing):
        question = da_mo_xing.questions.get(position=0)
        data = question_post(question, [(c.text, True) for c in question.choices.all()])
        assert (
            "单选题必须正好有一个正确选项" in client.post(self.url(question), data).content.decode()
        )

    def test_one_option_is_refused(self, client, staff, da_mo_xing):
        question = da_mo_xing.questions.get(position=3)
        data = question_post(question, [("唯一的选项", True)])
        assert "至少要有两个选项" in client.post(self.url(question), data).content.decode()

    def test_a_draft_may_be_incomplete(self, client, staff, da_mo_xing):
        question = da_mo_xing.questions.get(position=0)
        data = question_post(
            question, [(c.text, False) for c in question.choices.all()], is_draft="on"
        )
        assert client.post(self.url(question), data).status_code == 302

    def test_a_valid_edit_is_saved_and_kept_in_history(self, client, staff, da_mo_xing):
        question = da_mo_xing.questions.get(position=0)
        choices = [(c.text, c.is_correct) for c in question.choices.all()]
        data = question_post(question, choices, prompt="改写后的题干\uff1f")
        assert client.post(self.url(question), data).status_code == 302
        question.refresh_from_db()
        assert question.prompt == "改写后的题干\uff1f"
        revision = QuestionRevision.objects.get(question=question)
        assert revision.data["prompt"] == "改写后的题干\uff1f"
        assert revision.saved_by == staff
        assert "改写后的题干\uff1f" in client.get(self.url(question)).content.decode()

    def test_a_published_card_needs_a_back(self, client, staff, da_mo_xing):
        card = da_mo_xing.cards.first()
        url = reverse("admin:flashcards_card_change", args=[card.pk])
        data = {"study_set": card.study_set_id, "position": 0, "front": card.front, "back": ""}
        assert "卡片背面是空的" in client.post(url, data).content.decode()


class TestImportPage:
    def test_upload_imports_and_lists_drafts(self, client, staff):
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile("da-mo-xing.txt", SEED.encode(), content_type="text/plain")
        response = client.post(
            "/admin/notes/studyset/import/", {"file": upload, "format": "auto", "title": "大模型"}
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert "导入完成" in html
        assert "待完善\uff0813 项" in html

    def test_bad_upload_is_a_400_naming_the_line(self, client, staff):
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile("bad.csv", "量化,降低精度\n只有一列\n".encode())
        response = client.post(
            "/admin/notes/studyset/import/", {"file": upload, "format": "auto", "title": "坏"}
        )
        assert response.status_code == 400
        assert "第 2 行\uff1a需要两列" in response.content.decode()
        from notes.models import StudySet

        assert not StudySet.objects.exists()

    def test_learners_cannot_import(self, client, learner):
        client.force_login(learner)
        response = client.get("/admin/notes/studyset/import/")
        assert response.status_code == 302


class TestExportButtons:
    @pytest.mark.parametrize(
        ("fmt", "ext"), [("apkg", "apkg"), ("csv", "csv"), ("gift", "gift"), ("json", "json")]
    )
    def test_download(self, client, staff, da_mo_xing, fmt, ext):
        response = client.get(reverse("admin:notes_studyset_export", args=[da_mo_xing.pk, fmt]))
        assert response.status_code == 200
        assert f'filename="da-mo-xing.{ext}"' in response["Content-Disposition"]
        assert len(response.content) > 100

    def test_unknown_format_is_404(self, client, staff, da_mo_xing):
        assert (
            client.get(
                reverse("admin:notes_studyset_export", args=[da_mo_xing.pk, "pdf"])
            ).status_code
            == 404
        )

    def test_buttons_are_on_the_set_page(self, client, staff, da_mo_xing):
        html = client.get(
            reverse("admin:notes_studyset_change", args=[da_mo_xing.pk])
        ).content.decode()
        assert "导出 Anki" in html
        assert "导出 GIFT" in html


def test_question_list_shows_facility_linking_to_the_statistics(client, staff, da_mo_xing, learner):
    from tests.factories import make_finished_attempt

    make_finished_attempt(learner, da_mo_xing, wrong={201})
    html = client.get("/admin/quizzes/question/").content.decode()
    assert "正答率" in html
    assert "/sets/da-mo-xing/stats/" in html
    assert "0%</a>\uff081 次\uff09" in html  # a percentage, as on the statistics page
    assert "100%</a>\uff081 次\uff09" in html


def test_question_list_facility_ignores_abandoned_attempts(client, staff, da_mo_xing, learner):
    """放弃本次 promises the answers don't count; the statistics page the facility links to
    counts finished attempts only, so the admin column must agree with it."""
    from quizzes.models import Attempt
    from tests.factories import make_finished_attempt

    make_finished_attempt(learner, da_mo_xing, wrong={201})
    abandoned = make_finished_attempt(learner, da_mo_xing)
    Attempt.objects.filter(pk=abandoned.pk).update(status=Attempt.Status.ABANDONED)
    html = client.get("/admin/quizzes/question/").content.decode()
    assert "0%</a>\uff081 次\uff09" in html
    assert "50%</a>\uff082 次\uff09" not in html
    assert "\uff082 次\uff09" not in html
