"""Flashcards: scheduled review with FSRS, or browsing every card."""

from __future__ import annotations

import hashlib
import random
import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core import signing
from django.db.models import FilteredRelation, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from flashcards.forms import SHOWN_SALT, DeckOptionsForm, ReviewForm, StarForm, UndoForm
from flashcards.models import (
    Card,
    CardState,
    ReviewConflict,
    ReviewLog,
    ReviewUndone,
    Star,
    StudyQueue,
    UndoRefused,
    record_review,
    undo_review,
)
from learners import scheduling
from learners.models import Preferences
from learners.visitor import Visitor
from notes.models import Note, StudySet
from studysite.htmx import (
    AuthenticatedHttpRequest,
    HtmxHttpRequest,
    form_message,
    refuse,
    render_partial,
)
from studysite.http import safe_next_url

SECTION_NOT_FOUND = "找不到这一节\uff1a它不是这个学习集的笔记章节。"
# What a rating or an undo carries back to the page (as hidden fields), as links do.
KEPT_OPTIONS = ("reverse", "starred", "section")


def _visible_set(request, slug: str, section: int | None = None) -> StudySet:
    """The set, with `section` (a note's id), if asked, read in the same query: see
    `_section`."""
    sets = StudySet.objects.visible_to(Visitor.from_request(request))
    if section:
        sets = sets.annotate(
            section=FilteredRelation("notes", condition=Q(notes__pk=section))
        ).select_related("section")  # type: ignore[misc]
    return get_object_or_404(sets, slug=slug)


def _section(study_set: StudySet) -> Note | None:
    """The section `_visible_set` read with the set; None when it is not one of the
    set's (Django sets a joined FilteredRelation's attribute only when a row matched)."""
    return getattr(study_set, "section", None)


def _options(request, data) -> DeckOptionsForm:
    form = DeckOptionsForm(data, signed_in=request.user.is_authenticated)
    form.is_valid()
    return form


def _study_context(
    request, study_set: StudySet, options: dict, prefs: Preferences, *, now=None, latest=None
) -> dict:
    """The study queue's page; `latest` when the view knows the learner's last
    rating in the set (the one it just stored)."""
    now = now or timezone.now()
    queue = StudyQueue.build(
        request.user,
        study_set,
        now=now,
        new_per_day=prefs.new_cards_per_day,
        starred_only=options["starred"],
        section=options["section"],
    )
    card, state = queue.next_card, queue.next_state
    starred: bool | None = queue.next_starred
    if options["card"]:
        # The card the learner just took back (撤销) comes again first, as in Anki.
        taken_back = _card_and_state(request.user, study_set, options["card"], options["section"])
        if taken_back:
            (card, state), starred = taken_back, None
    if latest is None:
        today = ReviewLog.objects.in_set(request.user, study_set).on_day_of(now)
        latest = today.latest_first().select_related("card").first()
    buttons = []
    if card:
        memory = state.memory if state else None
        intervals = scheduling.preview(memory, now, desired_retention=prefs.desired_retention)
        buttons = [
            {"rating": rating, "label": label, "interval": scheduling.humanize(intervals[rating])}
            for rating, label in scheduling.RATING_LABELS.items()
        ]
    context = {
        "queue": queue,
        "card": card,
        "done_today": queue.done_today,
        "planned_today": queue.planned_today,
        "undoable": latest,
        "buttons": buttons,
        "review_id": uuid.uuid4(),
        "shown": signing.dumps(now.timestamp(), salt=SHOWN_SALT),
    }
    if starred is not None:
        context["is_starred"] = starred
    return context


def _card_and_state(user, study_set: StudySet, card_id: int, section: int | None):
    cards = Card.objects.published().filter(study_set=study_set, pk=card_id)
    card = (cards.filter(note=section) if section else cards).first()
    if card is None:
        return None
    return card, CardState.objects.filter(user=user, card=card).first()


def _browse_context(request, study_set: StudySet, form: DeckOptionsForm) -> dict:
    options = form.cleaned_data
    published = study_set.cards.published().select_related("note")
    if options["section"]:
        published = published.filter(note=options["section"])
    cards = list(published)
    if options["starred"]:
        starred = set(
            Star.objects.filter(user=request.user, card__study_set=study_set).values_list(
                "card_id", flat=True
            )
        )
        cards = [card for card in cards if card.pk in starred]
    seed = options["seed"]
    if options["shuffle"]:
        if seed is None:
            seed = random.randrange(2**31)
        cards.sort(key=lambda card: hashlib.sha256(f"{seed}:{card.pk}".encode()).digest())
    index = options["i"]
    if options["card"]:
        index = next((n for n, card in enumerate(cards) if card.pk == options["card"]), index)
    index = min(index, max(len(cards) - 1, 0))
    return {
        "cards_total": len(cards),
        "card": cards[index] if cards else None,
        "index": index,
        # Where this page is: links keep the shuffle's seed and the clamped position.
        "here": {"seed": seed, "i": index},
        "previous_query": form.to_query(seed=seed, i=index - 1) if index > 0 else "",
        "next_query": form.to_query(seed=seed, i=index + 1) if index + 1 < len(cards) else "",
    }


def _page_context(
    request, study_set: StudySet, form: DeckOptionsForm, prefs: Preferences | None = None, **study
) -> dict:
    """Everything the page shows; `prefs` when the view has already loaded them,
    `study` what it knows of the study queue (see `_study_context`)."""
    options = form.cleaned_data
    context: dict[str, Any] = {"study_set": study_set, "options": options}
    here: dict[str, Any] = {}
    if options["mode"] == DeckOptionsForm.STUDY:
        prefs = prefs or Preferences.objects.for_user(request.user)
        context.update(_study_context(request, study_set, options, prefs, **study))
    else:
        context.update(_browse_context(request, study_set, form))
        here = context.pop("here")
    card = context["card"]
    if "is_starred" not in context:
        context["is_starred"] = bool(
            card
            and request.user.is_authenticated
            and Star.objects.filter(user=request.user, card=card).exists()
        )
    context["study_query"] = form.to_query(**here, mode=DeckOptionsForm.STUDY)
    context["browse_query"] = form.to_query(**{**here, "i": 0}, mode=DeckOptionsForm.BROWSE)
    context["self_query"] = form.to_query(**here)
    # 查看全部卡片: the same page without the section, browsing from the first card.
    context["all_query"] = form.to_query(**{**here, "i": 0}, section=None)
    return context


@require_GET
def flashcards(request: HtmxHttpRequest, slug: str) -> TemplateResponse:
    """One card at a time: the study queue for learners, every card for browsing."""
    options = _options(request, request.GET)
    study_set = _visible_set(request, slug, options.cleaned_data.get("section"))
    if options.errors:
        return _refuse(request, study_set, options.errors.as_text(), status=400)
    if options.cleaned_data["section"] and not _section(study_set):
        return _refuse(request, study_set, SECTION_NOT_FOUND, status=400)
    context = _page_context(request, study_set, options)
    context["section"] = _section(study_set)
    return render_partial(request, "flashcards/flashcards.html", context, target="flashcard-area")


@login_required
@require_POST
def review(request: HtmxHttpRequest, slug: str, card_id: int) -> HttpResponse:
    """Rate a card; the server's clock sets the review time. Then show the next card."""
    visible = StudySet.objects.visible_to(Visitor.from_request(request)).filter(slug=slug)
    form = ReviewForm(request.POST)
    valid = form.is_valid()
    section = form.cleaned_data.get("section")
    cards = Card.objects.published().filter(study_set__in=visible).to_rate(request.user)
    card = get_object_or_404(cards.with_section_check(section) if section else cards, pk=card_id)
    study_set = card.study_set
    if not valid:
        return _refuse(request, study_set, form_message(form), status=400)
    if section and not card.in_set_section():
        return _refuse(request, study_set, SECTION_NOT_FOUND, status=400)
    prefs = card.read_preferences(request.user)
    now = timezone.now()
    try:
        log, created = record_review(
            request.user,
            card,
            form.cleaned_data["rating"],
            form.cleaned_data["review_id"],
            now=now,
            desired_retention=prefs.desired_retention,
            shown_at=form.cleaned_data["shown"],
            read=card.read_memory(),
        )
    except ReviewConflict:
        return _refuse(request, study_set, "这条评分编号已经用于另一张卡片。", status=409)
    except ReviewUndone:
        return _refuse(request, study_set, "这次评分已经撤销了，请重新评分。", status=409)
    options = _options(request, {"mode": "study", **_kept(form)})
    if not request.htmx:
        return redirect(reverse("flashcards:flashcards", args=[slug]) + options.to_query())
    # A rating just stored is the learner's latest in the set: the one 撤销 takes back.
    latest = log if created else None
    context = _page_context(request, study_set, options, prefs, now=now, latest=latest)
    context["reviewed"] = log
    return render_partial(request, "flashcards/flashcards.html", context, target="flashcard-area")


UNDO_REFUSALS = {
    UndoRefused.NOT_FOUND: ("找不到这次评分。", 404),
    UndoRefused.ALREADY_UNDONE: ("这次评分已经撤销了。", 409),
    UndoRefused.NOT_LATEST: ("只能撤销这个学习集里最近一次评分。", 409),
    UndoRefused.NOT_RESTORABLE: ("这次评分记录得太早，无法撤销。", 409),
}


@login_required
@require_POST
def undo(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """撤销: take back the learner's last rating in this set and show that card again."""
    form = UndoForm(request.POST)
    valid = form.is_valid()
    study_set = _visible_set(request, slug, form.cleaned_data.get("section"))
    if not valid:
        return _refuse(request, study_set, form_message(form), status=400)
    if form.cleaned_data["section"] and not _section(study_set):
        return _refuse(request, study_set, SECTION_NOT_FOUND, status=400)
    try:
        log = undo_review(request.user, study_set, form.cleaned_data["review_id"])
    except UndoRefused as refusal:
        message, status = UNDO_REFUSALS[refusal.reason]
        return _refuse(request, study_set, message, status=status)
    flags = _kept(form)
    if not request.htmx:
        query = _options(request, {"mode": "study", **flags}).to_query()
        query += "&" + urlencode({"card": log.card_id})
        return redirect(reverse("flashcards:flashcards", args=[slug]) + query)
    # The card taken back comes again first.
    options = _options(request, {"mode": "study", **flags, "card": log.card_id})
    context = _page_context(request, study_set, options)
    context["undone"] = log
    return render_partial(request, "flashcards/flashcards.html", context, target="flashcard-area")


@login_required
@require_POST
def star(request: AuthenticatedHttpRequest, slug: str, card_id: int) -> HttpResponse:
    """Star or unstar a card for this learner."""
    study_set = _visible_set(request, slug)
    card = get_object_or_404(Card.objects.published(), pk=card_id, study_set=study_set)
    form = StarForm(request.POST)
    form.is_valid()  # a lone checkbox: absent means unstar
    if form.cleaned_data.get("starred"):
        Star.objects.get_or_create(user=request.user, card=card)
    else:
        Star.objects.filter(user=request.user, card=card).delete()
    context = {
        "study_set": study_set,
        "card": card,
        "is_starred": bool(form.cleaned_data.get("starred")),
    }
    if not request.htmx:
        return redirect(safe_next_url(request, request.POST.get("next"), card.get_absolute_url()))
    return TemplateResponse(request, "flashcards/flashcards.html#star-form", context)


def _kept(form: ReviewForm | UndoForm) -> dict:
    """The deck's options a rating or an undo carries back to the page."""
    return {k: v for k, v in form.cleaned_data.items() if k in KEPT_OPTIONS and v}


def _refuse(request, study_set: StudySet, message: str, *, status: int) -> TemplateResponse:
    back = (reverse("flashcards:flashcards", args=[study_set.slug]), "返回抽认卡")
    return refuse(request, message, back=back, status=status)
