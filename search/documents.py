"""What search looks through: set titles, note passages, question prompts and cards.

Answers are never searchable: a question contributes its prompt only, so search
cannot tell the right option from the others.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.safestring import SafeString

from notes.models import StudySet
from search.matching import Field, Lexicon, Match, Query, Tier, highlight, ranked


class Kind:
    SET = "学习集"
    NOTE = "笔记"
    QUESTION = "问答"
    CARD = "抽认卡"


@dataclass(slots=True)  # one per passage per search: frozen would cost 3x to make
class Document:
    kind: str
    study_set: StudySet
    title: str
    url: str
    field: Field

    @property
    def text(self) -> str:
        return self.field.text


@dataclass(frozen=True)
class Hit:
    document: Document
    match: Match

    @property
    def snippet(self) -> SafeString:
        return highlight(self.document.text, self.match)


def documents(study_sets: list[StudySet]) -> list[Document]:
    """Every searchable passage of the sets, in reading order.

    Expects `notes`, `questions` and `cards` prefetched: the query count does not
    grow with the number of sets.
    """
    found: list[Document] = []
    for study_set in study_sets:
        cards = [card for card in study_set.cards.all() if not card.is_draft]
        # The set's own words: pinyin initials match inside one of them, never across two.
        lexicon = Lexicon.of([study_set.title, *(card.front for card in cards)])

        # Called within this iteration only, so the loop variables it reads are current.
        def add(kind: str, title: str, url: str, text: str, tier=Tier.BODY, lead=None) -> None:
            field = Field(text, tier, lead, lexicon)  # noqa: B023
            found.append(Document(kind, study_set, title, url, field))  # noqa: B023

        add(Kind.SET, "概览", study_set.get_absolute_url(), study_set.title, Tier.TITLE)
        notes_url = reverse("notes:notes", args=[study_set.slug])
        for note, rendered in study_set.rendered_notes():
            title = note.heading
            if note.title:
                add(Kind.NOTE, title, f"{notes_url}#{note.anchor}", note.title, Tier.HEADING)
            headings = {entry.anchor for entry in rendered.toc}
            for passage in rendered.passages:
                tier = Tier.HEADING if passage.anchor in headings else Tier.BODY
                add(Kind.NOTE, title, f"{notes_url}#{passage.anchor}", passage.text, tier)
        for question in study_set.questions.all():
            if not question.is_draft:
                add(Kind.QUESTION, "题目", question.get_absolute_url(), question.prompt)
        for card in cards:
            add(
                Kind.CARD,
                card.front,
                card.get_absolute_url(),
                f"{card.front}\uff1a{card.back}",  # ：
                Tier.TITLE,
                len(card.front),
            )
    return found


def search(query: Query, study_sets: list[StudySet], limit: int = 50) -> list[Hit]:
    """The best `limit` matching documents, ranked by `matching.rank`."""
    found = documents(study_sets)
    return [Hit(found[i], match) for i, match in ranked(query, [d.field for d in found], limit)]
