"""Staff status opens admin; importing and exporting also take the permissions."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from notes.models import StudySet

pytestmark = pytest.mark.django_db


@pytest.fixture
def bare_staff(client, django_user_model):
    user = django_user_model.objects.create_user("bianji", password="x-pass-学习", is_staff=True)
    client.force_login(user)
    return user


def grant(user, *codenames):
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))


def post_csv(client):
    upload = SimpleUploadedFile("cards.csv", "线粒体,细胞的能量工厂\n".encode())
    return client.post(
        reverse("admin:notes_studyset_import"), {"file": upload, "format": "auto", "title": "细胞"}
    )


def test_staff_without_permissions_cannot_import(client, bare_staff):
    assert client.get(reverse("admin:notes_studyset_import")).status_code == 403
    assert post_csv(client).status_code == 403
    assert not StudySet.objects.exists()


def test_staff_with_add_and_change_can_import(client, bare_staff):
    grant(bare_staff, "add_studyset", "change_studyset")
    assert post_csv(client).status_code == 200
    assert StudySet.objects.get().title == "细胞"


def test_staff_without_view_permission_cannot_export(client, bare_staff, da_mo_xing):
    url = reverse("admin:notes_studyset_export", args=[da_mo_xing.pk, "json"])
    assert client.get(url).status_code == 403
    grant(bare_staff, "view_studyset")
    assert client.get(url).status_code == 200
