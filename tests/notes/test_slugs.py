"""Slugs: made from titles, checked against the URLs; one list of reserved words."""

from __future__ import annotations

import pytest
from django.urls import reverse

from notes import slugs
from notes.models import StudySet

BAD = ["../../etc/passwd", "a" * 500, "", "new", "shared", "Da-Mo-Xing", "大模型", "a--b", "-a"]


def test_slug_from_a_chinese_title():
    assert slugs.from_title("大模型") == "da-mo-xing"
    assert slugs.from_title("Transformer 模型") == "transformer-mo-xing"


@pytest.mark.parametrize("title", ["大模型", "！？。", "new", "Shared", "长" * 300, "../../etc"])
def test_a_slug_from_any_title_names_a_set(title):
    slug = slugs.from_title(title)
    assert slugs.problem(slug) is None
    reverse("notes:overview", args=[slug])


@pytest.mark.parametrize("slug", BAD)
def test_bad_slugs_are_named(slug):
    assert slugs.problem(slug)


def test_reserved_words_are_the_urls_own():
    """/sets/new/ and /sets/shared/<token>/ are pages; a set named so would hide them."""
    assert {"new", "shared"} <= slugs.RESERVED
    assert reverse("generator:new") == "/sets/new/"


def test_private_slugs_do_not_tell_whether_a_title_is_taken():
    first, second = slugs.private_from_title("细胞"), slugs.private_from_title("细胞")
    assert first != second
    assert first.startswith("xi-bao-")
    assert slugs.problem(first) is None


@pytest.mark.django_db
def test_free_slug_for_a_public_set_counts_up(learner):
    StudySet.objects.create(slug="xi-bao", title="细胞")
    assert StudySet.objects.free_slug("细胞", private=False) == "xi-bao-2"
    assert StudySet.objects.free_slug("new", private=False) == "new-ji"


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["new", "../x", "a" * 81])
def test_admin_refuses_a_bad_slug(admin_client, slug):
    response = admin_client.post(
        reverse("admin:notes_studyset_add"),
        {"slug": slug, "title": "细胞", "position": 0, "is_public": "on"},
    )
    assert response.status_code == 200  # the form again, with the error
    assert response.context["adminform"].form.errors["slug"]
    assert not StudySet.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_migration_renames_slugs_stored_before_they_were_checked():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("notes", "0003_unique_share_token")])
    old = executor.loader.project_state([("notes", "0003_unique_share_token")]).apps
    OldSet = old.get_model("notes", "StudySet")
    OldSet.objects.create(slug="new", title="新集合")
    OldSet.objects.create(slug="xin-ji-he", title="新集合")
    OldSet.objects.create(slug="../../etc/passwd", title="大模型")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert sorted(StudySet.objects.values_list("slug", flat=True)) == [
        "da-mo-xing",
        "xin-ji-he",
        "xin-ji-he-2",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["a/b", "x", "短口令", "a" * 15])
def test_admin_refuses_a_share_token_that_is_guessable_or_breaks_the_url(admin_client, token):
    study_set = StudySet.objects.create(slug="xi-bao", title="细胞", is_public=False)
    response = admin_client.post(
        reverse("admin:notes_studyset_change", args=[study_set.pk]),
        {"slug": "xi-bao", "title": "细胞", "position": 0, "share_token": token},
    )
    assert response.context["adminform"].form.errors["share_token"]
    study_set.refresh_from_db()
    assert study_set.share_token == ""
