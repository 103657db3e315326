"""The podcast page, the POST that queues its render, and its audio, served
with HTTP ranges so players can seek."""

from __future__ import annotations

import re

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST, require_safe

from learners.visitor import Visitor
from notes.models import StudySet
from podcasts import audio
from podcasts.models import Episode, Phase
from studysite.htmx import HtmxHttpRequest, refuse, render_partial

# One range, ASCII digits only (\d also takes ² and ٣), and few enough that int()
# is cheap; anything else is ignored and the whole file sent, as RFC 9110 allows.
_RANGE = re.compile(r"bytes=([0-9]{0,18})-([0-9]{0,18})")


# The speed chips of the mini-player, 1× pressed until the learner picks another.
SPEEDS = ("0.75", "1", "1.25", "1.5", "2")


def _voiced(transcript: list[dict]) -> list[dict]:
    """Each line with its host's voice (1, 2, … in order of first appearance), so
    the page can colour each host's lines, whatever the hosts are called."""
    voices: dict[str, int] = {}
    return [
        {**line, "voice": voices.setdefault(line["speaker"], len(voices) + 1)}
        for line in transcript
    ]


def _page(request: HtmxHttpRequest, study_set: StudySet) -> TemplateResponse:
    podcast = Episode.objects.podcast(study_set)
    context = {
        "study_set": study_set,
        "episode": podcast.episode,
        "phase": podcast.phase,
        "chapters": podcast.chapters,
        "transcript": _voiced(podcast.transcript),
        "speeds": SPEEDS,
        "audio_available": audio.available(),
        # Once the audio is ready, an htmx swap of the episode also brings the
        # transcript with its timings (out of band).
        "transcript_oob": request.htmx.target == "episode" and podcast.phase != Phase.WORKING,
    }
    return render_partial(request, "podcasts/podcast.html", context, target="episode")


@require_safe
def podcast(request: HtmxHttpRequest, slug: str) -> TemplateResponse:
    """Player, chapters and transcript; while rendering, a progress bar that polls.
    Only reads: a render is queued by `generate`, never by a page view."""
    study_set = get_object_or_404(
        StudySet.objects.visible_to(Visitor.from_request(request)), slug=slug
    )
    return _page(request, study_set)


@require_POST
def generate(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """生成音频 / 重试: queue a render of the current notes, unless one is already
    queued or running, or the audio is current (a double click queues one)."""
    study_set = get_object_or_404(
        StudySet.objects.visible_to(Visitor.from_request(request)), slug=slug
    )
    if not audio.available():
        message = "这台服务器没有安装语音组件\uff0c不能生成音频。"
        back = (reverse("podcasts:podcast", args=[study_set.slug]), "返回播客")
        return refuse(request, message, back=back, status=409)
    episode, _created = Episode.objects.get_or_create(study_set=study_set)
    episode.request_render(Episode.current_digest(study_set))
    if request.htmx:
        return _page(request, study_set)
    return redirect("podcasts:podcast", slug=slug)


@require_safe
def episode_audio(request, slug: str) -> HttpResponse | FileResponse:
    """The MP3, whole or a byte range (206), so the player can seek before it has it all.
    HEAD answers with the same status and headers and never opens the file."""
    study_set = get_object_or_404(
        StudySet.objects.visible_to(Visitor.from_request(request)), slug=slug
    )
    episode = getattr(study_set, "episode", None)
    if episode is None or not episode.is_ready:
        raise Http404("音频还没有生成。")
    storage, name = episode.audio.storage, episode.audio.name
    try:
        size = storage.size(name)
    except OSError:  # gone: deleted by hand, or a re-render replaced it just now
        raise Http404("音频还没有生成。") from None
    match = _RANGE.fullmatch(request.headers.get("Range", ""))
    first, last = match.groups() if match else ("", "")
    headers = {"Accept-Ranges": "bytes"}
    if (first, last) == ("", "") or (first and last and int(last) < int(first)):
        status, start, end = 200, 0, size - 1
        # A filename is given, so Django returns a str (its stub says str | None).
        headers["Content-Disposition"] = content_disposition_header(  # type: ignore[assignment]
            bool(request.GET.get("download")), f"{study_set.slug}-podcast.mp3"
        )
    else:
        if first == "":
            start, end = max(0, size - int(last or 0)), size - 1
        else:
            start, end = int(first), min(int(last) if last else size - 1, size - 1)
        if start > end or start >= size:
            return HttpResponse(status=416, headers={"Content-Range": f"bytes */{size}"})
        status = 206
        headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    headers["Content-Length"] = str(end - start + 1)
    if request.method == "HEAD":
        return HttpResponse(status=status, content_type="audio/mpeg", headers=headers)
    try:
        handle = storage.open(name, "rb")
    except OSError:  # replaced between the size and the open
        raise Http404("音频还没有生成。") from None
    if status == 200:
        response = FileResponse(handle, content_type="audio/mpeg")
        for header, value in headers.items():
            response[header] = value
        return response
    with handle:
        handle.seek(start)
        data = handle.read(end - start + 1)
    return HttpResponse(data, status=206, content_type="audio/mpeg", headers=headers)
