"""Home page, health check and accounts."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from flashcards.models import Card
from notes.models import Note, StudySet
from quizzes.models import Question
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

    def test_counts_leave_out_drafts_and_other_sets(self, client):
        """The counts are correlated SQL written from model metadata: each counts
        its own set's rows, and drafts (待完善) are not offered, so not counted."""
        study_set, other = make_study_set(title="甲"), make_study_set(title="乙")
        make_note(study_set)
        make_question(study_set)
        make_question(study_set, is_draft=True)
        make_card(study_set, is_draft=True)
        make_question(other)
        make_card(other)
        counts = {
            s.title: (s.question_count, s.card_count, s.note_count)
            for s in client.get("/").context["study_sets"]
        }
        assert counts == {"甲": (1, 0, 1), "乙": (1, 1, 0)}

    def test_a_set_card_rendered_before_shows_every_later_change(self, client):
        """Each card's head is cached under what it shows; any change is a new key."""
        study_set = make_study_set(slug="yuyan", title="语言", description="旧的说明")
        make_question(study_set)

        def card() -> str:
            html = client.get("/").content.decode()
            found = re.search(r'<li class="set-card">.*?</ul>', html, re.S)
            assert found
            return found.group(0)

        assert "语言" in card()
        assert "旧的说明" in card()
        study_set.title, study_set.description = "语言学", "新的说明"
        study_set.save()
        make_question(study_set)
        make_card(study_set)
        make_note(study_set)
        html = card()
        assert "语言学" in html
        assert "新的说明" in html
        assert "旧的说明" not in html
        assert re.findall(r"<strong>(\d+)</strong>", html) == ["2", "1", "1"]
        StudySet.objects.filter(pk=study_set.pk).update(slug="yuyan-2")
        assert 'href="/sets/yuyan-2/"' in card()

    def test_query_count_does_not_grow_with_sets_or_items(self, client, django_assert_num_queries):
        for _ in range(15):
            study_set = make_study_set()
            make_note(study_set)
            for _ in range(3):
                make_question(study_set)
                make_card(study_set)
        with django_assert_num_queries(2):  # the sets, then their counts, once
            response = client.get("/")
        assert response.content.decode().count('class="set-card"') == 15
        with django_assert_num_queries(1):  # the counts from the cache, by content version
            response = client.get("/")
        assert response.content.decode().count('class="set-card"') == 15

    def test_counts_follow_every_kind_of_write_at_once(self, client):
        """Counts are cached under the set's content_version: every write path
        (save, delete, queryset update, bulk_create, admin) renews it."""
        study_set = make_study_set(slug="yuyan", title="语言")

        def counts() -> tuple[int, int, int]:
            (listed,) = client.get("/").context["study_sets"]
            return listed.question_count, listed.card_count, listed.note_count

        assert counts() == (0, 0, 0)
        question = make_question(study_set)
        assert counts() == (1, 0, 0)
        Question.objects.filter(pk=question.pk).update(is_draft=True)
        assert counts() == (0, 0, 0)
        Question.objects.filter(pk=question.pk).publish_complete()
        assert counts() == (1, 0, 0)
        Card.objects.bulk_create([Card(study_set=study_set, position=1, front="甲", back="乙")])
        assert counts() == (1, 1, 0)
        Note.objects.create(study_set=study_set, position=1, title="一", body="正文")
        assert counts() == (1, 1, 1)
        question.delete()
        assert counts() == (0, 1, 1)
        Card.objects.filter(study_set=study_set).delete()
        assert counts() == (0, 0, 1)

    def test_an_admin_edit_shows_on_home_at_once(self, client, da_mo_xing, django_user_model):
        admin = django_user_model.objects.create_superuser("admin", password="admin-学习-pass-9")
        question = da_mo_xing.questions.filter(is_draft=False).first()
        assert client.get("/").context["study_sets"][0].question_count == 16
        client.force_login(admin)
        response = client.post(
            reverse("admin:quizzes_question_delete", args=[question.pk]), {"post": "yes"}
        )
        assert response.status_code == 302
        client.logout()
        assert client.get("/").context["study_sets"][0].question_count == 15

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
    """Home is the learner's dashboard: per set, what is open, due and wrong, and one next step."""

    def test_a_learner_sees_due_cards_mistakes_and_best_score(self, client, learner, da_mo_xing):
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
        response = client.get("/")
        progress = response.context["study_sets"][0].progress
        assert (progress.best, progress.due_today, progress.mistakes) == (75, 1, 4)  # 12 of 16
        html = response.content.decode()
        assert "<dt>今天到期</dt><dd><strong>1</strong> 张</dd>" in html
        assert "<dt>错题</dt><dd><strong>4</strong> 道</dd>" in html
        assert "<dt>最好成绩</dt><dd><strong>75%</strong></dd>" in html
        assert primary_buttons(html) == ["复习 1 张到期卡片"]
        assert 'href="/sets/da-mo-xing/flashcards/?mode=study"' in html

    def test_an_open_attempt_is_continued_from_home(self, client, learner, da_mo_xing):
        client.force_login(learner)
        client.post("/sets/da-mo-xing/quiz/start/", {"mode": "all"})
        html = client.get("/").content.decode()
        assert primary_buttons(html) == ["继续答题"]
        assert re.search(r'<a class="button" href="/sets/da-mo-xing/quiz/">继续答题</a>', html)
        assert "已答 0 / 16 题" in html

    def test_open_mistakes_are_practised_from_home(self, client, learner, da_mo_xing):
        from tests.factories import make_finished_attempt

        make_finished_attempt(learner, da_mo_xing, wrong={201, 202})
        client.force_login(learner)
        html = client.get("/").content.decode()
        assert primary_buttons(html) == ["练习 2 道错题"]
        assert 'action="/me/practice/da-mo-xing/start/"' in html
        assert '<input type="hidden" name="mode" value="mistakes">' in html

    def test_a_new_learner_is_offered_the_quiz(self, client, learner, da_mo_xing):
        client.force_login(learner)
        html = client.get("/").content.decode()
        assert primary_buttons(html) == ["开始测验"]
        assert "注册" not in html.split("<main", 1)[1]

    def test_a_visitor_sees_the_sets_and_an_invitation_to_sign_up(self, client, da_mo_xing):
        html = client.get("/").content.decode()
        main = html.split("<main", 1)[1]
        assert "大模型" in main
        assert 'href="/accounts/signup/"' in main
        assert "记住你的成绩" in main
        assert "今天到期" not in main

    def test_one_primary_button_per_set(self, client, learner):
        for _ in range(3):
            study_set = make_study_set()
            make_question(study_set)
            make_card(study_set)
        client.force_login(learner)
        html = client.get("/").content.decode()
        assert len(primary_buttons(html)) == 3

    def test_query_count_for_a_learner_does_not_grow(
        self, client, learner, django_assert_num_queries
    ):
        import uuid

        from flashcards.models import record_review
        from tests.factories import make_finished_attempt

        def add_sets(n):
            for _ in range(n):
                study_set = make_study_set()
                question = make_question(study_set)
                card = make_card(study_set)
                make_finished_attempt(learner, study_set, wrong={question.pk})
                record_review(learner, card, 1, uuid.uuid4())
                client.post(f"/sets/{study_set.slug}/quiz/start/", {"mode": "all"})

        client.force_login(learner)
        add_sets(2)
        client.get("/")  # warm the session cache and the sets' counts
        with django_assert_num_queries(9):  # with 今日学习's due count, one query
            client.get("/")
        add_sets(8)
        with django_assert_num_queries(10):  # + the new sets' counts, in one query
            client.get("/")
        with django_assert_num_queries(9):
            response = client.get("/")
        assert primary_buttons(response.content.decode()) == ["继续答题"] * 10


def primary_buttons(html: str) -> list[str]:
    """The text of every primary button (a link or a submit button) on the page's set cards."""
    return re.findall(r'class="button"[^>]*>([^<]+)</', html.split('class="set-list"', 1)[-1])


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
