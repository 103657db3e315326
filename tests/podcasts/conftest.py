"""Podcast fixtures: media in a temporary folder, a task queue that only records,
a fake render (fast, no audio extra needed), the POST that queues a render, and
a fake speech server; no speech server configured unless a test asks for one,
and no connection leaves loopback."""

from __future__ import annotations

import ipaddress
import socket

import pytest
from django_tasks import task_backends

from podcasts import audio
from tests.podcasts.fake_speech_server import FakeSpeechServer

TTS_VARIABLES = ["TTS_BASE_URL", "TTS_MODEL", "TTS_VOICE_HOST", "TTS_VOICE_GUEST", "TTS_API_KEY"]

PAGE = "/sets/da-mo-xing/podcast/"
RENDER = "/sets/da-mo-xing/podcast/render/"
AUDIO = "/sets/da-mo-xing/podcast/episode.mp3"
FRAGMENT = {"HX-Request": "true", "HX-Target": "episode"}
needs_audio = pytest.mark.skipif(not audio.available(), reason="audio extra not installed")


@pytest.fixture
def queued(settings):
    """Enqueued tasks are recorded, not run: a worker that has not picked them up."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    return task_backends["default"].results


@pytest.fixture
def fake_audio(monkeypatch):
    """A render that takes no time: one second per line, a few bytes of 'MP3'."""
    calls = []

    def render(script, on_progress=None, deadline=None):
        calls.append(script)
        if on_progress:
            on_progress(50)
        return audio.Rendered(
            mp3=b"ID3" + bytes(600),
            line_starts=[float(i) for i in range(len(script.lines))],
            duration=float(len(script.lines)),
        )

    monkeypatch.setattr(audio, "available", lambda: True)
    monkeypatch.setattr(audio, "render", render)
    return calls


@pytest.fixture
def post_render(client, django_capture_on_commit_callbacks):
    """POST 生成音频 and run what it queues on commit, as a real request's commit does."""

    def post(url=RENDER, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, **kwargs)

    return post


@pytest.fixture(autouse=True)
def _espeak_unless_told(monkeypatch):
    """A speech server configured in the developer's shell is not the tests' own."""
    for name in TTS_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def _loopback(address) -> bool:
    host = address[0] if isinstance(address, tuple) else address
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:  # a name: it would be looked up, and could be anywhere
        return False


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch):
    """A connection off this machine fails the test that makes it."""
    connect, connect_ex = socket.socket.connect, socket.socket.connect_ex

    def guarded(real):
        def checked(self, address):
            if self.family in (socket.AF_INET, socket.AF_INET6) and not _loopback(address):
                raise AssertionError(f"a podcast test connected off loopback: {address!r}")
            return real(self, address)

        return checked

    monkeypatch.setattr(socket.socket, "connect", guarded(connect))
    monkeypatch.setattr(socket.socket, "connect_ex", guarded(connect_ex))


@pytest.fixture
def fake_speech(monkeypatch, settings):
    """A fake speech server on loopback, configured as the podcast's voices, with
    short timeouts and back-offs."""
    server = FakeSpeechServer().start()
    monkeypatch.setenv("TTS_BASE_URL", server.url)
    monkeypatch.setenv("TTS_MODEL", "fake-tts")
    monkeypatch.setenv("TTS_VOICE_HOST", "host")
    monkeypatch.setenv("TTS_VOICE_GUEST", "guest")
    monkeypatch.setenv("TTS_API_KEY", "secret")
    settings.TTS_TIMEOUT_SECONDS = 1.0
    settings.TTS_RETRIES = 1
    settings.TTS_BACKOFF_SECONDS = 0.01
    settings.TTS_CONCURRENCY = 4
    yield server
    server.stop()
