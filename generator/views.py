"""Create a private set from your own notes, then review what was generated."""

from __future__ import annotations

import re
import secrets
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from flashcards.models import Card
from generator import tasks
from generator.forms import CardEditForm, NewSetForm, QuestionEditForm
from generator.generate import MAX_CARDS, MAX_QUESTIONS
from generator.models import Busy, Generation
from notes.models import Incomplete, StudySet
from quizzes.models import Question
from studysite.htmx import AuthenticatedHttpRequest, HtmxHttpRequest, refuse, render_partial


def _owned(request, slug: str) -> StudySet:
    """The set if this learner owns it (or is staff); 404 for anyone else."""
    study_set = get_object_or_404(StudySet, slug=slug)
    if not (request.user.is_staff or study_set.owner_id == request.user.pk):
        raise Http404
    return study_set


@login_required
@require_http_methods(["GET", "POST"])
def new_set(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Paste or upload notes; a background job generates a private set of drafts.

    ?from=<job> fills the form with a failed job's title and notes, to mend them.
    """
    if request.method == "GET":
        form = NewSetForm(initial={"token": uuid.uuid4(), **_resubmitted(request)})
        return TemplateResponse(request, "generator/new.html", {"form": form})
    form = NewSetForm(request.POST, request.FILES)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            generation = tasks.submit(
                request.user, title=data["title"], notes=data["notes"], token=data["token"]
            )
        except Busy as busy:
            form.add_error(None, str(busy))
            status = 429
        else:
            return _see_other(generation.get_absolute_url())
    return TemplateResponse(request, "generator/new.html", {"form": form}, status=status)


def _resubmitted(request: AuthenticatedHttpRequest) -> dict:
    """The title and notes of the learner's own job named by ?from=, if any."""
    pk = request.GET.get("from", "")
    generation = (
        Generation.objects.filter(owner=request.user, pk=pk).first()
        if re.fullmatch(r"[0-9]{1,18}", pk)
        else None
    )
    if generation is None or not generation.notes:
        return {}
    return {"title": generation.title, "text": generation.notes}


def _see_other(url: str) -> HttpResponseRedirect:
    response = HttpResponseRedirect(url)
    response.status_code = 303  # after a POST, the browser GETs the page
    return response


def _own_generation(request: HttpRequest, pk: int) -> Generation:
    """The job if this learner started it; 404 for anyone else."""
    return get_object_or_404(
        Generation.objects.select_related("study_set"), pk=pk, owner=request.user
    )


@login_required
@require_http_methods(["GET"])
def progress(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """How far the job is; polled by htmx every 2 s, and by a meta refresh
    without JavaScript. Once done, the learner is sent on to the review."""
    generation = _own_generation(request, pk)
    if generation.state == Generation.Status.DONE and generation.study_set_id:
        messages.success(
            request,
            f"已生成 {generation.card_count} 张卡片、{generation.question_count} 道题"
            "\uff0c请审核。",
        )
        if generation.skipped_count:
            messages.warning(
                request,
                f"笔记较长：另有 {generation.skipped_count} 项没有生成"
                f"（每个学习集最多 {MAX_CARDS} 张卡片、{MAX_QUESTIONS} 道题）。"
                "可以把笔记分成几份，分别生成。",
            )
        assert generation.study_set is not None  # study_set_id is set: for the type checker
        url = reverse("generator:review", args=[generation.study_set.slug])
        return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    return render_partial(
        request, "generator/progress.html", {"generation": generation}, target="generation"
    )


@login_required
@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue a failed (or stale) job again with the same notes. A job that is
    working or done is left alone: a second click changes nothing."""
    generation = _own_generation(request, pk)
    tasks.retry(generation)
    return _see_other(generation.get_absolute_url())


REVIEW_FILTERS = {  # ?show= value -> its tab's label
    "all": "全部",
    "questions": "题目",
    "cards": "卡片",
    "accepted": "已接受",
}


def _review_counts(study_set: StudySet) -> dict[str, int]:
    """Drafts waiting, by kind, and items already accepted: two queries."""
    by_draft = {
        "drafts": Count("pk", filter=Q(is_draft=True)),
        "accepted": Count("pk", filter=Q(is_draft=False)),
    }
    questions = study_set.questions.aggregate(**by_draft)
    cards = study_set.cards.aggregate(**by_draft)
    return {
        "all": questions["drafts"] + cards["drafts"],
        "questions": questions["drafts"],
        "cards": cards["drafts"],
        "accepted": questions["accepted"] + cards["accepted"],
    }


@login_required
@require_http_methods(["GET"])
def review(request: HttpRequest, slug: str) -> TemplateResponse:
    """The owner's review of generated drafts: accept, edit or discard each,
    filtered by ?show= (全部 / 题目 / 卡片 / 已接受)."""
    study_set = _owned(request, slug)
    show = request.GET.get("show", "all")
    status = 200
    if show not in REVIEW_FILTERS:
        show, status = "all", 400
    accepted = show == "accepted"
    questions = study_set.questions.filter(is_draft=not accepted).prefetch_related("choices")
    cards = study_set.cards.filter(is_draft=not accepted)
    context = {
        "study_set": study_set,
        "show": show,
        "filters": REVIEW_FILTERS,
        "bad_filter": status == 400,
        "questions": questions.select_related("note") if show != "cards" else [],
        "cards": cards.select_related("note") if show != "questions" else [],
        "counts": _review_counts(study_set),
    }
    return TemplateResponse(request, "generator/review.html", context, status=status)


def _item(study_set: StudySet, kind: str, pk: int):
    model = {"question": Question, "card": Card}.get(kind)
    if model is None:
        raise Http404
    return get_object_or_404(model, pk=pk, study_set=study_set)


@login_required
@require_POST
def decide(request: HtmxHttpRequest, slug: str, kind: str, pk: int, action: str) -> HttpResponse:
    """Accept (publish) or discard one generated item."""
    study_set = _owned(request, slug)
    item = _item(study_set, kind, pk)
    if action == "accept":
        try:
            item.accept()
        except Incomplete as incomplete:
            # The reason, in the alert site.js shows (a bare text body left only its
            # generic "未保存"), and without JS a page with a way back to the review.
            back = (reverse("generator:review", args=[slug]), "返回审核")
            message = f"内容不完整\uff0c不能接受\uff1a{''.join(incomplete.problems)}请先编辑。"
            return refuse(request, message, back=back, status=400, heading="无法接受")
        message = "已接受"
    elif action == "discard":
        item.discard()
        message = "已删除"
    else:
        raise Http404
    if request.htmx:
        # The item becomes its verdict; the sticky bar's counts follow (out of band).
        counts = render_to_string(
            "generator/review.html#review-counts",
            {"study_set": study_set, "counts": _review_counts(study_set), "oob": True},
            request=request,
        )
        return HttpResponse(
            f'<li class="review-item review-item--done" role="status">{message}</li>{counts}'
        )
    return redirect("generator:review", slug=slug)


@login_required
@require_POST
def accept_all(request: HttpRequest, slug: str) -> HttpResponse:
    """Publish every complete draft; incomplete ones stay drafts to be edited."""
    study_set = _owned(request, slug)
    with transaction.atomic():
        questions = study_set.questions.publish_complete()
        cards = study_set.cards.publish_complete()
    messages.success(request, f"已接受 {questions} 道题、{cards} 张卡片。")
    return redirect("generator:review", slug=slug)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    """Edit a generated card's sides, or a question's prompt and explanation."""
    study_set = _owned(request, slug)
    item = _item(study_set, kind, pk)
    form_class = CardEditForm if isinstance(item, Card) else QuestionEditForm
    initial = {name: getattr(item, name) for name in form_class.base_fields}
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        item.update_from(form.cleaned_data)
        messages.success(request, "已保存。")
        return redirect("generator:review", slug=slug)
    status = 400 if request.method == "POST" else 200
    context = {"study_set": study_set, "item": item, "form": form, "kind": kind}
    return TemplateResponse(request, "generator/edit.html", context, status=status)


@login_required
@require_POST
def share(request: HttpRequest, slug: str) -> HttpResponse:
    """Publish (or withdraw) a share link to a private set."""
    study_set = _owned(request, slug)
    if request.POST.get("action") == "stop":
        study_set.share_token = ""
        messages.success(request, "分享链接已停用。")
    else:
        study_set.share_token = study_set.share_token or secrets.token_urlsafe(12)
        messages.success(request, "分享链接已生成。")
    study_set.save(update_fields=["share_token"])
    return redirect(study_set.get_absolute_url())
