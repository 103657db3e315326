"""Hypothesis fuzzing of every POST endpoint, found from the URL configuration:
whatever a client sends, the answer is a 2xx, 3xx or 4xx, never a 5xx, and no
field the server owns (score, user, is_correct, timestamps, ...) is ever taken
from the request."""

from __future__ import annotations

import uuid

import pytest
from django.apps import apps
from django.db import models, transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flashcards.models import CardState, ReviewLog
from quizzes.models import Answer, Attempt
from tests.studysite.test_ownership import WATCHED, owners_generation, url_patterns
from tests.studysite.test_ownership import cases as ownership_cases

pytestmark = pytest.mark.django_db
SENTINEL_YEAR = 2001
SENTINEL_TIME = f"{SENTINEL_YEAR}-02-03T04:05:06+00:00"
# Fields a client might add hoping the server stores them.
FORGED = [
    "score",
    "correct_count",
    "question_count",
    "is_correct",
    "correct",
    "user",
    "user_id",
    "owner",
    "owner_id",
    "is_staff",
    "is_superuser",
    "is_public",
    "is_draft",
    "status",
    "created_at",
    "started_at",
    "finished_at",
    "answered_at",
    "reviewed_at",
    "shown_at",
    "due",
    "last_review",
    "stability",
    "difficulty",
    "reps",
    "lapses",
    "seconds",
    "duration",
    "id",
    "pk",
]
# Every POST endpoint; the discovery test proves this is all of them.
FUZZED = [
    "login",
    "signup",
    "password-change",
    "password_change",
    "password_reset",
    "password_reset_confirm",
    "progress:me",
    "progress:start",
    "quizzes:start",
    "quizzes:discard",
    "quizzes:answer",
    "quizzes:hand-in",
    "flashcards:review",
    "flashcards:star",
    "progress:today-review",
    "progress:today-answer",
    "flashcards:undo",
    "generator:new",
    "generator:retry",
    "generator:accept-all",
    "generator:share",
    "generator:edit",
    "generator:decide",
    "podcasts:render",
    "logout",
]
GARBAGE = st.one_of(
    st.text(max_size=30),
    st.text(alphabet="模型<>&\"'\\%;\x00\u200b", max_size=300),
    st.integers(min_value=-(2**63), max_value=2**63).map(str),
    st.sampled_from(["", " ", "0", "-1", "1e309", "NaN", "true", "on", "null", "[]", "{}"]),
)


def endpoints(w) -> dict[str, tuple[dict, dict]]:
    """Every URL that accepts POST: the owner's own objects in its kwargs, and
    each form field with values a real form would send."""
    p, q, c = w["private"].slug, w["question"].pk, w["card"].pk
    attempt, item = w["open"], w["item"]
    tokens = [attempt.option_token(o.id) for o in item.options]
    return {
        "login": ({}, {"username": ["xiaoming", "other"], "password": ["wrong"]}),
        "logout": ({}, {}),
        "signup": (
            {},
            {"username": ["newbie"], "password1": ["学习-pass-1"], "password2": ["学习-pass-1"]},
        ),
        "password-change": (
            {},
            {"old_password": ["x"], "new_password1": ["y"], "new_password2": ["y"]},
        ),
        "password_change": (  # Django's own name, the same URL
            {},
            {"old_password": ["x"], "new_password1": ["y"], "new_password2": ["y"]},
        ),
        "password_reset": ({}, {"email": ["a@example.com"]}),
        "password_reset_confirm": (
            {"uidb64": "MQ", "token": "set-password"},
            {"new_password1": ["学习-pass-1"], "new_password2": ["学习-pass-1"]},
        ),
        "progress:me": (
            {},
            {
                "new_cards_per_day": ["20", "0", "500"],
                "desired_retention": ["0.9", "0.7"],
                "quiz_length": ["", "10"],
                "quiz_order": ["fixed", "random"],
                "explanations": ["immediate", "end"],
            },
        ),
        "progress:start": ({"slug": "da-mo-xing"}, {"mode": ["mistakes", "practice"]}),
        "quizzes:start": (
            {"slug": "da-mo-xing"},
            {
                "mode": ["all", "retry", "mistakes", "practice", "exam"],
                "minutes": ["10", "20", "30", "15"],
                "source": [str(w["finished"].pk)],
                "length": ["all", "10", "0"],
                "order": ["set", "random"],
            },
        ),
        "quizzes:discard": ({"slug": "da-mo-xing"}, {}),
        "quizzes:answer": (
            {"slug": "da-mo-xing", "attempt_id": attempt.pk, "question_id": item.question_id},
            {"choices": tokens, "response": ["对", ""]},
        ),
        "quizzes:hand-in": ({"slug": "da-mo-xing", "attempt_id": attempt.pk}, {}),
        "flashcards:review": (
            {"slug": p, "card_id": c},
            {
                "rating": ["1", "2", "3", "4"],
                "review_id": [str(uuid.uuid4())],
                "shown": [""],
                "reverse": ["on"],
                "starred": ["on"],
            },
        ),
        "progress:today-review": (
            {"card_id": c},
            {"rating": ["1", "3"], "review_id": [str(uuid.uuid4())], "shown": [""]},
        ),
        "progress:today-answer": (
            {"question_id": q},
            {"choices": [str(o.pk) for o in w["question"].choices.all()], "response": ["对", ""]},
        ),
        "flashcards:star": (
            {"slug": p, "card_id": c},
            {"starred": ["on", ""], "next": ["/", "//evil.example/"]},
        ),
        "flashcards:undo": (
            {"slug": p},
            {"review_id": [str(uuid.uuid4())], "reverse": ["on"], "starred": ["on"]},
        ),
        "generator:new": (
            {},
            {
                "title": ["新的集"],
                "text": ["- 大模型:参数很多的模型。\n- 量化:降低精度。"],
                "token": [str(uuid.uuid4())],
            },
        ),
        "generator:retry": ({"pk": owners_generation(w).pk}, {}),
        "generator:accept-all": ({"slug": p}, {}),
        "generator:share": ({"slug": p}, {"action": ["start", "stop"]}),
        "generator:edit": (
            {"slug": p, "kind": "question", "pk": q},
            {"prompt": ["新的题干"], "explanation": ["解释"]},
        ),
        "generator:decide": ({"slug": p, "kind": "question", "pk": q, "action": "accept"}, {}),
        "podcasts:render": ({"slug": p}, {}),
    }


def every_url(w):
    """(name, url) for every named URL outside admin, naming the owner's objects.
    Every id-taking URL has kwargs in the ownership matrix (its test enforces it)."""
    kwargs = {name: variants[0][0] for name, variants in ownership_cases(w).items()}
    kwargs.update({name: k for name, (k, _fields) in endpoints(w).items()})
    for name, _route, _pattern in url_patterns():
        yield name, reverse(name, kwargs=kwargs.get(name))


def accepts_post(client, url: str) -> bool:
    """Does the view behind `url` take a POST at all? (Tried, then rolled back.)"""
    with transaction.atomic():
        status = client.post(url, {}).status_code
        transaction.set_rollback(True)
    return status != 405


def test_every_post_endpoint_is_fuzzed(client, world):
    client.force_login(world["owner"])
    known = endpoints(world)
    found = set()
    for name, url in every_url(world):
        if accepts_post(client, url):
            found.add(name)
        client.force_login(world["owner"])  # logout may have ended the session
    missing = sorted(found - known.keys())
    assert not missing, f"fuzz these POST endpoints too: {missing}"
    assert sorted(known.keys() - found) == [], "listed endpoints that refuse POST"
    assert sorted(FUZZED) == sorted(known), "FUZZED and endpoints() must list the same URLs"


def form_data(fields: dict):
    """Real values, garbage, and forged server-owned fields, mixed."""
    known = {
        name: st.one_of(st.sampled_from(values), GARBAGE, st.lists(GARBAGE, max_size=3))
        for name, values in fields.items()
    }
    forged = st.sets(st.sampled_from(FORGED)).map(dict.fromkeys)
    return st.tuples(st.fixed_dictionaries({}, optional=known), forged, st.booleans())


def snapshot(other) -> dict:
    return {
        "other's rows": [
            Attempt.objects.filter(user=other).count(),
            ReviewLog.objects.filter(user=other).count(),
            CardState.objects.filter(user=other).count(),
            other.stars.count(),
        ],
    }


def assert_nothing_forged(owner, other, before: dict) -> None:
    owner.refresh_from_db()
    assert not owner.is_staff
    assert not owner.is_superuser
    assert snapshot(other) == before
    for label in WATCHED:
        model = apps.get_model(label)
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DateTimeField):
                lookup = {f"{field.name}__year": SENTINEL_YEAR}
                assert not model.objects.filter(**lookup).exists(), f"{label}.{field.name}"
    for attempt in Attempt.objects.prefetch_related("answers"):
        answers = list(attempt.answers.all())
        assert attempt.correct_count == sum(a.is_correct for a in answers) <= attempt.question_count
        for answer in answers:
            item = attempt.item_list[answer.position]
            assert answer.is_correct == item.grade(answer.chosen, answer.response).correct
    for state in CardState.objects.all():
        assert state.reps == ReviewLog.objects.filter(user=state.user, card=state.card).count()
    assert Answer.objects.filter(attempt__user=other).count() == 0


@pytest.mark.slow  # hundreds of Hypothesis examples per endpoint
@pytest.mark.parametrize("name", FUZZED)
def test_fuzzed_posts_are_never_5xx_and_never_forge_a_field(client, world, name):
    owner, other = world["owner"], world["other"]
    kwargs, fields = endpoints(world)[name]
    url = reverse(name, kwargs=kwargs)
    before = snapshot(other)

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(form_data(fields))
    def fuzz(case):
        data, forged, htmx = case
        for key in forged:
            forged[key] = (
                SENTINEL_TIME
                if key.endswith(("_at", "due", "last_review"))
                else str(other.pk)
                if key.startswith(("user", "owner"))
                else "on"
                if key.startswith("is_")
                else "999"
            )
        client.force_login(owner)
        headers = {"HX-Request": "true"} if htmx else {}
        response = client.post(url, {**data, **forged}, headers=headers)
        assert response.status_code < 500, (name, data, forged)
        assert_nothing_forged(owner, other, before)

    fuzz()
