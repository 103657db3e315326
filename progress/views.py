"""A learner's own page: preferences and 错题本."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_http_methods

from progress.forms import PreferencesForm
from quizzes.models import Answer, Question
from studysite.models import Preferences


@login_required
@require_http_methods(["GET", "POST"])
def me(request: HttpRequest) -> HttpResponse:
    """My page: study preferences (new cards per day, desired retention)."""
    preferences = Preferences.objects.for_user(request.user)
    form = PreferencesForm(request.POST or None, instance=preferences)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, "学习偏好已保存。")
            return redirect("progress:me")
        return TemplateResponse(request, "progress/me.html", {"form": form}, status=400)
    return TemplateResponse(request, "progress/me.html", {"form": form})


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
