"""/search/: full page, htmx fragment, ranking, bad input, query counts."""

from __future__ import annotations

import re

import pytest

from tests.factories import make_card, make_note, make_question, make_study_set

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true", "HX-Target": "search-results"}


def marked(hit) -> str:
    return hit.document.text[hit.match.start : hit.match.end]


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


class TestRanking:
    @pytest.mark.parametrize("q", ["dmx", "damoxing", "大模型"])
    def test_da_mo_xing_comes_first(self, client, da_mo_xing, q):
        hits = client.get("/search/", {"q": q}).context["hits"]
        assert (hits[0].document.kind, marked(hits[0])) == ("学习集", "大模型")
        assert (hits[1].document.kind, marked(hits[1])) == ("抽认卡", "大模型")

    @pytest.mark.parametrize("q", ["dmx", "damoxing"])
    def test_the_fragment_lists_da_mo_xing_first(self, client, da_mo_xing, q):
        html = client.get("/search/", {"q": q}, headers=HTMX).content.decode()
        first, second = re.findall(r'<li class="hit">.*?</li>', html, re.S)[:2]
        assert 'href="/sets/da-mo-xing/"' in first
        assert "<mark>大模型</mark>" in first
        assert "抽认卡" in second
        assert "<mark>大模型</mark>" in second

    def test_initials_stay_inside_one_word(self, client, da_mo_xing):
        hits = client.get("/search/", {"q": "dmx"}).context["hits"]
        words = [marked(hit) for hit in hits]
        assert not {"低模型", "的模型"} & set(words)  # 降低|模型, 其他的|模型
        # 对模型 is one word to jieba's dictionary: kept, but after every 大模型.
        assert words == sorted(words, key=lambda word: word != "大模型")
        assert words.count("大模型") >= 15

    def test_card_terms_then_headings_then_body_text(self, client, da_mo_xing):
        hits = client.get("/search/", {"q": "模型压缩"}).context["hits"]
        assert [hit.document.kind for hit in hits[:2]] == ["抽认卡", "笔记"]
        assert hits[0].document.title == "模型压缩"
        hits = client.get("/search/", {"q": "模型结构"}).context["hits"]
        heading = hits[0].document.text  # the bullet heading its sub-list: 模型结构：
        assert (heading[:4], len(heading)) == ("模型结构", 5)
        assert "探索" in hits[1].document.text
        # 训练: the card 预训练, the bullet heading 训练方法：, then body text in set order
        # (the introduction's passage first).
        hits = client.get("/search/", {"q": "训练"}).context["hits"]
        assert hits[0].document.title == "预训练"
        assert hits[1].document.text[:4] == "训练方法"
        assert hits[2].document.title == "概述"
        hits = client.get("/search/", {"q": "挑战"}).context["hits"]
        assert [hit.document.text for hit in hits][:1] == ["面临的挑战"]  # a section title
        assert len(hits) > 1

    @pytest.mark.parametrize(
        ("full_width", "ascii"),
        [
            ("大模型\uff0c训练", "大模型,训练"),
            ("\uff08NLP\uff09", "(NLP)"),
            ("大模型\u3000训练", "大模型 训练"),
        ],
    )
    def test_full_width_queries_find_what_their_ascii_forms_find(
        self, client, da_mo_xing, full_width, ascii
    ):
        full = client.get("/search/", {"q": full_width}).context["hits"]
        assert full
        assert full == client.get("/search/", {"q": ascii}).context["hits"]

    def test_every_part_of_a_query_is_found_and_marked(self, client, da_mo_xing):
        response = client.get("/search/", {"q": "大模型\uff0c训练"})
        for hit in response.context["hits"]:
            assert "大模型" in hit.document.text
            assert "训练" in hit.document.text
        html = response.content.decode()
        assert "<mark>大模型</mark>" in html
        assert "<mark>训练</mark>" in html

    def test_punctuation_alone_searches_nothing(self, client, da_mo_xing):
        response = client.get("/search/", {"q": "\uff0c"})
        assert response.status_code == 200
        assert response.context["hits"] == []


class TestHeaderSearchBox:
    def test_results_page_has_one_search_box_holding_the_query(self, client, da_mo_xing):
        html = client.get("/search/", {"q": "dmx"}).content.decode()
        boxes = re.findall(r"<input[^>]*type=\"search\"[^>]*>", html)
        assert len(boxes) == 1
        assert 'value="dmx"' in boxes[0]
        assert 'hx-target="#search-results"' in boxes[0]  # results follow as you type

    def test_query_is_kept_escaped(self, client, da_mo_xing):
        html = client.get("/search/", {"q": '"><script>'}).content.decode()
        assert 'value="&quot;&gt;&lt;script&gt;"' in html

    def test_a_refused_query_is_kept_in_the_box(self, client, da_mo_xing):
        response = client.get("/search/", {"q": "模" * 101})
        assert response.status_code == 400
        assert 'value="' + "模" * 101 + '"' in response.content.decode()

    def test_other_pages_have_an_empty_search_box_without_live_results(self, client, da_mo_xing):
        html = client.get("/").content.decode()
        boxes = re.findall(r"<input[^>]*type=\"search\"[^>]*>", html)
        assert len(boxes) == 1
        assert "value=" not in boxes[0]
        assert "hx-get" not in boxes[0]
