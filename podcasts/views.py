"""The podcast page and its audio, served with HTTP ranges so players can seek."""

from __future__ import annotations

import re

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from notes.models import StudySet
from podcasts import audio
from podcasts.models import Episode
from studysite.htmx import HtmxHttpRequest, render_partial

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _episode(request, slug: str) -> Episode:
    study_set = get_object_or_404(StudySet.objects.visible_to(request), slug=slug)
    episode = Episode.objects.for_set(study_set)
    episode.study_set = study_set
    return episode


@require_GET
def podcast(request: HtmxHttpRequest, slug: str) -> TemplateResponse:
    """Player, chapters and transcript; while rendering, a progress bar that polls."""
    episode = _episode(request, slug)
    context = {
        "study_set": episode.study_set,
        "episode": episode,
        "chapters": episode.chapters(),
        "transcript": episode.transcript(),
        "audio_available": audio.available(),
    }
    return render_partial(request, "podcasts/podcast.html", context, target="episode")


@require_GET
def episode_audio(request, slug: str) -> HttpResponse:
    """The MP3, whole or a byte range (206), so the player can seek before it has it all."""
    study_set = get_object_or_404(StudySet.objects.visible_to(request), slug=slug)
    episode = getattr(study_set, "episode", None)
    if episode is None or not episode.is_ready:
        raise Http404("音频还没有生成。")
    storage, name = episode.audio.storage, episode.audio.name
    size = storage.size(name)
    match = _RANGE.match(request.headers.get("Range", ""))
    if not match:
        response = FileResponse(storage.open(name, "rb"), content_type="audio/mpeg")
        response["Accept-Ranges"] = "bytes"
        response["Content-Length"] = str(size)
        if request.GET.get("download"):
            response["Content-Disposition"] = f'attachment; filename="{study_set.slug}-podcast.mp3"'
        return response
    first, last = match.groups()
    if first == "":
        start, end = max(0, size - int(last or 0)), size - 1
    else:
        start, end = int(first), min(int(last) if last else size - 1, size - 1)
    if start > end or start >= size:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    with storage.open(name, "rb") as handle:
        handle.seek(start)
        data = handle.read(end - start + 1)
    response = HttpResponse(data, status=206, content_type="audio/mpeg")
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Accept-Ranges"] = "bytes"
    return response
