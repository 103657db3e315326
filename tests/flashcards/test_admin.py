"""Admin refuses to publish a card whose back is blank (whitespace included), by
the same rule as the generator's review and import (flashcards.completeness)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import make_card, make_study_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, admin_user):
    client.force_login(admin_user)
    return admin_user


def card_post(card, **fields) -> dict:
    return {"study_set": card.study_set_id, "position": card.position, "front": card.front,
            "back": card.back, "note": "", **fields}  # fmt: skip


def test_publishing_a_card_with_a_whitespace_back_is_refused(client, staff):
    card = make_card(make_study_set(), back="", is_draft=True)
    url = reverse("admin:flashcards_card_change", args=[card.pk])
    response = client.post(url, card_post(card, back=" \u3000 "))
    assert response.status_code == 200
    assert "卡片背面是空的\uff1a请填写释义\uff0c或勾选“待完善”。" in response.content.decode()
    card.refresh_from_db()
    assert card.is_draft


def test_a_complete_card_is_published(client, staff):
    card = make_card(make_study_set(), back="", is_draft=True)
    url = reverse("admin:flashcards_card_change", args=[card.pk])
    assert client.post(url, card_post(card, back="先在大规模语料上训练")).status_code == 302
    card.refresh_from_db()
    assert not card.is_draft
