"""Rendering runs as a background task (django-tasks): immediately in development
and tests, from the database queue (`manage.py db_worker`) in production."""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django_tasks import task

from podcasts import audio

logger = logging.getLogger(__name__)


@task()
def render_episode(episode_id: int) -> str:
    from podcasts.models import Episode

    episode = Episode.objects.select_related("study_set").get(pk=episode_id)
    script = episode.parsed_script
    if script is None:
        return "no script"
    if not audio.available():
        episode.mark(status=Episode.Status.NO_AUDIO, progress=0)
        return "no audio"
    expected_hash = episode.content_hash
    episode.mark(status=Episode.Status.RENDERING, progress=1)
    try:
        rendered = audio.render(script, on_progress=lambda percent: episode.mark(progress=percent))
    except Exception as error:  # a failed render is shown on the page and in admin
        logger.exception("podcast render failed for %s", episode)
        episode.mark(status=Episode.Status.FAILED, error=str(error)[:2000])
        return "failed"
    episode.refresh_from_db()
    if episode.content_hash != expected_hash:
        return "superseded"  # the notes changed while rendering; a newer task follows
    old = episode.audio.name
    episode.audio.save(
        f"{episode.study_set.slug}-{expected_hash[:12]}.mp3", ContentFile(rendered.mp3), save=False
    )
    episode.mark(
        audio=episode.audio.name,
        line_starts=rendered.line_starts,
        duration=rendered.duration,
        status=Episode.Status.READY,
        progress=100,
        error="",
    )
    if old and old != episode.audio.name:
        episode.audio.storage.delete(old)
    return "ready"
