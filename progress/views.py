"""A learner's own progress: 错题本."""

from __future__ import annotations

from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from quizzes.models import Answer, Question


@login_required
@require_GET
def mistakes(request: HttpRequest) -> TemplateResponse:
    """错题本: questions answered wrong and not since answered right twice in a row."""
    ids = Answer.objects.mistake_question_ids(request.user)
    questions = Question.objects.filter(pk__in=ids).select_related("study_set", "note__study_set")
    ordered = sorted(
        questions, key=lambda q: (q.study_set.position, q.study_set.pk, ids.index(q.pk))
    )
    groups = [
        (study_set, list(items)) for study_set, items in groupby(ordered, key=lambda q: q.study_set)
    ]
    return TemplateResponse(
        request, "progress/mistakes.html", {"groups": groups, "total": len(ids)}
    )
