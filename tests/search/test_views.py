"""/search/: full page, htmx fragment, bad input, query counts."""

from __future__ import annotations

import pytest

from tests.factories import make_card, make_note, make_question, make_study_set

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true", "HX-Target": "search-results"}


class TestSearch:
    def test_finds_a_two_character_query_in_the_notes_with_a_deep_link(self, client, da_mo_xing):
        response = client.get("/search/", {"q": "量化"})
        assert response.status_code == 200
        html = response.content.decode()
        assert 'href="/sets/da-mo-xing/notes/#关键技术-模型压缩"' in html
        assert "剪枝、<mark>量化</mark>和知识蒸馏" in html

    @pytest.mark.parametrize("q", ["damoxing", "dmx", "大模型", "模型"])
    def test_pinyin_initials_and_short_chinese_find_da_mo_xing(self, client, da_mo_xing, q):
        hits = client.get("/search/", {"q": q}).context["hits"]
        assert hits
        assert any("大模型" in hit.document.text for hit in hits)

    def test_finds_questions_and_cards(self, client, da_mo_xing):
        hits = client.get("/search/", {"q": "分布式训练"}).context["hits"]
        kinds = {hit.document.kind for hit in hits}
        assert kinds == {"笔记", "问答"}
        card_hits = client.get("/search/", {"q": "推荐系统"}).context["hits"]
        assert "抽认卡" in {hit.document.kind for hit in card_hits}

    def test_answers_are_not_searchable(self, client, da_mo_xing):
        # "语音合成:将文本转换成自然流畅的语音。" is an option of a question; the
        # question's hit must come from its prompt, never its choices.
        for hit in client.get("/search/", {"q": "药物候选"}).context["hits"]:
            assert hit.document.kind != "问答"

    def test_htmx_gets_only_the_results_fragment(self, client, da_mo_xing):
        response = client.get("/search/", {"q": "量化"}, headers=HTMX)
        html = response.content.decode()
        assert html.lstrip().startswith('<div id="search-results"')
        assert "<html" not in html
        assert "HX-Request" in response["Vary"]

    def test_empty_query_shows_the_form_only(self, client, da_mo_xing):
        response = client.get("/search/")
        assert response.status_code == 200
        assert response.context["hits"] == []
        assert "共找到" not in response.content.decode()

    def test_no_results_says_so(self, client, da_mo_xing):
        assert "没有找到结果" in client.get("/search/", {"q": "火星"}).content.decode()

    def test_too_long_query_is_a_clear_400(self, client, da_mo_xing):
        response = client.get("/search/", {"q": "模" * 101}, headers=HTMX)
        assert response.status_code == 400
        assert "搜索词太长了" in response.content.decode()

    def test_post_is_refused(self, client):
        assert client.post("/search/", {"q": "模型"}).status_code == 405

    def test_query_count_does_not_grow_with_sets_or_items(self, client, django_assert_num_queries):
        for _ in range(8):
            study_set = make_study_set()
            for _ in range(5):
                make_note(study_set, body="- 模型的要点\n- 另一个要点")
                make_question(study_set, prompt="关于模型的问题?")
                make_card(study_set, back="模型释义")
        with django_assert_num_queries(4):
            response = client.get("/search/", {"q": "模型"})
        assert len(response.context["hits"]) == 50  # capped
