"""The ownership matrix, generated from the URL configuration: every URL that
takes an identifier, tried by another learner with every method, is a 404 (or,
for a method the URL never accepts, the same 405 a missing id gets) and changes
nothing. A new id-taking URL that this file does not cover fails the test."""

from __future__ import annotations

import hashlib
import uuid

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from notes.models import StudySet
from quizzes.models import Attempt
from tests.studysite.conftest import SECRET

pytestmark = pytest.mark.django_db
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]
# URLs whose identifiers are not another learner's objects, and why.
EXEMPT = {
    "password_reset_confirm": "Django's reset link: its token is the secret, checked by Django",
}
# Django admin: staff only, tested below (a learner is sent to the admin login).
ADMIN_NAMESPACE = "admin"
# Tables that hold what a learner could change. Sessions and login attempts are
# the visitor's own bookkeeping and are left out.
WATCHED = [
    "notes.StudySet",
    "notes.Note",
    "quizzes.Question",
    "quizzes.Choice",
    "quizzes.Attempt",
    "quizzes.Answer",
    "quizzes.QuestionRevision",
    "flashcards.Card",
    "flashcards.CardState",
    "flashcards.ReviewLog",
    "flashcards.Star",
    "flashcards.UndoneReview",
    "podcasts.Episode",
    "generator.Generation",
    "learners.Preferences",
]


def url_patterns(resolvers=None, prefix="", namespace=""):
    """(name, route, pattern) of every named URL outside Django admin."""
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == ADMIN_NAMESPACE:
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_patterns(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", prefix + str(entry.pattern), entry


def id_taking_patterns():
    """(name, route) of every URL with a parameter, admin aside."""
    for name, route, pattern in url_patterns():
        if pattern.pattern.regex.groups:
            yield name, route


def fingerprint() -> str:
    digest = hashlib.sha256()
    for label in WATCHED:
        rows = apps.get_model(label).objects.order_by("pk").values()
        digest.update(repr([sorted(row.items()) for row in rows]).encode())
    return digest.hexdigest()


def cases(w) -> dict[str, list[tuple[dict, dict]]]:
    """For every id-taking URL: kwargs naming the owner's object (and, where an
    id could be paired with the intruder's own set, that too), and a plausible
    form, so that only ownership stands in the way."""
    p, q, c = w["private"].slug, w["question"].pk, w["card"].pk
    own = w["other_set"].slug
    answer = {"choices": w["open"].option_token(w["item"].options[0].id), "response": "x"}
    rating = {"rating": "3", "review_id": str(uuid.uuid4())}
    return {
        "notes:overview": [({"slug": p}, {})],
        "notes:notes": [({"slug": p}, {})],
        "notes:shared": [({"token": "not-the-token"}, {}), ({"token": p}, {})],
        "quizzes:quiz": [({"slug": p}, {})],
        "quizzes:start": [({"slug": p}, {"mode": "all"})],
        "progress:start": [
            ({"slug": p}, {"mode": "mistakes"}),
            ({"slug": p}, {"mode": "practice"}),
        ],
        "quizzes:discard": [({"slug": p}, {})],
        "quizzes:answer": [
            (
                {
                    "slug": "da-mo-xing",
                    "attempt_id": w["open"].pk,
                    "question_id": w["item"].question_id,
                },
                answer,
            )
        ],
        "quizzes:results": [({"slug": "da-mo-xing", "attempt_id": w["finished"].pk}, {})],
        "quizzes:hand-in": [({"slug": "da-mo-xing", "attempt_id": w["open"].pk}, {})],
        "flashcards:flashcards": [({"slug": p}, {})],
        "flashcards:review": [
            ({"slug": p, "card_id": c}, rating),
            ({"slug": own, "card_id": c}, rating),
        ],
        "flashcards:star": [({"slug": p, "card_id": c}, {"starred": "on"})],
        "progress:today-review": [({"card_id": c}, rating)],
        "progress:today-answer": [
            ({"question_id": q}, {"choices": str(w["question"].choices.first().pk)})
        ],
        "flashcards:undo": [
            ({"slug": p}, {"review_id": rating["review_id"]}),
            ({"slug": own}, {"review_id": rating["review_id"]}),
        ],
        "podcasts:podcast": [({"slug": p}, {})],
        "podcasts:render": [({"slug": p}, {})],
        "podcasts:audio": [({"slug": p}, {})],
        "set-stats": [({"slug": p}, {}), ({"slug": "da-mo-xing"}, {})],
        "generator:progress": [({"pk": owners_generation(w).pk}, {})],
        "generator:retry": [({"pk": owners_generation(w).pk}, {})],
        "generator:review": [({"slug": p}, {})],
        "generator:accept-all": [({"slug": p}, {})],
        "generator:share": [({"slug": p}, {"action": "stop"})],
        "generator:edit": [
            ({"slug": p, "kind": "question", "pk": q}, {"prompt": "改了", "explanation": ""}),
            ({"slug": own, "kind": "question", "pk": q}, {"prompt": "改了", "explanation": ""}),
            ({"slug": p, "kind": "card", "pk": c}, {"front": "改了", "back": "改了"}),
        ],
        "generator:decide": [
            ({"slug": p, "kind": "question", "pk": q, "action": "discard"}, {}),
            ({"slug": own, "kind": "question", "pk": q, "action": "accept"}, {}),
            ({"slug": p, "kind": "card", "pk": c, "action": "discard"}, {}),
        ],
    }


def owners_generation(w):
    """The owner's failed "notes → set" job (a retry would queue it again)."""
    from generator.models import Generation

    generation, _created = Generation.objects.get_or_create(
        owner=w["owner"],
        title=SECRET,
        defaults={"notes": f"- {SECRET}\uff1a机密", "status": "failed", "error": SECRET},
    )
    return generation


def missing(kwargs: dict) -> dict:
    """The same URL naming nothing at all (kind and action keep their values)."""
    nothing = {"slug": "no-such-set", "token": "no-such-token"}
    return {
        key: value if key in ("kind", "action") else nothing.get(key, 999_999)
        for key, value in kwargs.items()
    }


def request(client, method: str, url: str, data: dict):
    if method == "GET":
        return client.get(url)
    if method == "POST":
        return client.post(url, data)
    return client.generic(method, url)


def test_every_id_taking_url_is_covered(world):
    covered = cases(world)
    names = {name for name, _route in id_taking_patterns()}
    uncovered = sorted(names - covered.keys() - EXEMPT.keys())
    assert not uncovered, f"add these URLs to the ownership matrix: {uncovered}"
    stale = sorted(covered.keys() - names)
    assert not stale, f"these URLs no longer exist: {stale}"


def test_another_learner_gets_404_and_changes_nothing(client, world):
    tried = 0
    for name, variants in cases(world).items():
        for kwargs, data in variants:
            url = reverse(name, kwargs=kwargs)
            found_404 = False
            for method in METHODS:
                before = fingerprint()
                response = request(client, method, url, data)
                absent = request(client, method, reverse(name, kwargs=missing(kwargs)), data)
                where = f"{method} {url} ({name})"
                assert fingerprint() == before, f"{where} changed the database"
                assert response.status_code in (404, 405), f"{where}: {response.status_code}"
                assert response.status_code == absent.status_code, (
                    f"{where} differs from a missing id: {response.status_code} vs {absent.status_code}"
                )
                assert SECRET not in response.content.decode(errors="replace"), f"{where} leaked"
                found_404 |= response.status_code == 404
                tried += 1
            assert found_404, f"{url}: no method reached the ownership check"
    assert tried >= 5 * 25


def test_the_share_link_itself_still_opens_the_set(client, world):
    """The matrix's one deliberate door: whoever holds the link may read."""
    response = client.get(reverse("notes:shared", kwargs={"token": "s3cret-token"}))
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


def admin_object_urls(w):
    for model in (StudySet, Attempt):
        opts = model._meta
        obj = w["private"] if model is StudySet else w["open"]
        for view in ("change", "delete", "history"):
            yield reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk])


def test_a_learner_is_sent_to_the_admin_login_and_changes_nothing(client, world):
    for url in admin_object_urls(world):
        for method in ("GET", "POST"):
            before = fingerprint()
            response = request(client, method, url, {"title": "改了", "post": "yes"})
            assert response.status_code == 302, url
            assert response["Location"].startswith("/admin/login/")
            assert fingerprint() == before
