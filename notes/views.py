"""A set's overview and its study notes."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from learners.visitor import Visitor, remember_shared_token
from notes.models import StudySet


@require_GET
def overview(request: HttpRequest, slug: str) -> TemplateResponse:
    """Show the four parts of a set: podcast, questions, flashcards, notes."""
    study_set = get_object_or_404(
        StudySet.objects.visible_to(Visitor.from_request(request)).with_counts(), slug=slug
    )
    context = {
        "study_set": study_set,
        "notes": study_set.notes.only("pk", "title", "position", "study_set_id"),
        "questions": study_set.questions.filter(is_draft=False),
        "cards": study_set.cards.filter(is_draft=False),
    }
    return TemplateResponse(request, "notes/overview.html", context)


@require_GET
def shared(request: HttpRequest, token: str) -> HttpResponse:
    """Open a private set through its share link; the session remembers the token,
    which grants access only as long as the owner keeps this link."""
    study_set = StudySet.objects.exclude(share_token="").filter(share_token=token).first()
    if study_set is None:
        # Withdrawn or never made: the same answer, which tells the friend why.
        return TemplateResponse(request, "notes/share_gone.html", status=404)
    remember_shared_token(request.session, token)
    return redirect(study_set.get_absolute_url())


@require_GET
def notes(request: HttpRequest, slug: str) -> TemplateResponse:
    """Render a set's study notes with a table of contents and glossary links."""
    study_set = get_object_or_404(
        StudySet.objects.visible_to(Visitor.from_request(request)), slug=slug
    )
    sections = study_set.rendered_notes()
    return TemplateResponse(
        request, "notes/notes.html", {"study_set": study_set, "sections": sections}
    )
