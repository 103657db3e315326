"""The 大模型 episode spoken by a speech server (issue 23): `build_podcasts`, as
`make run` calls it, renders it through the fake server on loopback; the page
names the voice, plays it and seeks by chapter to the tones' exact times. With
the server failing, the same command leaves an eSpeak NG episode."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from podcasts import audio
from podcasts.models import Episode
from tests.browser.conftest import assert_accessible, look, ready, wait_until
from tests.podcasts.fake_speech_server import FakeSpeechServer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not audio.available(), reason="audio extra not installed"),
]
PAGE = "/sets/da-mo-xing/podcast/"


@pytest.fixture
def fake_speech(monkeypatch, settings):
    server = FakeSpeechServer().start()
    for name, value in {
        "TTS_BASE_URL": server.url,
        "TTS_MODEL": "fake-tts",
        "TTS_VOICE_HOST": "host",
        "TTS_VOICE_GUEST": "guest",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("TTS_API_KEY", raising=False)
    settings.TTS_TIMEOUT_SECONDS = 5.0
    settings.TTS_RETRIES = 0
    yield server
    server.stop()


def test_the_server_voiced_episode_plays_and_seeks(page, site, media, fake_speech):
    call_command("build_podcasts", "da-mo-xing", verbosity=0)
    episode = Episode.objects.get()
    assert episode.voice == "fake-tts"
    assert len(fake_speech.requests) == len(episode.parsed_script.lines)

    page.goto(site + PAGE)
    ready(page)
    expect(page.locator(".player-voice")).to_have_text("语音\uff1afake-tts")
    wait_until(page, "document.getElementById('player').readyState >= 1")
    assert page.evaluate("document.getElementById('player').duration") == pytest.approx(
        episode.duration, abs=0.2
    )
    assert_accessible(page)
    look(page, "podcast-tts")

    chapter = page.get_by_role("link", name="关键技术")
    start = float(chapter.get_attribute("data-seek"))
    starts = {c["title"]: c["start"] for c in episode.chapters()}
    assert start == pytest.approx(starts["关键技术"], abs=0.01)
    chapter.click()
    wait_until(page, f"document.getElementById('player').currentTime >= {start}")
    wait_until(page, f"document.getElementById('player').currentTime > {start} + 0.3")  # it plays
    current = page.locator(".transcript__line.is-current")
    expect(current).to_have_count(1)
    expect(current).to_contain_text("关键技术")
    page.evaluate("document.getElementById('player').pause()")


def test_with_the_server_failing_the_episode_is_espeaks(page, site, media, fake_speech):
    fake_speech.fail_on = ""  # every line: a 500
    call_command("build_podcasts", "da-mo-xing", verbosity=0)
    assert Episode.objects.get().status == Episode.Status.READY
    page.goto(site + PAGE)
    ready(page)
    expect(page.locator(".player-voice")).to_have_text("语音\uff1aeSpeak NG\uff08离线\uff09")
    wait_until(page, "document.getElementById('player').readyState >= 1")
    assert_accessible(page)
    look(page, "podcast-tts-fallback")


def test_while_the_server_speaks_the_page_counts_the_lines(page, site):
    from notes.models import StudySet

    Episode.objects.create(
        study_set=StudySet.objects.get(slug="da-mo-xing"),
        status=Episode.Status.RENDERING,
        progress=21,
        lines_done=37,
    )
    page.goto(site + PAGE)
    ready(page)
    expect(page.get_by_role("status")).to_contain_text("\uff0837 / ")
    assert_accessible(page)
    look(page, "podcast-tts-rendering")
