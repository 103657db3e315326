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

from interchange import store
from interchange.document import CardDoc, ChoiceDoc, NoteDoc, QuestionDoc, SetDoc
from studysite.chinese import typeset
from tests.factories import make_card, make_note, make_question, make_study_set
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
        reverse("password-change"),
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


# --- Content is typeset once, when it is stored ----------------------------------------

COLON, COMMA, OPEN, CLOSE = "\uff1a", "\uff0c", "\uff08", "\uff09"


def ascii_doc() -> SetDoc:
    """A set as a file written with ASCII punctuation would give it."""
    return SetDoc(
        title="大模型(新)",
        notes=[NoteDoc("概念", "- 术语:定义,见 `a:b`\n- 时间 10:30")],
        questions=[
            QuestionDoc(
                "什么是大模型?",
                choices=[ChoiceDoc("参数很多的模型(通常)", True), ChoiceDoc("小模型", False)],
                explanation="依据「概念」:见笔记",
                section="概念",
            )
        ],
        cards=[CardDoc("大模型(LLM)", "参数很多,能力很强", "概念")],
    )


@pytest.mark.django_db
def test_an_import_is_stored_typeset():
    report = store.save(ascii_doc(), slug="xin")
    study_set = report.study_set
    assert study_set.title == f"大模型{OPEN}新{CLOSE}"
    assert study_set.notes.get().body == f"- 术语{COLON}定义{COMMA}见 `a:b`\n- 时间 10:30"
    question = study_set.questions.get()
    assert question.prompt == "什么是大模型\uff1f"
    assert question.explanation == f"依据「概念」{COLON}见笔记"
    assert question.note.title == "概念"
    assert list(question.choices.order_by("position").values_list("text", flat=True)) == [
        f"参数很多的模型{OPEN}通常{CLOSE}",
        "小模型",
    ]
    card = study_set.cards.get()
    assert (card.front, card.back) == (f"大模型{OPEN}LLM{CLOSE}", f"参数很多{COMMA}能力很强")


@pytest.mark.django_db
def test_importing_again_updates_content_stored_before_typesetting():
    study_set = make_study_set(slug="xin", title="大模型(新)")
    make_note(study_set, title="概念", body="- 术语:定义")
    make_question(
        study_set,
        prompt="什么是大模型?",
        choices=(("参数很多的模型(通常)", True), ("小模型", False)),
    )
    make_card(study_set, front="大模型(LLM)", back="旧的释义")
    store.save(ascii_doc(), slug="xin")
    assert (study_set.notes.count(), study_set.questions.count(), study_set.cards.count()) == (
        1,
        1,
        1,
    )
    assert study_set.questions.get().choices.count() == 2
    assert study_set.cards.get().front == f"大模型{OPEN}LLM{CLOSE}"


@pytest.mark.django_db
class TestEditsAreTypesetOnSave:
    @pytest.fixture
    def staff(self, client, admin_user):
        client.force_login(admin_user)
        return admin_user

    def test_admin_card(self, client, staff, da_mo_xing):
        card = da_mo_xing.cards.first()
        url = reverse("admin:flashcards_card_change", args=[card.pk])
        data = {
            "study_set": da_mo_xing.pk,
            "position": 0,
            "front": "大模型(LLM)",
            "back": "很大,很强",
        }
        assert client.post(url, data).status_code == 302
        card.refresh_from_db()
        assert (card.front, card.back) == (f"大模型{OPEN}LLM{CLOSE}", f"很大{COMMA}很强")

    def test_admin_note(self, client, staff, da_mo_xing):
        note = da_mo_xing.notes.get(title="概念")
        url = reverse("admin:notes_note_change", args=[note.pk])
        data = {"study_set": da_mo_xing.pk, "position": note.position, "title": "概念"}
        assert (
            client.post(url, {**data, "body": "- 术语:定义\n\n```\ncode(中):不动\n```"}).status_code
            == 302
        )
        note.refresh_from_db()
        assert note.body == f"- 术语{COLON}定义\n\n```\ncode(中):不动\n```"

    def test_admin_question_and_its_options(self, client, staff, da_mo_xing):
        from tests.interchange.test_admin import question_post

        question = da_mo_xing.questions.get(position=0)
        choices = [(f"{c.text}(改)", c.is_correct) for c in question.choices.all()]
        data = question_post(question, choices, prompt="改写后的题干?", explanation="见笔记:概念")
        url = reverse("admin:quizzes_question_change", args=[question.pk])
        assert client.post(url, data).status_code == 302
        question.refresh_from_db()
        assert (question.prompt, question.explanation) == (
            "改写后的题干\uff1f",
            f"见笔记{COLON}概念",
        )
        assert all(
            text.endswith(f"{OPEN}改{CLOSE}")
            for text in question.choices.values_list("text", flat=True)
        )

    def test_owner_edit_of_a_generated_card(self, client, learner):
        client.force_login(learner)
        study_set = make_study_set(owner=learner, is_public=False)
        card = make_card(study_set, is_draft=True)
        url = reverse("generator:edit", args=[study_set.slug, "card", card.pk])
        assert client.post(url, {"front": "线粒体", "back": "能量工厂,产生 ATP"}).status_code == 302
        card.refresh_from_db()
        assert card.back == f"能量工厂{COMMA}产生 ATP"


@pytest.mark.django_db
def test_form_labels_end_without_an_ascii_colon(client, da_mo_xing, learner):
    """Django's default label suffix is an ASCII colon: 「每天新内容数:」 on /me/."""
    client.force_login(learner)
    found = [
        match.group()
        for html in pages_of_a_learner(client)
        for match in re.finditer(f"[{HAN}][ \t]*:[ \t]*</label>", html)
    ]
    assert found == []
