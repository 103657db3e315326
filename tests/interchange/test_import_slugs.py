"""A bad slug in an imported file, or asked for, never reaches the database."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from interchange import fixture
from interchange.document import CardDoc, NoteDoc, SetDoc
from notes import slugs
from notes.models import StudySet

pytestmark = pytest.mark.django_db

BAD = ["../../etc/passwd", "x" * 500, "", "new", "shared", "Has Spaces"]


def doc_file(tmp_path, slug: str, title: str = "细胞生物学"):
    doc = SetDoc(
        title=title,
        slug=slug,
        pk=900,
        notes=[NoteDoc("细胞器", "- 线粒体：细胞的能量工厂", 901)],
        cards=[CardDoc("线粒体", "细胞的能量工厂", "细胞器", pk=902)],
    )
    path = tmp_path / "set.json"
    path.write_text(fixture.write(doc), encoding="utf-8")
    return path


def site_still_works(client):
    for url in ["/", "/search/?q=线粒体"]:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("slug", BAD)
def test_a_files_bad_slug_gives_way_to_one_from_the_title(client, tmp_path, slug):
    call_command("import_studyset", str(doc_file(tmp_path, slug)), verbosity=0)
    study_set = StudySet.objects.get()
    assert study_set.slug == "xi-bao-sheng-wu-xue"
    site_still_works(client)


@pytest.mark.parametrize("slug", ["../../etc/passwd", "x" * 81, "new", "shared"])
def test_a_bad_slug_asked_for_is_refused_with_the_reason(client, tmp_path, slug):
    with pytest.raises(CommandError, match="网址名"):
        call_command("import_studyset", str(doc_file(tmp_path, "ok")), "--slug", slug)
    assert not StudySet.objects.exists()
    site_still_works(client)


@pytest.mark.parametrize("title", ["new", "shared", "！？", "长" * 150])
def test_a_slug_from_any_title_is_clean(client, tmp_path, title):
    call_command("import_studyset", str(doc_file(tmp_path, "", title=title)), verbosity=0)
    assert slugs.problem(StudySet.objects.get().slug) is None
    site_still_works(client)


def test_a_title_longer_than_its_column_is_refused(tmp_path):
    with pytest.raises(CommandError, match="学习集标题太长"):
        call_command("import_studyset", str(doc_file(tmp_path, "ok", title="长" * 201)))
    assert not StudySet.objects.exists()


def test_admin_import_with_a_reserved_slug_is_a_400(admin_client, tmp_path):
    path = doc_file(tmp_path, "ok")
    upload = SimpleUploadedFile("set.json", path.read_bytes())
    response = admin_client.post(
        reverse("admin:notes_studyset_import"), {"file": upload, "format": "auto", "slug": "new"}
    )
    assert response.status_code == 400
    assert "保留字" in response.content.decode()
    assert not StudySet.objects.exists()


def test_a_title_that_sounds_the_same_makes_its_own_set(da_mo_xing, tmp_path):
    """大魔性 and 大模型 share their pinyin, not their content."""
    call_command("import_studyset", str(doc_file(tmp_path, "", title="大魔性")), verbosity=0)
    da_mo_xing.refresh_from_db()
    assert da_mo_xing.title == "大模型"
    assert not da_mo_xing.cards.filter(front="线粒体").exists()
    assert StudySet.objects.get(title="大魔性").slug == "da-mo-xing-2"


def test_the_same_title_again_updates_its_set(tmp_path):
    for _ in range(2):
        call_command("import_studyset", str(doc_file(tmp_path, "", title="细胞")), verbosity=0)
    assert StudySet.objects.get().slug == "xi-bao"


def test_a_file_never_reaches_a_learners_private_set(learner, tmp_path):
    private = StudySet.objects.create(
        slug="xi-bao-sheng-wu-xue-04f5b2", title="我的笔记", owner=learner, is_public=False
    )
    path = doc_file(tmp_path, private.slug, title="覆盖")
    call_command("import_studyset", str(path), verbosity=0)
    private.refresh_from_db()
    assert private.title == "我的笔记"
    assert not private.cards.exists()
    assert StudySet.objects.get(title="覆盖").slug == "fu-gai"


def test_titles_without_pinyin_do_not_share_a_set(tmp_path):
    for title in ["こんにちは", "안녕"]:
        call_command("import_studyset", str(doc_file(tmp_path, "", title=title)), verbosity=0)
    assert sorted(StudySet.objects.values_list("title", flat=True)) == ["こんにちは", "안녕"]
