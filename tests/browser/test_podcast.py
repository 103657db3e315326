"""The podcast in a real browser: 生成音频 shows the progress and then the player,
a render whose worker died offers 重试, and the player seeks by chapter and
follows the transcript."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from notes.models import StudySet
from podcasts import audio
from podcasts.models import STALE_AFTER, Episode
from podcasts.tasks import render_episode
from tests.browser.conftest import assert_accessible, look, ready, wait_until

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not audio.available(), reason="audio extra not installed"),
]
PAGE = "/sets/da-mo-xing/podcast/"


def test_generate_shows_the_progress_then_the_player(page, site, media, settings):
    # A queue that only records, as when the worker has not picked the job up yet.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    page.goto(site + PAGE)
    ready(page)
    expect(page.get_by_text("这一期还没有音频")).to_be_visible()
    expect(page.locator(".transcript__line").first).to_contain_text("欢迎收听学习站播客")
    assert_accessible(page)
    look(page, "podcast-not-generated")

    page.get_by_role("button", name="生成音频").click()
    expect(page.get_by_role("status")).to_have_text("排队等待生成音频……")
    assert_accessible(page)
    look(page, "podcast-queued")

    render_episode.call(Episode.objects.get().pk)  # the worker runs it
    expect(page.locator("#mini-player")).to_be_visible(timeout=5_000)  # the page polls every 2 s
    wait_until(page, "document.getElementById('player').readyState >= 1")
    # The transcript came with its timings: each line plays from there.
    expect(page.locator(".transcript__line[data-start] .transcript__button").first).to_be_visible()
    page.locator(".transcript__button", has_text="关键技术").first.click()
    wait_until(page, "!document.getElementById('player').paused")
    expect(page.locator(".transcript__line.is-current")).to_have_count(1)
    page.evaluate("document.getElementById('player').pause()")
    assert_accessible(page)


def test_a_render_whose_worker_died_offers_retry_with_the_keyboard(page, site, media):
    episode = Episode.objects.create(
        study_set=StudySet.objects.get(slug="da-mo-xing"),
        status=Episode.Status.RENDERING,
        progress=90,
    )
    Episode.objects.filter(pk=episode.pk).update(
        updated_at=timezone.now() - STALE_AFTER - timedelta(minutes=1)
    )
    page.goto(site + PAGE)
    ready(page)
    expect(page.get_by_role("alert")).to_contain_text("音频生成失败\uff1a生成中断或超时")
    expect(page.get_by_text("正在生成音频")).to_have_count(0)
    assert_accessible(page)
    look(page, "podcast-failed")

    retry = page.get_by_role("button", name="重试")
    retry.focus()
    page.keyboard.press("Enter")  # the immediate backend renders it now
    expect(page.locator("#mini-player")).to_be_visible(timeout=20_000)
    assert Episode.objects.get().status == Episode.Status.READY


def test_play_seek_by_chapter_and_follow_the_transcript(page, site, media):
    call_command("build_podcasts", "da-mo-xing", verbosity=0)
    page.goto(site + PAGE)
    ready(page)
    expect(page.locator("#mini-player")).to_be_visible()
    wait_until(page, "document.getElementById('player').readyState >= 1")
    assert page.evaluate("document.getElementById('player').duration") > 60
    assert_accessible(page)
    look(page, "podcast")

    chapter = page.get_by_role("link", name="关键技术")
    start = float(chapter.get_attribute("data-seek"))
    chapter.click()
    wait_until(page, f"document.getElementById('player').currentTime >= {start}")
    wait_until(page, f"document.getElementById('player').currentTime > {start} + 0.3")  # it plays
    current = page.locator(".transcript__line.is-current")
    expect(current).to_have_count(1)
    expect(current).to_contain_text("关键技术")
    expect(page.locator("#current-time")).not_to_have_text("0:00")

    page.get_by_role("button", name="1.5×").click()
    assert page.evaluate("document.getElementById('player').playbackRate") == 1.5
    page.evaluate("document.getElementById('player').pause()")


def player_time(page) -> float:
    return page.evaluate("document.getElementById('player').currentTime")


def test_the_mini_player_stays_on_screen_and_its_buttons_work(page, site, media):
    call_command("build_podcasts", "da-mo-xing", verbosity=0)
    page.goto(site + PAGE)
    ready(page)
    wait_until(page, "document.getElementById('player').readyState >= 1")
    mini = page.locator("#mini-player")
    expect(mini).to_be_visible()
    # One player: the native controls give way to the mini-player.
    assert page.evaluate("document.getElementById('player').controls") is False
    duration = page.evaluate("document.getElementById('player').duration")
    expect(page.locator(".mini-player__time")).to_have_text(
        f"0:00 / {int(duration) // 60}:{int(duration) % 60:02d}"
    )

    forward = page.get_by_role("button", name="前进 15 秒")
    forward.click()
    wait_until(page, "document.getElementById('player').currentTime === 15")
    forward.click()
    wait_until(page, "document.getElementById('player').currentTime === 30")
    expect(page.locator("#current-time")).to_have_text("0:30")
    page.get_by_role("button", name="后退 15 秒").click()
    wait_until(page, "document.getElementById('player').currentTime === 15")
    page.get_by_role("button", name="后退 15 秒").click()
    page.get_by_role("button", name="后退 15 秒").click()  # never before the start
    wait_until(page, "document.getElementById('player').currentTime === 0")

    chips = page.get_by_role("group", name="播放速度")
    expect(chips.get_by_role("button", name="1×")).to_have_attribute("aria-pressed", "true")
    chips.get_by_role("button", name="1.25×").click()
    assert page.evaluate("document.getElementById('player').playbackRate") == 1.25
    expect(chips.get_by_role("button", name="1.25×")).to_have_attribute("aria-pressed", "true")
    expect(chips.locator("[aria-pressed=true]")).to_have_count(1)

    play = page.get_by_role("button", name="播放", exact=True)
    play.click()
    wait_until(page, "!document.getElementById('player').paused")
    expect(page.get_by_role("button", name="暂停")).to_be_visible()
    assert_accessible(page)
    look(page, "podcast-player")

    # Scroll the transcript to its end: the player is still in the viewport, above
    # the last line rather than over it.
    last = page.locator(".transcript__line").last
    last.scroll_into_view_if_needed()
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    viewport = page.viewport_size
    box = mini.bounding_box()
    assert box["y"] >= 0
    assert box["y"] + box["height"] <= viewport["height"] + 0.5
    line = last.bounding_box()
    assert line["y"] + line["height"] <= box["y"] + 0.5
    page.get_by_role("button", name="暂停").click()
    wait_until(page, "document.getElementById('player').paused")
    expect(page.get_by_role("button", name="播放", exact=True)).to_be_visible()
    assert_accessible(page)
    look(page, "podcast-scrolled")
    page.set_viewport_size({"width": 390, "height": 844})
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    box = mini.bounding_box()
    assert box["y"] + box["height"] <= 844 + 0.5
    line = last.bounding_box()
    assert line["y"] + line["height"] <= box["y"] + 0.5
