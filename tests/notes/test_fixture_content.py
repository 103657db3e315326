"""The 大模型 fixture holds the complete set from the source page, and no more."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from flashcards.models import Card
from notes.models import Note, StudySet
from quizzes.models import Choice, Question
from studysite.chinese import typeset

# A copy of ../shared/material/000_fa3858be3fb9bde3.txt, kept so the tests stand alone.
SOURCE = Path(__file__).resolve().parents[1] / "data" / "da-mo-xing.quizgecko.txt"
LOCKED = "Signup and view all the flashcards"
QUESTIONS = 16  # the source's ten, and six written for 概念, 发展历程 and 数据需求


def _section(name: str, following: str) -> list[str]:
    lines = SOURCE.read_text(encoding="utf-8").splitlines()
    return lines[lines.index(name) + 1 : lines.index(following)]


def source_prompts() -> list[str]:
    lines = _section("Questions and Answers", "Flashcards")
    # The fixture stores text typeset (Chinese punctuation, issue 16).
    prompts = [typeset(line) for line in lines if not line.startswith("- ")]
    return list(dict.fromkeys(prompts))  # each is printed twice


def source_terms() -> list[str]:
    lines = _section("Flashcards", "Study Notes")
    terms = [
        typeset(line) for i, line in enumerate(lines) if i + 1 < len(lines) and lines[i + 1] == line
    ]
    return list(dict.fromkeys(terms))


def source_bullets() -> list[str]:
    lines = _section("Study Notes", "Studying That Suits You")
    return [typeset(line[2:]) for line in lines if line[:2] == "- "]


def source_headings() -> list[str]:
    lines = _section("Study Notes", "Studying That Suits You")
    return [typeset(line) for line in lines if line.strip() and not line.startswith("- ")]


def test_source_parsers_see_the_whole_page():
    assert len(source_prompts()) == 10
    assert len(source_terms()) == 9
    assert len(source_bullets()) == 46
    assert source_headings() == [
        "概念",
        "发展历程",
        "关键技术",
        "应用领域",
        "面临的挑战",
        "未来发展趋势",
    ]


@pytest.mark.django_db
class TestDaMoXingFixture:
    def test_every_prompt_is_a_question_exactly_once(self, da_mo_xing):
        prompts = list(da_mo_xing.questions.values_list("prompt", flat=True))
        for prompt in source_prompts():
            assert prompts.count(prompt) == 1, prompt
        # Six more, written from the notes for sections the source never asks about.
        assert len(prompts) == len(source_prompts()) + 6 == QUESTIONS

    def test_every_term_is_a_card_exactly_once(self, da_mo_xing):
        fronts = list(da_mo_xing.cards.values_list("front", flat=True))
        assert sorted(fronts) == sorted(source_terms())
        assert fronts.count("模型压缩") == 1

    def test_every_notes_bullet_is_in_the_notes(self, da_mo_xing):
        bodies = "\n".join(da_mo_xing.notes.values_list("body", flat=True))
        for bullet in source_bullets():
            assert f"- {bullet}\n" in bodies, bullet

    def test_notes_add_nothing_to_the_source(self, da_mo_xing):
        bullets = set(source_bullets())
        for body in da_mo_xing.notes.values_list("body", flat=True):
            for line in body.splitlines():
                assert line.strip().removeprefix("- ") in bullets, line

    def test_notes_keep_the_source_headings_in_order(self, da_mo_xing):
        titles = [title for title in da_mo_xing.notes.values_list("title", flat=True) if title]
        assert titles == source_headings()

    def test_sub_bullets_are_nested_under_their_colon_bullet(self, da_mo_xing):
        body = da_mo_xing.notes.get(title="关键技术").body
        assert "- 模型结构\uff1a\n    - Transformer:" in body

    def test_every_question_has_two_choices_and_a_right_one(self, da_mo_xing):
        for question in da_mo_xing.questions.prefetch_related("choices"):
            choices = list(question.choices.all())
            right = [choice for choice in choices if choice.is_correct]
            assert len(right) >= 1, question.prompt
            if question.kind == Question.Kind.FILL_BLANK:  # choices are its accepted answers
                assert len(right) == len(choices), question.prompt
                continue
            assert len(choices) >= 2, question.prompt
            if question.kind == Question.Kind.SINGLE:
                assert len(right) == 1, question.prompt
            assert len({choice.text for choice in choices}) == len(choices), question.prompt

    def test_source_right_answers_are_kept(self, da_mo_xing):
        lines = _section("Questions and Answers", "Flashcards")
        marked = [
            typeset(line[2:].removesuffix(" (correct)"))
            for line in lines
            if line.endswith("(correct)")
        ]
        assert len(marked) == 3
        for text in marked:
            assert Choice.objects.get(text=text).is_correct

    def test_every_explanation_names_its_note_section(self, da_mo_xing):
        for question in da_mo_xing.questions.select_related("note"):
            assert question.note is not None, question.prompt
            assert f"「{question.note.title}" in question.explanation, question.prompt

    def test_every_card_back_is_written_and_linked_to_a_section(self, da_mo_xing):
        for card in da_mo_xing.cards.all():
            assert card.back.strip(), card.front
            assert card.note_id is not None, card.front

    def test_no_locked_text_anywhere(self):
        fixture = (Path(__file__).resolve().parents[2] / "fixtures" / "da-mo-xing.json").read_text(
            encoding="utf-8"
        )
        assert "Signup" not in fixture
        assert LOCKED not in fixture


def content_fields(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if f.name != "content_version"]


@pytest.mark.django_db
def test_loading_the_fixture_twice_changes_nothing():
    def snapshot():
        # content_version is no content: a marker that every write renews (the notes page cache).
        return [
            list(model.objects.order_by("pk").values(*content_fields(model)))
            for model in (StudySet, Note, Question, Choice, Card)
        ]

    call_command("loaddata", "da-mo-xing", verbosity=0)
    first = snapshot()
    call_command("loaddata", "da-mo-xing", verbosity=0)
    assert snapshot() == first
    assert StudySet.objects.count() == 1
    assert Question.objects.count() == QUESTIONS
    assert Card.objects.count() == 9


@pytest.mark.django_db
def test_ensure_studyset_does_not_overwrite_staff_edits(da_mo_xing):
    da_mo_xing.title = "大模型(已编辑)"
    da_mo_xing.save()
    call_command("ensure_studyset", "da-mo-xing", verbosity=0)
    da_mo_xing.refresh_from_db()
    assert da_mo_xing.title == "大模型(已编辑)"


@pytest.mark.django_db
def test_ensure_studyset_loads_a_missing_set():
    call_command("ensure_studyset", "da-mo-xing", verbosity=0)
    assert StudySet.objects.get(slug="da-mo-xing").questions.count() == QUESTIONS
