"""Home's 今日学习 button: how many cards and questions are due now."""

from __future__ import annotations

from django import template
from django.utils import timezone

from learners.visitor import Visitor
from notes.models import StudySet
from progress.today import due_total

register = template.Library()


@register.simple_tag(takes_context=True)
def today_due(context) -> int:
    """Cards and questions due now in the sets the learner sees (one query)."""
    request = context["request"]
    visible = StudySet.objects.visible_to(Visitor.from_request(request))
    return due_total(request.user, visible, timezone.now())
