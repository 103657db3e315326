"""Headers on every response, private pages not stored, logout clears, login throttling."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true", "HX-Target": "search-results"}


@pytest.mark.parametrize(
    ("url", "headers", "status"),
    [
        ("/", {}, 200),
        ("/search/?q=模型", HTMX, 200),  # a fragment
        ("/sets/no-such-set/", {}, 404),  # an error page
        ("/search/?q=" + "模" * 101, HTMX, 400),  # a refused fragment
    ],
)
def test_security_headers_on_pages_fragments_and_errors(client, da_mo_xing, url, headers, status):
    response = client.get(url, headers=headers)
    assert response.status_code == status
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_htmx_is_configured_strictly(client):
    html = client.get("/").content.decode()
    assert '"selfRequestsOnly": true' in html
    assert '"allowEval": false' in html
    assert '"historyCacheSize": 0' in html
    assert '"includeIndicatorStyles": false' in html


def test_logged_in_pages_are_not_stored(client, learner, da_mo_xing):
    assert "no-store" not in client.get("/sets/da-mo-xing/").get("Cache-Control", "")
    client.force_login(learner)
    for url in ("/", "/me/", "/sets/da-mo-xing/quiz/", "/me/mistakes/"):
        cache_control = client.get(url)["Cache-Control"]
        assert "no-store" in cache_control
        assert "private" in cache_control


def test_logout_clears_site_data(client, learner):
    client.force_login(learner)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_login_is_throttled_after_five_failures(client, learner):
    for _ in range(4):
        response = client.post("/accounts/login/", {"username": "xiaoming", "password": "wrong"})
        assert response.status_code == 200
    fifth = client.post("/accounts/login/", {"username": "xiaoming", "password": "wrong"})
    assert fifth.status_code == 429
    locked = client.post(
        "/accounts/login/", {"username": "xiaoming", "password": "s3cret-pass-学习"}
    )
    assert locked.status_code == 429
    assert "暂时无法登录" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_success_resets_the_count(client, learner):
    right = {"username": "xiaoming", "password": "s3cret-pass-学习"}
    for _ in range(4):
        client.post("/accounts/login/", {"username": "xiaoming", "password": "wrong"})
    assert client.post("/accounts/login/", right).status_code == 302
    client.post("/accounts/logout/")
    # Four more: without the reset these would be the fifth to eighth and lock.
    for _ in range(4):
        response = client.post("/accounts/login/", {"username": "xiaoming", "password": "wrong"})
        assert response.status_code == 200
    assert client.post("/accounts/login/", right).status_code == 302


def test_passwords_are_hashed_with_argon2_and_validated():
    from django.contrib.auth.password_validation import get_default_password_validators

    from studysite import settings as project  # the tests themselves hash with MD5, for speed

    assert project.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert len(get_default_password_validators()) == 4


class TestCsrf:
    def test_unsafe_methods_need_a_token(self, da_mo_xing, learner):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        client.force_login(learner)
        response = client.post("/sets/da-mo-xing/quiz/start/", {"mode": "all"})
        assert response.status_code == 403
        assert "页面已过期" in response.content.decode()
        from quizzes.models import Attempt

        assert not Attempt.objects.exists()

    def test_a_stale_token_in_htmx_asks_for_a_refresh(self, da_mo_xing, learner):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        client.force_login(learner)
        response = client.post(
            "/sets/da-mo-xing/quiz/start/",
            {"mode": "all"},
            headers={"HX-Request": "true", "X-CSRFToken": "stale" * 8},
        )
        assert response.status_code == 403
        assert response["HX-Refresh"] == "true"


@pytest.mark.parametrize(
    ("url", "headers"),
    [("/", {}), ("/search/?q=模型", HTMX), ("/sets/no-such-set/", {}), ("/admin/login/", {})],
)
def test_content_security_policy_on_every_response(client, da_mo_xing, url, headers):
    policy = client.get(url, headers=headers)["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "unsafe-inline" not in script_src
    assert "unsafe-eval" not in policy


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_csrf_is_enforced_on_every_url_and_unsafe_method(world, method):
    """Every URL outside admin (Django protects its own), found from the URL
    configuration, refuses an unsafe request without a token and changes nothing."""
    from django.test import Client

    from tests.studysite.test_fuzz_posts import every_url
    from tests.studysite.test_ownership import fingerprint

    client = Client(enforce_csrf_checks=True)
    client.force_login(world["owner"])
    tried = 0
    for _name, url in every_url(world):
        before = fingerprint()
        response = client.generic(method, url, "mode=all", "application/x-www-form-urlencoded")
        assert response.status_code == 403, f"{method} {url}: {response.status_code}"
        assert fingerprint() == before
        tried += 1
    assert tried >= 30
