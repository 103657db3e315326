"""Home page, health check and accounts."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_card, make_note, make_question, make_study_set

pytestmark = pytest.mark.django_db


class TestHome:
    def test_lists_sets_with_their_counts(self, client, da_mo_xing):
        response = client.get("/")
        assert response.status_code == 200
        html = response.content.decode()
        assert '<html lang="zh-Hans"' in html
        assert "大模型" in html
        sets = list(response.context["study_sets"])
        assert [(s.question_count, s.card_count, s.note_count) for s in sets] == [(16, 9, 7)]

    def test_query_count_does_not_grow_with_sets_or_items(self, client, django_assert_num_queries):
        for _ in range(15):
            study_set = make_study_set()
            make_note(study_set)
            for _ in range(3):
                make_question(study_set)
                make_card(study_set)
        with django_assert_num_queries(1):
            response = client.get("/")
        assert response.content.decode().count('class="set-card"') == 15

    def test_empty_site_says_how_to_load_a_set(self, client):
        response = client.get("/")
        assert "loaddata da-mo-xing" in response.content.decode()

    def test_serves_htmx_from_the_package_not_a_cdn(self, client):
        html = client.get("/").content.decode()
        scripts = re.findall(r'<script\b[^>]*\bsrc="([^"]*)"', html)
        assert any(src.startswith("/static/django_htmx/htmx") for src in scripts), scripts
        assert all(src.startswith("/static/") for src in scripts), scripts
        assert "https://" not in html.replace("https://www.w3.org", "")

    def test_body_carries_the_csrf_header_for_htmx(self, client):
        html = client.get("/").content.decode()
        assert 'hx-headers=\'{"X-CSRFToken": "' in html

    def test_post_is_refused(self, client):
        assert client.post("/").status_code == 405


class TestHealthz:
    def test_ok_once_the_database_answers(self, client):
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.json() == {"status": "ok"}
        assert "no-cache" in response["Cache-Control"]


class TestAccounts:
    def test_signup_creates_the_user_and_logs_in(self, client):
        response = client.post(
            reverse("signup"),
            {
                "username": "xiaohong",
                "password1": "长城-Great-wall-9",
                "password2": "长城-Great-wall-9",
            },
        )
        assert response.status_code == 302
        assert get_user_model().objects.filter(username="xiaohong").exists()
        assert client.get("/").context["user"].username == "xiaohong"

    def test_signup_with_mismatched_passwords_is_a_400_and_creates_nothing(self, client):
        response = client.post(
            reverse("signup"),
            {"username": "xiaohong", "password1": "长城-Great-wall-9", "password2": "other-9"},
        )
        assert response.status_code == 400
        assert not get_user_model().objects.filter(username="xiaohong").exists()

    def test_signup_ignores_an_offsite_next(self, client):
        response = client.post(
            reverse("signup"),
            {
                "username": "xiaohong",
                "password1": "长城-Great-wall-9",
                "password2": "长城-Great-wall-9",
                "next": "https://evil.example/",
            },
        )
        assert response["Location"] == "/"

    def test_login_with_username_and_password(self, client, learner):
        response = client.post(
            "/accounts/login/", {"username": "xiaoming", "password": "s3cret-pass-学习"}
        )
        assert response.status_code == 302
        assert "退出" in client.get("/").content.decode()

    def test_logout_is_post_only(self, client, learner):
        client.force_login(learner)
        assert client.get("/accounts/logout/").status_code == 405
        response = client.post("/accounts/logout/")
        assert response.status_code == 302
        assert "登录" in client.get("/").content.decode()

    def test_change_password(self, client, learner):
        client.force_login(learner)
        assert client.get("/accounts/password_change/").status_code == 200
        response = client.post(
            "/accounts/password_change/",
            {
                "old_password": "s3cret-pass-学习",
                "new_password1": "新的-Passw0rd-长",
                "new_password2": "新的-Passw0rd-长",
            },
        )
        assert response.status_code == 302
        learner.refresh_from_db()
        assert learner.check_password("新的-Passw0rd-长")

    @pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/signup/"])
    def test_account_pages_render(self, client, url):
        response = client.get(url)
        assert response.status_code == 200
        assert 'name="username"' in response.content.decode()


class TestHomeProgress:
    def test_a_learner_sees_their_best_score_and_due_cards(self, client, learner, da_mo_xing):
        import uuid

        from flashcards.models import record_review
        from tests.factories import make_finished_attempt

        make_finished_attempt(learner, da_mo_xing, wrong={201, 202, 203, 204})
        record_review(
            learner,
            da_mo_xing.cards.first(),
            1,
            uuid.uuid4(),
            now=timezone.now() - timedelta(hours=1),
        )
        client.force_login(learner)
        html = client.get("/").content.decode()
        assert "最好成绩 <strong>75%</strong>" in html  # 12 of 16
        assert "到期卡片 <strong>1</strong> 张" in html

    def test_query_count_for_a_learner_does_not_grow(
        self, client, learner, django_assert_num_queries
    ):
        from tests.factories import make_finished_attempt

        for _ in range(10):
            study_set = make_study_set()
            make_question(study_set)
            make_finished_attempt(learner, study_set)
        client.force_login(learner)
        client.get("/")  # warm the session cache
        with django_assert_num_queries(4):
            client.get("/")


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("/sets/da-mo-xing/", "/sets/da-mo-xing/"),
        ("/me/?tab=1", "/me/?tab=1"),
        ("0", "/fallback/"),  # redirect() would look "0" up as a view name
        ("home", "/fallback/"),
        ("//evil.example/", "/fallback/"),
        ("https://evil.example/", "/fallback/"),
        ("/\\evil.example", "/fallback/"),
        ("", "/fallback/"),
        (None, "/fallback/"),
    ],
)
def test_next_urls_are_paths_on_this_site(rf, url, safe):
    from studysite.http import safe_next_url

    assert safe_next_url(rf.get("/"), url, "/fallback/") == safe
