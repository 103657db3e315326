"""A set's overview and its notes page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import make_card, make_note, make_question, make_study_set

pytestmark = pytest.mark.django_db


class TestOverview:
    def test_shows_the_four_parts(self, client, da_mo_xing):
        response = client.get("/sets/da-mo-xing/")
        assert response.status_code == 200
        html = response.content.decode()
        for part in ("播客", "问答", "抽认卡", "学习笔记"):
            assert part in html

    def test_unbuilt_parts_say_so_and_link_nowhere(self, client, da_mo_xing):
        html = client.get("/sets/da-mo-xing/").content.decode()
        assert "尚未推出" in html
        for missing in ("/podcast/", "/quiz/", "/flashcards/"):
            assert missing not in html

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
            assert f'<h2 id="{title}">{title}</h2>' in html

    def test_nested_bullets_render_as_nested_lists(self, client, da_mo_xing):
        html = client.get("/sets/da-mo-xing/notes/").content.decode()
        assert "<li>模型结构:<ul>\n<li>Transformer:" in html

    def test_markdown_is_sanitised(self, client):
        study_set = make_study_set(slug="unsafe")
        make_note(
            study_set, title="危险", body="<script>alert(1)</script>\n\n[x](javascript:alert(1))"
        )
        html = client.get("/sets/unsafe/notes/").content.decode()
        assert "<script>alert" not in html
        assert "javascript:" not in html

    def test_query_count_does_not_grow_with_sections(self, client, django_assert_num_queries):
        study_set = make_study_set(slug="long")
        for _ in range(30):
            make_note(study_set)
        with django_assert_num_queries(2):
            client.get("/sets/long/notes/")

    def test_unknown_set_is_404(self, client):
        assert client.get("/sets/nope/notes/").status_code == 404
