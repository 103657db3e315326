"""A learner's own page: preferences, 错题本 and 智能练习."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from learners.models import Preferences
from learners.visitor import Visitor
from notes.models import StudySet
from progress.forms import PracticeForm, PreferencesForm
from progress.practice import mistake_question_ids, questions_for
from progress.reports import item_report, learner_dashboard, practice_plan
from quizzes.models import Attempt, Question
from studysite.htmx import HtmxHttpRequest, form_message, refuse


@login_required
@require_http_methods(["GET", "POST"])
def me(request: HttpRequest) -> HttpResponse:
    """My progress per set, as pictures, and my study preferences."""
    preferences = Preferences.objects.for_user(request.user)
    form = PreferencesForm(request.POST or None, instance=preferences)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, "学习偏好已保存。")
            return redirect("progress:me")
        status = 400
    context = {"form": form, "dashboard": learner_dashboard(request.user)}
    return TemplateResponse(request, "progress/me.html", context, status=status)


@login_required
@require_GET
def practice(request: HttpRequest) -> TemplateResponse:
    """智能练习: what to study now, per set, from the learner's own history."""
    # Sets the learner can no longer open (a withdrawn share link) drop out.
    visible = set(
        StudySet.objects.visible_to(Visitor.from_request(request)).values_list("pk", flat=True)
    )
    rows = [row for row in practice_plan(request.user) if row.study_set.pk in visible]
    return TemplateResponse(request, "progress/practice.html", {"rows": rows})


@require_GET
def stats(request: HttpRequest, slug: str) -> TemplateResponse:
    """Item analysis for staff; anyone else gets a 404, as if there were no page."""
    if not (request.user.is_authenticated and request.user.is_staff):
        raise Http404
    study_set = get_object_or_404(StudySet, slug=slug)
    first_only = request.GET.get("attempts", "first") != "all"
    report = item_report(study_set, first_only=first_only)
    show_names = request.user.has_perm("auth.view_user")
    names = {}
    if show_names:
        names = dict(
            get_user_model()
            .objects.filter(pk__in=[uid for uid, _ in report.learners])
            .values_list("pk", "username")
        )
    learners = [
        (
            names.get(user_id) or f"学员 #{rank}",
            score,
            user_id in report.top,
            user_id in report.bottom,
        )
        for rank, (user_id, score) in enumerate(report.learners, start=1)
    ]
    context = {
        "study_set": study_set,
        "report": report,
        "learners": learners,
        "show_names": show_names,
    }
    return TemplateResponse(request, "progress/stats.html", context)


@login_required
@require_GET
def mistakes(request: HttpRequest) -> TemplateResponse:
    """错题本: questions answered wrong and not since answered right twice in a row."""
    ids = mistake_question_ids(request.user)
    # Only what learners may see: a question held back as 待完善 since leaves the page.
    questions = (
        Question.objects.published()
        .filter(
            pk__in=ids, study_set__in=StudySet.objects.visible_to(Visitor.from_request(request))
        )
        .select_related("study_set", "note__study_set")
    )
    ordered = sorted(
        questions, key=lambda q: (q.study_set.position, q.study_set.pk, ids.index(q.pk))
    )
    groups = [
        (study_set, list(items)) for study_set, items in groupby(ordered, key=lambda q: q.study_set)
    ]
    return TemplateResponse(
        request, "progress/mistakes.html", {"groups": groups, "total": len(ordered)}
    )


@login_required
@require_POST
def start(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Practise a set's 错题本 or 智能练习 questions, or one section's (练习这一节,
    from the notes' mastery marks), as a new quiz attempt."""
    visitor = Visitor.from_request(request)
    study_set = get_object_or_404(StudySet.objects.visible_to(visitor), slug=slug)
    form = PracticeForm(request.POST, study_set=study_set)
    back = (reverse("quizzes:quiz", args=[study_set.slug]), "返回问答")
    if not form.is_valid():
        return refuse(request, form_message(form), back=back, status=400, heading="无法提交")
    prefs = Preferences.objects.for_user(request.user)
    mode, note = form.cleaned_data["mode"], form.cleaned_data["note"]
    questions = questions_for(
        request.user, study_set, mode, prefs.quiz_length, section=note, now=timezone.now()
    )
    if not questions and note:
        back = (f"{reverse('notes:notes', args=[study_set.slug])}#{note.anchor}", "返回学习笔记")
        return refuse(request, "这一节还没有题目。", back=back, status=400, heading="无法提交")
    if not questions:
        return refuse(request, "没有可练习的题目。", back=back, status=400, heading="无法提交")
    Attempt.start(visitor, study_set, questions, preferences=prefs, mode=mode)
    return redirect("quizzes:quiz", slug=study_set.slug)
