"""A set's overview and its notes page."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from flashcards.models import Card
from notes.models import Note, StudySet
from tests.factories import make_card, make_note, make_question, make_study_set

pytestmark = pytest.mark.django_db


class TestOverview:
    def test_shows_the_four_parts(self, client, da_mo_xing):
        response = client.get("/sets/da-mo-xing/")
        assert response.status_code == 200
        html = response.content.decode()
        for part in ("播客", "问答", "抽认卡", "学习笔记"):
            assert part in html

    def test_every_part_links_to_its_page(self, client, da_mo_xing):
        html = client.get("/sets/da-mo-xing/").content.decode()
        assert "/sets/da-mo-xing/quiz/" in html
        assert "/sets/da-mo-xing/flashcards/" in html
        assert "/sets/da-mo-xing/podcast/" in html

    def test_links_to_the_notes_and_every_section(self, client, da_mo_xing):
        html = client.get("/sets/da-mo-xing/").content.decode()
        assert reverse("notes:notes", args=["da-mo-xing"]) in html
        for note in da_mo_xing.notes.exclude(title=""):
            assert f"#{note.anchor}" in html

    def test_lists_every_prompt_and_term_without_answers(self, client, da_mo_xing):
        html = client.get("/sets/da-mo-xing/").content.decode()
        quiz_part = html[html.index('id="part-quiz"') : html.index('id="part-cards"')]
        for question in da_mo_xing.questions.all():
            assert question.prompt in quiz_part
            for choice in question.choices.all():
                assert f">{choice.text}<" not in quiz_part
        for card in da_mo_xing.cards.all():
            assert card.front in html
            assert card.back not in html

    def test_the_untitled_first_section_is_shown_as_an_overview(self, client, da_mo_xing):
        html = client.get("/sets/da-mo-xing/").content.decode()
        notes_part = html[html.index('id="part-notes"') :]
        assert '#intro">概述</a>' in notes_part
        assert "引言" not in html

    def test_the_question_list_folds_behind_a_summary_with_its_count(self, client, da_mo_xing):
        html = client.get("/sets/da-mo-xing/").content.decode()
        count = da_mo_xing.questions.filter(is_draft=False).count()
        assert f"<summary>查看全部 {count} 道题</summary>" in html
        assert '<details class="part__questions" open>' in html  # open without JavaScript

    def test_unknown_set_is_404(self, client):
        response = client.get("/sets/no-such-set/")
        assert response.status_code == 404
        assert "找不到页面" in response.content.decode()

    def test_query_count_does_not_grow_with_items(self, client, django_assert_num_queries):
        study_set = make_study_set(slug="big")
        for _ in range(20):
            make_note(study_set)
            make_question(study_set)
            make_card(study_set)
        with django_assert_num_queries(4):
            client.get("/sets/big/")


class TestNotesPage:
    def test_renders_every_section_with_unicode_heading_ids(self, client, da_mo_xing):
        response = client.get("/sets/da-mo-xing/notes/")
        assert response.status_code == 200
        html = response.content.decode()
        for title in ("概念", "发展历程", "关键技术", "应用领域", "面临的挑战", "未来发展趋势"):
            assert f'<h2 id="{title}">' in html
            assert f'href="#{title}"' in html  # contents entry and the heading's own link

    def test_contents_list_sub_sections(self, client, da_mo_xing):
        html = client.get("/sets/da-mo-xing/notes/").content.decode()
        toc = html[html.index('class="toc"') : html.index("</nav>", html.index('class="toc"'))]
        for anchor in ("关键技术-模型结构", "关键技术-推理优化", "应用领域-自然语言处理nlp"):
            assert f'href="#{anchor}"' in toc

    def test_bullets_have_ids_named_after_their_term(self, client, da_mo_xing):
        html = client.get("/sets/da-mo-xing/notes/").content.decode()
        assert '<li id="关键技术-模型压缩">' in html

    def test_nested_bullets_render_as_nested_lists(self, client, da_mo_xing):
        html = client.get("/sets/da-mo-xing/notes/").content.decode()
        assert (
            '<li id="关键技术-模型结构">模型结构\uff1a<ul>\n<li id="关键技术-transformer">' in html
        )

    def test_glossary_links_first_occurrence_per_section(self, client, da_mo_xing):
        html = client.get("/sets/da-mo-xing/notes/").content.decode()
        card = da_mo_xing.cards.get(front="模型压缩")
        href = f'href="{escape(card.get_absolute_url())}"'
        section = html[html.index('<h2 id="关键技术">') : html.index('<h2 id="应用领域">')]
        assert section.count(href) == 1
        assert f'role="tooltip">{card.back}</span>' in section
        trends = html[html.index('<h2 id="未来发展趋势">') :]
        assert trends.count(href) == 1

    def test_markdown_source_html_is_shown_as_text(self, client):
        study_set = make_study_set(slug="unsafe")
        make_note(
            study_set, title="危险", body="<script>alert(1)</script>\n\n[x](javascript:alert(1))"
        )
        html = client.get("/sets/unsafe/notes/").content.decode()
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "javascript:" not in html

    def test_query_count_does_not_grow_with_sections_or_cards(
        self, client, django_assert_num_queries
    ):
        study_set = make_study_set(slug="long")
        for _ in range(30):
            make_note(study_set)
            make_card(study_set)
        with django_assert_num_queries(3):  # the set, its notes, its cards: rendered
            client.get("/sets/long/notes/")
        with django_assert_num_queries(1):  # the set: its article read whole from the cache
            client.get("/sets/long/notes/")

    def test_a_learner_reads_the_same_cached_page(self, client, learner, django_assert_num_queries):
        study_set = make_study_set(slug="long")
        for _ in range(30):
            make_note(study_set)
            make_card(study_set)
        anonymous = client.get("/sets/long/notes/").content.decode()
        client.force_login(learner)
        client.get("/sets/long/notes/")  # the mastery's section totals, once per content version
        with django_assert_num_queries(3):  # the user, the set (the session is cached), mastery
            html = client.get("/sets/long/notes/").content.decode()
        article = anonymous[
            anonymous.index('<div class="notes-layout">') : anonymous.index("</main>")
        ]
        assert article in html

    def test_a_page_view_does_not_rerun_markdown(self, client, da_mo_xing, monkeypatch):
        client.get("/sets/da-mo-xing/notes/")

        def refuse(*args, **kwargs):
            raise AssertionError("Markdown ran on a cached page view")

        monkeypatch.setattr("notes.models.render_markdown", refuse)
        assert client.get("/sets/da-mo-xing/notes/").status_code == 200

    def test_editing_a_note_shows_the_new_text(self, client, da_mo_xing):
        client.get("/sets/da-mo-xing/notes/")
        note = da_mo_xing.notes.get(title="概念")
        note.body += "- 新增的要点\n"
        note.save()
        assert "新增的要点" in client.get("/sets/da-mo-xing/notes/").content.decode()

    def test_editing_a_card_updates_its_glossary_tip(self, client, da_mo_xing):
        client.get("/sets/da-mo-xing/notes/")
        card = da_mo_xing.cards.get(front="模型压缩")
        card.back = "改过的释义"
        card.save()
        assert (
            'role="tooltip">改过的释义</span>'
            in client.get("/sets/da-mo-xing/notes/").content.decode()
        )

    def test_unknown_set_is_404(self, client):
        assert client.get("/sets/nope/notes/").status_code == 404


NOTES = "/sets/da-mo-xing/notes/"


def notes_page(client) -> str:
    response = client.get(NOTES)
    assert response.status_code == 200
    return response.content.decode()


def admin_change(admin_client, obj, fields: list[str], **changes) -> None:
    """Save `obj` through its admin change view, as staff do, with `changes` applied."""
    data = {}
    for name in fields:
        value = changes.get(name, getattr(obj, obj._meta.get_field(name).attname))
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else value
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].errors


class TestNotesPageFollowsEveryWrite:
    """The page is cached whole: every way its notes or cards change shows on the
    next view, for any reader."""

    def test_an_admin_edit_of_a_note_shows(self, client, admin_client, da_mo_xing):
        assert "管理员改写的要点" not in notes_page(client)
        note = da_mo_xing.notes.get(title="概念")
        fields = ["study_set", "position", "title", "body"]
        admin_change(admin_client, note, fields, body=note.body + "- 管理员改写的要点\n")
        assert "管理员改写的要点" in notes_page(client)

    def test_an_admin_edit_of_a_card_shows_in_its_glossary_tip(
        self, client, admin_client, da_mo_xing
    ):
        notes_page(client)
        card = da_mo_xing.cards.get(front="模型压缩")
        fields = ["study_set", "position", "front", "back", "note", "is_draft"]
        admin_change(admin_client, card, fields, back="管理员改写的释义")
        assert 'role="tooltip">管理员改写的释义</span>' in notes_page(client)

    def test_a_note_deleted_in_the_admin_list_goes(self, client, admin_client, da_mo_xing):
        assert '<h2 id="概念">' in notes_page(client)
        note = da_mo_xing.notes.get(title="概念")
        response = admin_client.post(
            reverse("admin:notes_note_changelist"),
            {"action": "delete_selected", "_selected_action": [note.pk], "post": "yes"},
        )
        assert response.status_code == 302
        assert '<h2 id="概念">' not in notes_page(client)

    def test_a_queryset_update_of_a_note_shows(self, client, da_mo_xing):
        notes_page(client)
        da_mo_xing.notes.filter(title="概念").update(title="基本概念")
        assert '<h2 id="基本概念">' in notes_page(client)

    def test_a_queryset_update_of_a_card_shows(self, client, da_mo_xing):
        notes_page(client)
        Card.objects.filter(study_set=da_mo_xing, front="模型压缩").update(back="批量改写的释义")
        assert 'role="tooltip">批量改写的释义</span>' in notes_page(client)

    def test_a_published_draft_card_joins_the_glossary(self, client, da_mo_xing):
        card = da_mo_xing.cards.get(front="模型压缩")
        href = f'href="{escape(card.get_absolute_url())}"'
        card.is_draft = True
        card.save()
        assert href not in notes_page(client)
        assert da_mo_xing.cards.publish_complete() == 1  # a queryset update
        assert href in notes_page(client)

    def test_bulk_created_notes_and_cards_show(self, client, da_mo_xing):
        notes_page(client)
        Note.objects.bulk_create(
            [Note(study_set=da_mo_xing, position=99, title="批量新增", body="- 批量新增的要点")]
        )
        assert "批量新增的要点" in notes_page(client)
        Card.objects.bulk_create(
            [Card(study_set=da_mo_xing, position=99, front="批量新增", back="新卡片的释义")]
        )
        assert 'role="tooltip">新卡片的释义</span>' in notes_page(client)

    def test_a_bulk_updated_card_shows(self, client, da_mo_xing):
        notes_page(client)
        card = da_mo_xing.cards.get(front="模型压缩")
        card.back = "逐个改写的释义"
        Card.objects.bulk_update([card], ["back"])
        assert 'role="tooltip">逐个改写的释义</span>' in notes_page(client)

    def test_a_deleted_card_leaves_the_glossary(self, client, da_mo_xing):
        card = da_mo_xing.cards.get(front="模型压缩")
        href = f'href="{escape(card.get_absolute_url())}"'
        assert href in notes_page(client)
        Card.objects.filter(pk=card.pk).delete()
        assert href not in notes_page(client)

    def test_a_new_slug_shows_in_the_glossary_links(self, client, da_mo_xing):
        assert "/sets/da-mo-xing/flashcards/" in notes_page(client)
        da_mo_xing.slug = "da-mo-xing-2"
        da_mo_xing.save()
        html = client.get("/sets/da-mo-xing-2/notes/").content.decode()
        assert "/sets/da-mo-xing/flashcards/" not in html
        assert "/sets/da-mo-xing-2/flashcards/?mode=browse" in html

    def test_a_new_pipeline_version_renders_again(self, client, da_mo_xing, monkeypatch):
        notes_page(client)
        rendered = []
        monkeypatch.setattr("notes.models.PIPELINE_VERSION", -1)
        real = Note.render
        monkeypatch.setattr(
            Note, "render", lambda note, *a: rendered.append(note) or real(note, *a)
        )
        notes_page(client)
        assert rendered

    def test_loading_the_fixture_again_shows_what_it_holds(self, client, da_mo_xing):
        note = da_mo_xing.notes.get(title="概念")
        note.body = "- 临时的要点"
        note.save()
        assert "临时的要点" in notes_page(client)
        call_command("loaddata", "da-mo-xing", verbosity=0)  # raw saves, no save()
        assert "临时的要点" not in notes_page(client)


@pytest.mark.parametrize("n", [2, 20])
def test_deleting_a_set_does_not_renew_its_version_once_per_note_and_card(n):
    study_set = make_study_set(slug="gone")
    for _ in range(n):
        make_note(study_set)
        make_card(study_set)
    with CaptureQueriesContext(connection) as captured:
        study_set.delete()
    assert not StudySet.objects.filter(slug="gone").exists()
    renewals = [q for q in captured.captured_queries if '"content_version"' in q["sql"]]
    assert renewals == []
