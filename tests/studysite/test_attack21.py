"""Attacks on issue 21's caches and rewritten queries: each test is a way a cached
page went stale or the cache grew without bound, fixed where it broke."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.urls import reverse

from flashcards.models import Card, StudyQueue, record_review
from notes.models import StudySet
from tests.factories import make_card, make_note, make_study_set

pytestmark = pytest.mark.django_db


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def admin_move(admin_client, obj, fields: list[str], to: StudySet) -> None:
    """Move `obj` to the set `to` through its admin change view, as staff do."""
    data: dict[str, object] = {}
    for name in fields:
        value = to.pk if name == "study_set" else getattr(obj, obj._meta.get_field(name).attname)
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else value
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].errors


class TestMovedToAnotherSet:
    """A note or card saved into another set leaves the set it was in: that set's
    cached notes page and home counts must change too, not only the new set's."""

    def test_a_note_moved_in_the_admin_leaves_the_old_notes_page(
        self, client, admin_client, da_mo_xing
    ):
        notes = reverse("notes:notes", args=[da_mo_xing.slug])
        assert '<h2 id="概念">' in page(client, notes)
        other = make_study_set()
        note = da_mo_xing.notes.get(title="概念")
        admin_move(admin_client, note, ["study_set", "position", "title", "body"], other)
        assert '<h2 id="概念">' not in page(client, notes)
        assert '<h2 id="概念">' in page(client, reverse("notes:notes", args=[other.slug]))

    def test_a_card_moved_by_save_leaves_the_old_sets_home_count(self, client):
        old, new = make_study_set(), make_study_set()
        card = make_card(old, is_draft=False)
        make_card(old, is_draft=False)
        assert "<strong>2</strong> 张卡片" in page(client, "/")
        card.study_set = new
        card.save()
        home = page(client, "/")
        assert home.count("<strong>1</strong> 张卡片") == 2, "each set now has one card"

    def test_a_note_moved_twice_through_the_same_object(self, client):
        first, second, third = make_study_set(), make_study_set(), make_study_set()
        note = make_note(first, title="搬家的章节")
        page(client, reverse("notes:notes", args=[second.slug]))
        note.study_set = second
        note.save()
        assert "搬家的章节" in page(client, reverse("notes:notes", args=[second.slug]))
        note.study_set = third
        note.save()
        assert "搬家的章节" not in page(client, reverse("notes:notes", args=[second.slug]))

    def test_a_card_moved_by_bulk_update_leaves_the_old_sets_home_count(self, client):
        old, new = make_study_set(), make_study_set()
        make_card(old, is_draft=False)
        make_card(old, is_draft=False)
        assert "<strong>2</strong> 张卡片" in page(client, "/")
        card = Card.objects.filter(study_set=old).first()
        card.study_set = new
        Card.objects.bulk_update([card], ["study_set"])
        home = page(client, "/")
        assert home.count("<strong>1</strong> 张卡片") == 2, "each set now has one card"


class TestHomeSetCard:
    def test_moving_a_colon_between_title_and_description_shows(self, client):
        """The fragment key joins its parts with ':', so 「甲:」+「乙」 and 「甲」+「:乙」
        hashed alike and home kept the old title and description."""
        cache.clear()
        study_set = make_study_set(title="甲:", description="乙")
        assert ">甲:</a>" in page(client, "/")
        StudySet.objects.filter(pk=study_set.pk).update(title="甲", description=":乙")
        home = page(client, "/")
        assert ">甲</a>" in home
        assert '<p class="set-card__desc">:乙</p>' in home

    def test_a_set_card_is_not_cached_forever(self, client):
        """With REDIS_URL nothing culls: a key that never expires stays for good,
        and every new title, description or count is a new key."""
        cache.clear()
        for n in range(3):
            make_study_set(title=f"标题 {n}", description="说明")
        page(client, "/")
        forever = [
            key
            for key, expires in cache._expire_info.items()  # type: ignore[attr-defined]
            if "set-card" in key and expires is None
        ]
        assert forever == []


def test_no_page_caches_anything_forever(client, learner, da_mo_xing):
    """With REDIS_URL nothing culls: an entry that never expires stays for good,
    and each edit of a note, title or count leaves a new one behind."""
    cache.clear()
    client.force_login(learner)
    slug = da_mo_xing.slug
    for url in ["/", f"/sets/{slug}/", f"/sets/{slug}/notes/", "/me/", f"/sets/{slug}/flashcards/"]:
        page(client, url)
    assert client.post(f"/sets/{slug}/quiz/start/", {"mode": "all"}).status_code == 302
    page(client, f"/sets/{slug}/quiz/")
    expiries = cache._expire_info  # type: ignore[attr-defined]
    assert len(expiries) > 3, "the pages cached something"
    assert [key for key, expires in expiries.items() if expires is None] == []


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "America/New_York", "UTC"])
def test_the_queues_today_starts_at_local_midnight_in_any_zone(settings, learner, zone):
    """The rating path's one SQL aggregate counts today's ratings from the local
    midnight of settings.TIME_ZONE, like everything else that says 今天."""
    settings.TIME_ZONE = zone
    study_set = make_study_set()
    cards = [make_card(study_set, is_draft=False) for _ in range(3)]
    tz = ZoneInfo(zone)
    midnight = datetime(2026, 3, 9, tzinfo=tz).astimezone(
        UTC
    )  # the day after New York's DST change
    record_review(learner, cards[0], 3, uuid.uuid4(), now=midnight - timedelta(minutes=1))
    record_review(learner, cards[1], 3, uuid.uuid4(), now=midnight + timedelta(minutes=1))
    queue = StudyQueue.build(learner, study_set, now=midnight + timedelta(hours=23, minutes=59))
    assert queue.done_today == 1
    assert queue.new == min(20 - 1, 1)


def test_a_withdrawn_share_link_hides_the_cached_notes_and_card(client, world):
    """The friend's notes page was cached whole; once the owner withdraws the link,
    neither it nor anything else of the set is served to them again."""
    assert client.get(reverse("notes:shared", args=["s3cret-token"])).status_code == 302
    notes = reverse("notes:notes", args=["private-set"])
    assert "秘密章节" in page(client, notes)
    StudySet.objects.filter(slug="private-set").update(share_token="")
    assert client.get(notes).status_code == 404
    assert client.get(reverse("notes:overview", args=["private-set"])).status_code == 404
    assert "机密学习集标题" not in page(client, "/")
