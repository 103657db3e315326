"""A learner's own page: preferences, 错题本 and 智能练习."""

from __future__ import annotations

import uuid
from itertools import groupby

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from flashcards.forms import SHOWN_SALT, ReviewForm
from flashcards.models import Card, ReviewConflict, ReviewUndone
from learners import scheduling
from learners.models import Preferences
from learners.visitor import Visitor
from notes.models import StudySet
from progress.forms import PracticeForm, PreferencesForm, TodayAnswerForm
from progress.practice import mistake_question_ids, questions_for
from progress.reports import item_report, learner_dashboard, practice_plan
from progress.today import NotOpen, Session, option_tokens, question_item
from quizzes.models import Attempt, Question
from studysite.htmx import (
    AuthenticatedHttpRequest,
    HtmxHttpRequest,
    form_message,
    refuse,
    render_partial,
)


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
    visible = StudySet.objects.visible_to(Visitor.from_request(request))
    context = {"form": form, "dashboard": learner_dashboard(request.user, visible=visible)}
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


def _today(request: HttpRequest, now) -> Session:
    prefs = Preferences.objects.for_user(request.user)
    visible = StudySet.objects.visible_to(Visitor.from_request(request))
    return Session(
        request.user,
        visible,
        now,
        new_per_day=prefs.new_cards_per_day,
        desired_retention=prefs.desired_retention,
    )


def _card_context(card: Card, now, desired_retention: float) -> dict:
    state = card.read_memory()
    intervals = scheduling.preview(
        state.memory if state else None, now, desired_retention=desired_retention
    )
    return {
        "card": card,
        "buttons": [
            {"rating": rating, "label": label, "interval": scheduling.humanize(intervals[rating])}
            for rating, label in scheduling.RATING_LABELS.items()
        ],
        "review_id": uuid.uuid4(),
    }


def _question_context(user, question: Question, now, answer=None, verdict=None) -> dict:
    item = question_item(user, question, now)
    chosen = verdict.chosen if verdict else frozenset()
    token_of = {option_id: token for token, option_id in option_tokens(user, item).items()}
    options = [
        {
            "number": number,
            "token": token_of[option.id],
            "text": option.text,
            "chosen": option.id in chosen,
            # Only once answered does the page learn which options are right.
            "correct": option.correct if answer else None,
        }
        for number, option in enumerate(item.options, start=1)
    ]
    return {
        "question": question,
        "item": item,
        "options": [] if item.is_fill_blank else options,
        "answer": answer,
        "verdict": verdict,
    }


def _today_context(request: HtmxHttpRequest, session: Session, *, ended: bool = False) -> dict:
    """The session now: counts, and the next card or question unless the learner ended it."""
    tally = session.tally()
    context: dict = {"tally": tally, "ended": ended}
    item = None if ended else session.next_item(tally)
    if isinstance(item, Card):
        context.update(_card_context(item, session.now, session.desired_retention))
    elif isinstance(item, Question):
        context.update(_question_context(request.user, item, session.now))
    context["shown"] = signing.dumps(session.now.timestamp(), salt=SHOWN_SALT)
    # A whole page puts focus on the first option; an htmx swap leaves it to site.js.
    context["focus_first"] = not request.htmx
    return context


def _moved_on(request: HtmxHttpRequest, session: Session, message: str) -> TemplateResponse:
    """409 for an item no longer open (done in another tab, or the day's new items
    used up there): nothing is stored, and the page shows what comes next, saying
    why, instead of leaving the learner on an item that can only be refused again."""
    context = {**_today_context(request, session), "stale": message}
    response = render_partial(request, "progress/today.html", context, target="today", status=409)
    if request.htmx:  # the answer form targets its verdict: swap the whole session instead
        response.template_name = "progress/today.html#today"
        retarget(response, "#today")
        reswap(response, "outerHTML")
    return response


def _refuse_today(request: HtmxHttpRequest, message: str, *, status: int) -> TemplateResponse:
    back = (reverse("progress:today"), "返回今日学习")
    return refuse(request, message, back=back, status=status, heading="无法提交")


@login_required
@require_GET
def today(request: HtmxHttpRequest) -> TemplateResponse:
    """今日学习: the next due card or question across the learner's sets, or the summary."""
    ended = request.GET.get("end") == "1"
    context = _today_context(request, _today(request, timezone.now()), ended=ended)
    return render_partial(request, "progress/today.html", context, target="today")


@login_required
@require_POST
def today_review(request: AuthenticatedHttpRequest, card_id: int) -> HttpResponse:
    """Rate a card of 今日学习 through the flashcards' one rating path, then show the next item."""
    now = timezone.now()
    session = _today(request, now)
    card = get_object_or_404(
        Card.objects.published().filter(study_set__in=session.visible).to_rate(request.user),
        pk=card_id,
    )
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _refuse_today(request, form_message(form), status=400)
    try:
        log = session.review(
            card,
            form.cleaned_data["rating"],
            form.cleaned_data["review_id"],
            shown_at=form.cleaned_data["shown"],
            read=card.read_memory(),
        )
    except NotOpen:
        return _moved_on(
            request, session, "这张卡片现在不需要复习（可能已在别的标签页学过），已换到下一项。"
        )
    except ReviewConflict:
        return _refuse_today(request, "这条评分编号已经用于另一张卡片。", status=409)
    except ReviewUndone:
        return _refuse_today(request, "这次评分已经撤销了，请重新评分。", status=409)
    if not request.htmx:
        return redirect("progress:today")
    context = {**_today_context(request, session), "reviewed": log}
    return render_partial(request, "progress/today.html", context, target="today")


@login_required
@require_POST
def today_answer(request: HtmxHttpRequest, question_id: int) -> HttpResponse:
    """Grade a question of 今日学习 with the quiz's one grading rule, store it, show the verdict."""
    now = timezone.now()
    session = _today(request, now)
    question = get_object_or_404(
        Question.objects.published()
        .filter(study_set__in=session.visible)
        .select_related("study_set", "note__study_set")
        .prefetch_related("choices"),
        pk=question_id,
    )
    item = question_item(request.user, question, now)
    form = TodayAnswerForm(item, option_tokens(request.user, item), request.POST)
    if not form.is_valid():
        return _refuse_today(request, form_message(form), status=400)
    try:
        recorded = session.answer(
            question,
            item,
            form.cleaned_data["chosen_ids"],
            form.cleaned_data["response"],
            shown_at=form.cleaned_data["shown"],
        )
    except NotOpen:
        return _moved_on(
            request, session, "这道题现在不需要复习（可能已在别的标签页答过），已换到下一项。"
        )
    context = {
        **_question_context(request.user, question, now, recorded.answer, recorded.verdict),
        "oob": bool(request.htmx),
    }
    if not request.htmx:  # the whole page: the verdict, with the session's counts
        context["tally"] = session.tally()
    return render_partial(request, "progress/today.html", context, target="answer-result")
