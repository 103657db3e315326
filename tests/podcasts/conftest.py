"""Podcast fixtures: media in a temporary folder, a task queue that only records,
a fake render (fast, no audio extra needed), and the POST that queues a render."""

from __future__ import annotations

import pytest
from django_tasks import task_backends

from podcasts import audio

PAGE = "/sets/da-mo-xing/podcast/"
RENDER = "/sets/da-mo-xing/podcast/render/"
AUDIO = "/sets/da-mo-xing/podcast/episode.mp3"
FRAGMENT = {"HX-Request": "true", "HX-Target": "episode"}
needs_audio = pytest.mark.skipif(not audio.available(), reason="audio extra not installed")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


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
