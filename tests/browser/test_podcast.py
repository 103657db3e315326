"""The podcast in a real browser: play, seek by chapter, follow the transcript."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from podcasts import audio
from tests.browser.conftest import assert_accessible, look, ready

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not audio.available(), reason="audio extra not installed"),
]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def wait_until(page, expression: str, timeout: float = 10.0) -> None:
    """Poll with evaluate(): wait_for_function compiles its string with eval,
    which the Content-Security-Policy forbids."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"timed out waiting for {expression}"
        page.wait_for_timeout(100)


def test_play_seek_by_chapter_and_follow_the_transcript(page, site, media):
    page.goto(site + "/sets/da-mo-xing/podcast/")
    ready(page)
    player = page.locator("#player")
    expect(player).to_be_visible()
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

    page.get_by_label("播放速度").select_option("1.5")
    assert page.evaluate("document.getElementById('player').playbackRate") == 1.5
    page.evaluate("document.getElementById('player').pause()")
