"""Rendering runs as a background task (django-tasks): immediately in development
and tests, from the database queue (`manage.py db_worker`) in production.

The task claims the episode with a conditional UPDATE, so a second copy of it
(a double enqueue, a retried job) does nothing while a live render runs; any
error, a timeout included, ends as FAILED with the reason. A worker killed
mid-render leaves RENDERING behind, which the page shows as failed once it is
older than `STALE_AFTER`.
"""

from __future__ import annotations

import logging
import time

from django.core.files.base import ContentFile
from django.utils import timezone
from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend

from podcasts import audio, speech
from podcasts import script as scripting
from podcasts.models import STALE_AFTER, Episode

logger = logging.getLogger(__name__)

# eSpeak NG renders the 大模型 episode (7.5 min of audio) in about 2 s. A render
# may take a minute plus a quarter of the audio's length before it is given up:
# far beyond a slow machine, well short of a stuck one.
# A speech server (podcasts.speech) gets as long as the audio lasts, requests
# running four at a time; past that, eSpeak NG speaks the episode instead.
RENDER_BASE_SECONDS = 60.0
RENDER_SECONDS_PER_AUDIO_SECOND = 0.25
SERVER_SECONDS_PER_AUDIO_SECOND = 1.0


def render_budget(script: scripting.Script) -> float:
    """Seconds a render of `script` may take before it fails as timed out (or,
    with a speech server, before it falls back to eSpeak NG)."""
    server = speech.config() is not None
    per_second = SERVER_SECONDS_PER_AUDIO_SECOND if server else RENDER_SECONDS_PER_AUDIO_SECOND
    return RENDER_BASE_SECONDS + per_second * script.estimated_seconds


@task()
def render_episode(episode_id: int) -> str:
    now = timezone.now()
    claimed = (
        Episode.objects.filter(pk=episode_id)
        .exclude(status=Episode.Status.RENDERING, updated_at__gte=now - STALE_AFTER)
        .update(status=Episode.Status.RENDERING, progress=1, lines_done=0, error="", updated_at=now)
    )
    if not claimed:
        return "busy"  # a live render of this episode runs (or the set was deleted)
    episode = Episode.objects.select_related("study_set").get(pk=episode_id)
    try:
        return _render(episode)
    except Exception as error:  # a failed render is shown on the page and in admin
        logger.exception("podcast render failed for %s", episode)
        episode.mark(status=Episode.Status.FAILED, error=str(error)[:2000] or repr(error))
        return "failed"


def _render(episode: Episode) -> str:
    inputs = Episode.script_for(episode.study_set)
    digest = Episode.digest(inputs)
    if (
        episode.content_hash == digest
        and episode.audio.name
        and episode.audio.storage.exists(episode.audio.name)
    ):
        episode.mark(status=Episode.Status.READY, progress=100)
        return "unchanged"
    if not audio.available():
        episode.mark(status=Episode.Status.NO_AUDIO, progress=0)
        return "no audio"
    script = scripting.build_script(*inputs)
    rendered = audio.render(
        script,
        # mypy cannot type a lambda with a default (tests' fake renderers pass the percent alone)
        on_progress=lambda percent, lines_done=0: episode.mark(  # type: ignore[misc]
            progress=max(1, percent), lines_done=lines_done
        ),
        deadline=time.monotonic() + render_budget(script),
    )
    old = episode.audio.name
    episode.audio.save(
        f"{episode.study_set.slug}-{digest[:12]}.mp3", ContentFile(rendered.mp3), save=False
    )
    episode.mark(
        audio=episode.audio.name,
        script=script.to_json(),
        content_hash=digest,
        line_starts=rendered.line_starts,
        duration=rendered.duration,
        voice=rendered.voice,
        status=Episode.Status.READY,
        progress=100,
        error=rendered.fallback,  # shown in admin: why eSpeak NG spoke
    )
    if old and old != episode.audio.name:
        episode.audio.storage.delete(old)
    episode.study_set.refresh_from_db(fields=["title"])
    current = Episode.current_digest(episode.study_set)
    if current != digest and renders_follow_changes():
        episode.request_render(current)  # the notes changed while it rendered
        return "ready, changed since"
    return "ready"


def renders_follow_changes() -> bool:
    """Whether a change to the notes queues a render by itself. Only where a
    worker runs tasks: with the immediate backend the render would run inside
    whichever request saved the note (an admin save, an import), so there the
    page offers 生成音频 instead."""
    return not isinstance(render_episode.get_backend(), ImmediateBackend)
