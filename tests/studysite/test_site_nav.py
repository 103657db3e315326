"""The header's navigation is rendered once per visitor state and reused: what
varies by request (the logout form's token, the 登录 link's next, who is
visiting, which page is current) must still be right on every page."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from django.test import Client

from tests.factories import make_study_set

pytestmark = pytest.mark.django_db


def nav(response) -> str:
    found = re.search(r'<nav class="site-nav".*?</nav>', response.content.decode(), re.S)
    assert found, "no site navigation"
    return found.group(0)


def test_the_login_link_returns_to_each_page_it_was_drawn_on(client):
    study_set = make_study_set(slug="yuyan", title="语言")
    for path in ["/", f"/sets/{study_set.slug}/notes/", "/search/?q=%E6%A8%A1%E5%9E%8B&x=1", "/"]:
        response = client.get(path)
        assert response.status_code == 200
        assert f'href="/accounts/login/?next={quote(path, safe="/")}"' in nav(response), path


def test_each_learner_sees_their_own_name_and_a_working_logout(learner, django_user_model):
    other = django_user_model.objects.create_user("xiaohong", password="另一个-pass-9")
    for user in [learner, other, learner]:
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        html = nav(client.get("/"))
        assert f">{user.username}</a>" in html
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert token, "the logout form has no token"
        # The token is this session's, not one remembered from another visitor.
        response = client.post("/accounts/logout/", {"csrfmiddlewaretoken": token.group(1)})
        assert response.status_code == 302


def test_a_renamed_learner_is_shown_by_the_new_name(client, learner):
    client.force_login(learner)
    assert ">xiaoming</a>" in nav(client.get("/"))
    learner.username = "xiaoming2026"
    learner.save()
    assert ">xiaoming2026</a>" in nav(client.get("/"))


def test_only_home_today_and_my_page_are_marked_current(client, learner):
    client.force_login(learner)
    marked = {
        path: re.findall(r'<a [^>]*aria-current="page"[^>]*>([^<]+)</a>', nav(client.get(path)))
        for path in ["/", "/me/today/", "/me/", "/me/mistakes/"]
    }
    assert marked == {
        "/": ["学习集"],
        "/me/today/": ["今日学习"],
        "/me/": ["xiaoming"],
        "/me/mistakes/": [],
    }


def test_learners_reach_todays_session_from_every_page(client, learner, da_mo_xing):
    assert "今日学习" not in nav(client.get("/"))  # it needs an account
    client.force_login(learner)
    for path in ["/", "/sets/da-mo-xing/", "/me/"]:
        assert '<a href="/me/today/"' in nav(client.get(path)), path


def test_a_name_is_escaped(client, django_user_model):
    user = django_user_model.objects.create_user("<b>x</b>", password="x-pass-学习-9")
    client.force_login(user)
    html = nav(client.get("/"))
    assert "&lt;b&gt;x&lt;/b&gt;" in html
    assert "<b>x</b>" not in html
