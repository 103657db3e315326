"""Every page shows Chinese text with Chinese punctuation (issue 16).

Templates are checked as written (their literal text, with each `{{ variable }}`
standing for a Chinese word), pages as a learner and staff see them with the
大模型 set loaded, and the fixture as stored.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse

from studysite.chinese import typeset
from tests.quizzes.helpers import answer, current, start

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
HAN = "\u3400-\u4dbf\u4e00-\u9fff"
# What a Chinese reader sees as a typo: an ASCII comma or colon between two Chinese characters.
ASCII_BETWEEN_CHINESE = re.compile(f"[{HAN}][ \t]*[,:][ \t]*[{HAN}]")
# Attributes people read (or hear, from a screen reader).
SHOWN_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "value", "content"}


class _VisibleText(HTMLParser):
    """Text nodes and read-out attributes, without scripts, styles and comments."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        self.chunks += [value for name, value in attrs if name in SHOWN_ATTRIBUTES and value]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden = max(0, self._hidden - 1)

    def handle_data(self, data):
        if not self._hidden:
            self.chunks.append(data)


def visible_chunks(html: str) -> list[str]:
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return parser.chunks


def template_text(source: str) -> list[str]:
    """A template's literal text: comments and `{% %}` tags gone, each `{{ }}` a Chinese word."""
    source = re.sub(r"\{% *comment *%\}.*?\{% *endcomment *%\}", "", source, flags=re.S)
    source = re.sub(r"\{#.*?#\}", "", source, flags=re.S)
    source = re.sub(r"\{%.*?%\}", "", source, flags=re.S)
    source = re.sub(r"\{\{[^}]*\}\}://", "http://", source)  # a URL built from variables
    source = re.sub(r"\{\{.*?\}\}", "字", source, flags=re.S)
    return visible_chunks(source)


def untypeset(chunks: list[str]) -> list[str]:
    """The chunks typeset would change: each is Chinese text with ASCII punctuation."""
    return [chunk.strip() for chunk in chunks if typeset(chunk) != chunk]


def test_the_template_walk_sees_text_attributes_and_variables():
    chunks = template_text(
        '{% load x %}<h1 title="提示:看">播客:{{ set.title }}</h1>'
        '<p class="a:b">{# 注释:不看 #}</p><script>var a = "中:文";</script>'
    )
    assert untypeset(chunks) == ["提示:看", "播客:字"]


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT / "templates")))
def test_templates_use_chinese_punctuation(path):
    assert untypeset(template_text(path.read_text(encoding="utf-8"))) == []


def test_the_fixture_is_already_typeset():
    data = json.loads((ROOT / "fixtures" / "da-mo-xing.json").read_text(encoding="utf-8"))
    texts = [
        (row["model"], row.get("pk"), name, value)
        for row in data
        for name, value in row["fields"].items()
        if isinstance(value, str)
    ]
    assert [t for t in texts if typeset(t[3]) != t[3]] == []


def pages_of_a_learner(client) -> list[str]:
    """Every page a learner reaches, with the quiz answered (some wrong) and a card rated."""
    slug = "da-mo-xing"
    urls = [
        reverse("home"),
        reverse("notes:overview", args=[slug]),
        reverse("notes:notes", args=[slug]),
        reverse("quizzes:quiz", args=[slug]),
        reverse("flashcards:flashcards", args=[slug]),
        reverse("flashcards:flashcards", args=[slug]) + "?mode=browse&reverse=1",
        reverse("podcasts:podcast", args=[slug]),
        reverse("search:search") + "?q=模型",
        reverse("search:search") + "?q=dmx",
        reverse("search:search") + "?q=没有这个词",
        reverse("progress:me"),
        reverse("progress:mistakes"),
        reverse("progress:practice"),
        reverse("generator:new"),
        reverse("password_change"),
        "/sets/no-such-set/",
    ]
    pages = [client.get(url).content.decode() for url in urls]
    start(client)
    attempt = current()
    pages.append(client.get(reverse("quizzes:quiz", args=[slug])).content.decode())
    for item in attempt.item_list:
        response = answer(client, attempt, item, right=item.position % 2 == 0, headers={})
        pages.append(response.content.decode())
    pages.append(client.get(reverse("quizzes:results", args=[slug, attempt.pk])).content.decode())
    pages += [client.get(url).content.decode() for url in urls[10:13]]
    return pages


@pytest.mark.django_db
def test_every_page_of_a_learner_uses_chinese_punctuation(client, da_mo_xing, learner):
    client.force_login(learner)
    found = [
        match.group()
        for html in pages_of_a_learner(client)
        for chunk in visible_chunks(html)
        for match in ASCII_BETWEEN_CHINESE.finditer(chunk)
    ]
    assert found == []


@pytest.mark.django_db
def test_anonymous_and_staff_pages_use_chinese_punctuation(client, da_mo_xing, admin_user):
    anonymous = [
        reverse("home"),
        reverse("quizzes:quiz", args=["da-mo-xing"]),
        reverse("flashcards:flashcards", args=["da-mo-xing"]),
        reverse("login"),
        reverse("signup"),
    ]
    pages = [client.get(url).content.decode() for url in anonymous]
    client.force_login(admin_user)
    question = da_mo_xing.questions.first()
    card = da_mo_xing.cards.first()
    note = da_mo_xing.notes.first()
    staff = [
        reverse("set-stats", args=["da-mo-xing"]),
        reverse("admin:index"),
        reverse("admin:notes_studyset_changelist"),
        reverse("admin:notes_studyset_change", args=[da_mo_xing.pk]),
        reverse("admin:notes_studyset_import"),
        reverse("admin:notes_note_change", args=[note.pk]),
        reverse("admin:quizzes_question_changelist"),
        reverse("admin:quizzes_question_change", args=[question.pk]),
        reverse("admin:flashcards_card_changelist"),
        reverse("admin:flashcards_card_change", args=[card.pk]),
    ]
    for url in staff:
        response = client.get(url)
        assert response.status_code == 200, url
        pages.append(response.content.decode())
    found = [
        match.group()
        for html in pages
        for chunk in visible_chunks(html)
        for match in ASCII_BETWEEN_CHINESE.finditer(chunk)
    ]
    assert found == []
