"""Question and Card as study items: published/drafts, and a draft's review
(accept, discard, update_from) through model methods."""

from __future__ import annotations

import pytest

from flashcards.models import Card
from notes.models import Incomplete
from quizzes.models import Question
from tests.factories import make_card, make_question, make_study_set

pytestmark = pytest.mark.django_db


def test_published_and_drafts_for_questions_and_cards():
    study_set = make_study_set()
    done, draft = make_question(study_set), make_question(study_set, is_draft=True)
    card, card_draft = make_card(study_set), make_card(study_set, is_draft=True)
    assert list(Question.objects.published()) == [done]
    assert list(study_set.questions.drafts()) == [draft]
    assert list(Card.objects.published()) == [card]
    assert list(study_set.cards.drafts()) == [card_draft]


def test_accepting_a_complete_draft_publishes_it():
    question = make_question(make_study_set(), is_draft=True)
    question.accept()
    question.refresh_from_db()
    assert not question.is_draft


def test_accepting_an_incomplete_question_raises_and_changes_nothing():
    question = make_question(make_study_set(), is_draft=True, choices=(("唯一的选项", True),))
    with pytest.raises(Incomplete) as refused:
        question.accept()
    assert refused.value.problems == ["选择题至少要有两个选项。"]
    question.refresh_from_db()
    assert question.is_draft


def test_accepting_a_card_with_a_blank_back_raises():
    card = make_card(make_study_set(), is_draft=True, back=" \n ")
    with pytest.raises(Incomplete):
        card.accept()
    card.refresh_from_db()
    assert card.is_draft


def test_update_from_saves_only_the_editable_fields():
    study_set = make_study_set()
    card = make_card(study_set, is_draft=True)
    card.update_from({"front": "预训练", "back": "先在大规模语料上训练", "is_draft": False})
    card.refresh_from_db()
    assert (card.front, card.back, card.is_draft) == ("预训练", "先在大规模语料上训练", True)
    question = make_question(study_set, is_draft=True)
    question.update_from({"prompt": "改写后的题干\uff1f", "explanation": "", "kind": "essay"})
    question.refresh_from_db()
    assert (question.prompt, question.kind) == ("改写后的题干\uff1f", "single")


def test_discard_deletes():
    card = make_card(make_study_set(), is_draft=True)
    card.discard()
    assert not Card.objects.filter(pk=card.pk).exists()


def test_publish_complete_publishes_only_complete_drafts():
    study_set = make_study_set()
    good = make_question(study_set, is_draft=True)
    bad = make_question(study_set, is_draft=True, choices=(("唯一的选项", True),))
    assert study_set.questions.publish_complete() == 1
    assert list(study_set.questions.published()) == [good]
    assert list(study_set.questions.drafts()) == [bad]
