"""A set's overview and its study notes."""

from __future__ import annotations

import hashlib
import re

from django.core.cache import cache
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.backends.utils import csrf_input
from django.template.loader import get_template, render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from learners import mastery
from learners.visitor import Visitor, remember_shared_token
from notes.models import StudySet

ARTICLE_TIMEOUT = 7 * 24 * 60 * 60


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
    article = _with_marks(request, study_set, _article(study_set))
    context = {"study_set": study_set, "article": article}
    return TemplateResponse(request, "notes/notes.html", context)


def _article(study_set: StudySet) -> SafeString:
    """The contents and notes of a set, the same for every reader: rendered once per
    version of the set's notes and of the template, then read whole from the cache
    (shared between workers when REDIS_URL is set)."""
    source = get_template("notes/notes.html").template.source  # type: ignore[attr-defined]
    template_digest = hashlib.sha256(source.encode()).hexdigest()[:16]
    key = f"{study_set.notes_cache_key()}:{template_digest}"
    article = cache.get(key)
    if article is None:
        # The cards once: for the glossary (rendered_notes) and for which sections have any.
        prefetch_related_objects([study_set], "cards")
        sections = study_set.rendered_notes()
        carded = {card.note_id for card in study_set.cards.all() if not card.is_draft}
        article = render_to_string(
            "notes/notes.html#article", {"sections": sections, "carded": carded}
        )
        # A week: keys of versions gone by are never read again, and expire.
        cache.set(key, article, timeout=ARTICLE_TIMEOUT)
    return mark_safe(article)  # our template's output around nh3-sanitised notes


# The empty slots the cached article leaves per titled section: in the contents
# (toc) and after the heading (h), the latter with :cards when the section has
# published cards. Notes cannot forge one: nh3 strips comments.
_MARK_SLOT = re.compile(r"<!--mastery:(toc|h):(\d+)(:cards)?-->")


def _with_marks(request: HttpRequest, study_set: StudySet, article: str) -> SafeString:
    """The shared article with this reader's mastery marks in its slots: for a
    logged-in learner one query (learners.mastery), for anyone else the slots
    simply go, leaving the article as it always was."""
    fragments: dict[tuple[str, int], str] = {}
    sections = mastery.for_sections(request.user, study_set, timezone.now())
    if sections:
        action = reverse("progress:start", args=[study_set.slug])
        cards = reverse("flashcards:flashcards", args=[study_set.slug])
        token = csrf_input(request)
        for note_id, section in sections.items():
            if not section.met + section.unmet:
                continue  # nothing in it to know
            mark = _mark(section)
            fragments["toc", note_id] = mark
            practise = format_html(
                '<div class="note-mastery">{}<form class="inline-form" method="post" action="{}">'
                '{}<input type="hidden" name="mode" value="section">'
                '<input type="hidden" name="section" value="{}">'
                '<button class="button button--small button--secondary" type="submit">练习这一节</button>'
                "</form>",
                mark,
                action,
                token,
                note_id,
            )
            fragments["h", note_id] = practise + "</div>"
            fragments["h:cards", note_id] = practise + format_html(
                '<a class="button button--secondary" href="{}?section={}">复习本节卡片</a></div>',
                cards,
                note_id,
            )
    return mark_safe(
        _MARK_SLOT.sub(lambda m: fragments.get((m[1] + (m[3] or ""), int(m[2])), ""), article)
    )


# What a mark's percentage is (learners.mastery), on hover.
_PERCENT_TITLE = ' title="平均记忆\uff1a按记忆模型估计一周后还记得的概率"'


def _mark(section: mastery.SectionMastery) -> SafeString:
    """掌握 · 92%, 一般 · 72% · 未学 2 项, 未学 · 7 项: a colour and always words;
    the percentage is the mean recall a week ahead, which its title says."""
    words = [section.label]
    if section.percent is not None:
        words.append(f"{section.percent}%")
    if section.unmet:
        words.append(f"未学 {section.unmet} 项" if section.met else f"{section.unmet} 项")
    return format_html(
        '<span class="mastery-mark mastery-mark--{}"{}><span class="visually-hidden">掌握程度\uff1a</span>{}</span>',
        section.level,
        mark_safe(_PERCENT_TITLE if section.percent is not None else ""),  # a constant
        " · ".join(words),
    )
