"""A set's overview and its study notes."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from notes.models import StudySet


@require_GET
def overview(request: HttpRequest, slug: str) -> TemplateResponse:
    """Show the four parts of a set: podcast, questions, flashcards, notes."""
    study_set = get_object_or_404(
        StudySet.objects.visible_to(request.user).with_counts(), slug=slug
    )
    context = {
        "study_set": study_set,
        "notes": study_set.notes.only("pk", "title", "position", "study_set_id"),
        "questions": study_set.questions.filter(is_draft=False),
        "cards": study_set.cards.filter(is_draft=False),
    }
    return TemplateResponse(request, "notes/overview.html", context)


@require_GET
def notes(request: HttpRequest, slug: str) -> TemplateResponse:
    """Render a set's study notes with a table of contents and glossary links."""
    study_set = get_object_or_404(StudySet.objects.visible_to(request.user), slug=slug)
    sections = study_set.rendered_notes()
    return TemplateResponse(
        request, "notes/notes.html", {"study_set": study_set, "sections": sections}
    )
