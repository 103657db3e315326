"""The quiz: one question at a time, answers checked on the server."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from learners.mastery import for_sections
from learners.models import Preferences
from learners.visitor import Visitor, remember_attempt
from notes.models import StudySet, visible_sets
from quizzes.forms import ALL, EXAM_MINUTES, AnswerForm, StartForm, length_options
from quizzes.items import SectionScore, section_scores
from quizzes.models import Answer, Attempt, AttemptClosed, Question
from studysite.htmx import HtmxHttpRequest, form_message, refuse, render_partial

HISTORY_LENGTH = 10


def _visible_set(visitor: Visitor, slug: str) -> StudySet:
    return get_object_or_404(StudySet.objects.visible_to(visitor), slug=slug)


def _own_attempts(visitor: Visitor, slug: str):
    """The visitor's attempts on the set `slug`, while they may still see that set
    (a withdrawn share link ends an attempt begun through it)."""
    return Attempt.objects.owned_by(visitor).filter(
        visible_sets(visitor, through="study_set__"), study_set__slug=slug
    )


def _current_attempt(visitor: Visitor, slug: str) -> Attempt | None:
    """The visitor's attempt in progress on `slug`, with its set, in one query; the
    snapshot stays in the database until an item of it is needed (`Attempt.item_at`)."""
    return (
        _own_attempts(visitor, slug)
        .in_progress()
        .select_related("study_set")
        .defer("items")
        .first()
    )


def _question_context(
    request: HtmxHttpRequest, attempt: Attempt, answered: int, item, answer=None
) -> dict:
    """What the question card shows. Before an answer, nothing about which option is right."""
    chosen = set(answer.chosen) if answer else set()
    # Learners who keep explanations for the end see only their own choices marked.
    reveal = answer is not None and attempt.explain_each
    options = [
        {
            "number": number,
            "token": attempt.option_token(option.id),
            "text": option.text,
            "chosen": option.id in chosen,
            # Only once answered does the page learn which options are right.
            "correct": option.correct
            if reveal
            else (option.correct and option.id in chosen if answer else None),
        }
        for number, option in enumerate(item.options, start=1)
    ]
    return {
        "attempt": attempt,
        "study_set": attempt.study_set,
        "item": item,
        "options": [] if item.is_fill_blank else options,
        "answer": answer,
        "answered_count": answered,
        "is_last": answered >= attempt.question_count,
        # A whole page puts focus on the first option; an htmx swap leaves it to site.js.
        "focus_first": not request.htmx,
        **_exam_clock(attempt),
    }


def _exam_clock(attempt: Attempt) -> dict:
    """What the exam's countdown shows, by the server's clock (nothing outside exams)."""
    if not attempt.is_exam:
        return {}
    seconds = attempt.seconds_left(timezone.now())
    return {"seconds_left": seconds, "minutes_left": -(-seconds // 60)}


def _next_question_context(request: HtmxHttpRequest, attempt: Attempt) -> dict:
    answered = attempt.answered_positions()
    position = next(p for p in range(attempt.question_count) if p not in answered)
    return _question_context(request, attempt, len(answered), attempt.item_at(position))


@require_GET
def quiz(request: HtmxHttpRequest, slug: str) -> TemplateResponse:
    """Show the next unanswered question of the current attempt, or the start screen."""
    visitor = Visitor.from_request(request)
    attempt = _current_attempt(visitor, slug)
    if attempt is None:
        study_set = _visible_set(visitor, slug)
        question_count = study_set.questions.published().count()
        prefs = Preferences.objects.for_user(request.user)
        context = {
            "study_set": study_set,
            "question_count": question_count,
            "lengths": length_options(prefs.quiz_length, question_count),
            "length": str(prefs.quiz_length) if prefs.quiz_length else ALL,
            "orders": Preferences.QuizOrder.choices,
            "order": prefs.quiz_order,
            "exam_minutes": EXAM_MINUTES,
            "history": Attempt.objects.owned_by(visitor)
            .filter(study_set=study_set)
            .finished()
            .quizzes()
            .select_related("study_set")[:HISTORY_LENGTH],
        }
        return TemplateResponse(request, "quizzes/quiz.html", context)
    if attempt.is_overdue(timezone.now()):
        attempt.close(timezone.now())
        return _exam_over(request, attempt.study_set, attempt)
    context = _next_question_context(request, attempt)
    # 继续答题 from the discard question swaps back only the 放弃 link, focused.
    target = "quiz-restart" if request.htmx.target == "quiz-restart" else "quiz"
    context["restored"] = target == "quiz-restart"
    return render_partial(request, "quizzes/quiz.html", context, target=target)


@require_http_methods(["GET", "POST"])
def discard(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """放弃本次: GET asks first (a fragment for htmx, the quiz page without JS);
    POST abandons the attempt in progress and goes back to the start screen."""
    visitor = Visitor.from_request(request)
    attempt = _current_attempt(visitor, slug)
    if attempt is None:
        _visible_set(visitor, slug)  # 404 for a set the visitor may not see
        return redirect("quizzes:quiz", slug=slug)
    if request.method == "POST":
        attempt.abandon()
        return redirect("quizzes:quiz", slug=slug)
    # The question behind 放弃本次 never takes focus from it.
    context = {
        **_next_question_context(request, attempt),
        "confirm_discard": True,
        "focus_first": False,
    }
    return render_partial(request, "quizzes/quiz.html", context, target="quiz-restart")


@require_POST
def start(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Begin an attempt: the whole quiz, or only what an attempt missed."""
    visitor = Visitor.from_request(request)
    study_set = _visible_set(visitor, slug)
    form = StartForm(request.POST, exam_minutes=study_set.exam_minutes)
    if not form.is_valid():
        return _refuse(request, study_set, form_message(form), status=400)
    mode, source = form.cleaned_data["mode"], None
    prefs = Preferences.objects.for_user(request.user)
    questions: QuerySet[Question] | list[Question]  # a QuerySet, then the list it becomes
    questions = (
        study_set.questions.published()
        .select_related("note__study_set")
        .prefetch_related("choices")
    )
    if mode == Attempt.Mode.RETRY:
        source = (
            Attempt.objects.owned_by(visitor)
            .finished()
            .filter(study_set=study_set, pk=form.cleaned_data["source"] or 0)
            .first()
        )
        if source is None:
            return _refuse(request, study_set, "找不到这次答题记录。", status=404)
        missed = list(source.answers.filter(is_correct=False).values_list("question_id", flat=True))
        questions = questions.filter(pk__in=missed)
    questions = list(questions)
    if not questions:
        return _refuse(request, study_set, "没有可练习的题目。", status=400)
    if form.choose(prefs) and request.user.is_authenticated:
        prefs.save()
    attempt = Attempt.start(
        visitor,
        study_set,
        questions,
        preferences=prefs,
        cut=mode in (Attempt.Mode.ALL, Attempt.Mode.EXAM),
        mode=mode,
        source=source,
        minutes=form.cleaned_data["minutes"],
    )
    if not visitor.is_authenticated:
        remember_attempt(request.session, attempt.pk)
    return redirect("quizzes:quiz", slug=study_set.slug)


@require_POST
def answer(request: HtmxHttpRequest, slug: str, attempt_id: int, question_id: int) -> HttpResponse:
    """Grade one answer, store it once, and show the verdict."""
    attempt = get_object_or_404(
        _own_attempts(Visitor.from_request(request), slug).select_related("study_set"),
        pk=attempt_id,
    )
    item = attempt.item_for(question_id)
    if item is None:
        raise Http404("这道题不在本次测验中。")
    # Past an exam's deadline nothing is taken, well formed or not: the exam closes.
    now = timezone.now()
    if attempt.deadline is not None and now >= attempt.deadline:
        attempt.close(now)
        return _exam_over(request, attempt.study_set, attempt, status=409)
    form = AnswerForm(attempt, item, request.POST)
    if not form.is_valid():
        return _refuse(request, attempt.study_set, form_message(form), status=400)
    try:
        recorded = attempt.record(
            item, form.cleaned_data["chosen_ids"], form.cleaned_data["response"]
        )
    except AttemptClosed:
        if attempt.is_exam:
            return _exam_over(request, attempt.study_set, attempt, status=409)
        return _refuse(
            request, attempt.study_set, "这次测验已经结束\uff0c不能再提交答案。", status=409
        )
    if attempt.is_exam:
        return _exam_next(request, attempt, item)
    context = _question_context(request, attempt, recorded.answered, item, answer=recorded.answer)
    context["verdict"] = recorded.verdict
    context["oob"] = bool(request.htmx)
    return render_partial(request, "quizzes/quiz.html", context, target="answer-result")


def _exam_next(request: HtmxHttpRequest, attempt: Attempt, item) -> TemplateResponse:
    """考试模式 after an answer: no verdict, only 已作答 and the next question."""
    if not attempt.is_open:  # that was the last question: the exam is handed in
        return _exam_over(request, attempt.study_set, attempt)
    context = _next_question_context(request, attempt)
    context["acknowledged"] = item
    return render_partial(request, "quizzes/quiz.html", context, target="quiz")


def _exam_over(
    request: HtmxHttpRequest, study_set: StudySet, attempt: Attempt, *, status: int = 200
) -> TemplateResponse:
    """The exam has ended (time up or handed in): say so and link the results. A
    refused answer (409) replaces the whole question card for htmx too."""
    context = {"study_set": study_set, "attempt": attempt, "exam_over": True}
    context["refused"] = status == 409
    response = render_partial(request, "quizzes/quiz.html", context, target="quiz", status=status)
    if request.htmx:
        response.template_name = "quizzes/quiz.html#quiz"
        retarget(response, "#quiz")
        reswap(response, "outerHTML")
    return response


@require_http_methods(["GET", "POST"])
def hand_in(request: HtmxHttpRequest, slug: str, attempt_id: int) -> HttpResponse:
    """交卷: GET asks first, saying how many questions are still unanswered (a
    fragment for htmx, the exam page without JS); POST finishes the exam now,
    unanswered questions counting as wrong."""
    attempt = get_object_or_404(
        _own_attempts(Visitor.from_request(request), slug).select_related("study_set"),
        pk=attempt_id,
    )
    if not attempt.is_exam:
        return _refuse(request, attempt.study_set, "只有考试模式需要交卷。", status=400)
    if attempt.status == Attempt.Status.ABANDONED:
        return _refuse(request, attempt.study_set, "这次考试已经放弃了。", status=409)
    now = timezone.now()
    if request.method == "POST" or attempt.status == Attempt.Status.FINISHED:
        attempt.close(now)
        return redirect(attempt.get_absolute_url())
    if attempt.is_overdue(now):
        attempt.close(now)
        return _exam_over(request, attempt.study_set, attempt)
    # The question behind the confirmation never takes focus from it.
    context = {**_next_question_context(request, attempt), "confirm_hand_in": True}
    context["unanswered_count"] = attempt.question_count - context["answered_count"]
    context["focus_first"] = False
    return render_partial(request, "quizzes/quiz.html", context, target="exam-hand-in")


@require_GET
def results(request: HtmxHttpRequest, slug: str, attempt_id: int) -> HttpResponse:
    """Score, time taken, every question with the learner's answer and the right one."""
    attempts = _own_attempts(Visitor.from_request(request), slug)
    attempt = get_object_or_404(attempts.select_related("study_set"), pk=attempt_id)
    if attempt.status != Attempt.Status.FINISHED:  # in progress, or abandoned (放弃本次)
        return redirect("quizzes:quiz", slug=slug)
    answers = {a.position: a for a in attempt.answers.all()}
    rows = [
        (item, answers.get(item.position), item.grade(*_given(answers.get(item.position))))
        for item in attempt.item_list
    ]
    context = {
        "attempt": attempt,
        "study_set": attempt.study_set,
        "rows": rows,
        "sections": _with_mastery(
            request.user,
            attempt.study_set,
            section_scores((item, bool(answer and answer.is_correct)) for item, answer, _ in rows),
        ),
        "missed": sum(1 for _, answer, _ in rows if answer is None or not answer.is_correct),
        "history": attempts.finished().quizzes().select_related("study_set")[:HISTORY_LENGTH],
    }
    return TemplateResponse(request, "quizzes/results.html", context)


def _with_mastery(user, study_set: StudySet, scores: list[SectionScore]) -> list[tuple]:
    """Each section's score with the learner's mastery of that section now (None
    for anonymous visitors, and for sections no longer in the notes)."""
    by_url = {m.url: m for m in for_sections(user, study_set, timezone.now()).values()}
    return [(score, by_url.get(score.url) if score.url else None) for score in scores]


def _given(answer: Answer | None) -> tuple[list[int], str]:
    return (answer.chosen, answer.response) if answer else ([], "")


def _refuse(request, study_set: StudySet, message: str, *, status: int) -> TemplateResponse:
    back = (reverse("quizzes:quiz", args=[study_set.slug]), "返回问答")
    return refuse(request, message, back=back, status=status, heading="无法提交")
