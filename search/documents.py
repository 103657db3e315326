"""What search looks through: note passages, question prompts and cards.

Answers are never searchable: a question contributes its prompt only, so search
cannot tell the right option from the others.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.safestring import SafeString

from notes.models import StudySet
from search.matching import Match, Query, find, highlight


class Kind:
    NOTE = "笔记"
    QUESTION = "问答"
    CARD = "抽认卡"


@dataclass(frozen=True)
class Document:
    kind: str
    study_set: StudySet
    title: str
    text: str
    url: str


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
        notes_url = reverse("notes:notes", args=[study_set.slug])
        for note, rendered in study_set.rendered_notes():
            title = note.title or "引言"
            for passage in rendered.passages:
                found.append(
                    Document(
                        Kind.NOTE, study_set, title, passage.text, f"{notes_url}#{passage.anchor}"
                    )
                )
            if note.title:
                found.append(
                    Document(Kind.NOTE, study_set, title, note.title, f"{notes_url}#{note.anchor}")
                )
        for question in study_set.questions.all():
            if question.is_draft:
                continue
            found.append(
                Document(
                    Kind.QUESTION, study_set, "题目", question.prompt, question.get_absolute_url()
                )
            )
        for card in study_set.cards.all():
            if card.is_draft:
                continue
            found.append(
                Document(
                    Kind.CARD,
                    study_set,
                    card.front,
                    f"{card.front}\uff1a{card.back}",
                    card.get_absolute_url(),
                )
            )
    return found


def search(query: Query, study_sets: list[StudySet], limit: int = 50) -> list[Hit]:
    """Matching documents: exact text first, then pinyin, then initials; stable order."""
    hits = []
    for document in documents(study_sets):
        match = find(query, document.text)
        if match:
            hits.append(Hit(document, match))
    hits.sort(key=lambda hit: hit.match.kind)
    return hits[:limit]
