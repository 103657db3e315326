"""Driving the quiz through its URLs, as a browser would."""

from __future__ import annotations

from django.urls import reverse

from quizzes.models import Attempt

HTMX_ANSWER = {"HX-Request": "true", "HX-Target": "answer-result"}
HTMX_NEXT = {"HX-Request": "true", "HX-Target": "quiz"}


def start(client, slug="da-mo-xing", **data):
    return client.post(reverse("quizzes:start", args=[slug]), {"mode": "all", **data})


def current(slug="da-mo-xing") -> Attempt:
    return Attempt.objects.filter(study_set__slug=slug, status="in_progress").latest("pk")


def answer_url(attempt: Attempt, item) -> str:
    return reverse("quizzes:answer", args=[attempt.study_set.slug, attempt.pk, item.question_id])


def right_tokens(attempt: Attempt, item) -> list[str]:
    return [attempt.option_token(o.id) for o in item.options if o.correct]


def wrong_tokens(attempt: Attempt, item) -> list[str]:
    return [attempt.option_token(o.id) for o in item.options if not o.correct]


def answer(client, attempt, item, *, right=True, headers=HTMX_ANSWER):
    if item.is_fill_blank:
        data = {"response": item.right_texts[0] if right else "不对"}
    else:
        tokens = right_tokens(attempt, item) if right else wrong_tokens(attempt, item)[:1]
        if not item.is_multiple:
            tokens = tokens[:1]
        data = {"choices": tokens}
    return client.post(answer_url(attempt, item), data, headers=headers)
