"""HEAD on the MP3 answers exactly as GET would (status, type, length, ranges),
without a body and without reading the file: players probe with HEAD."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

from podcasts.models import Episode
from tests.podcasts.conftest import AUDIO

pytestmark = pytest.mark.django_db
HEADERS = ("Content-Type", "Content-Length", "Accept-Ranges", "Content-Range")
MP3 = b"ID3" + bytes(range(256)) * 4


@pytest.fixture
def ready(da_mo_xing, media):
    episode = Episode.objects.create(study_set=da_mo_xing, status=Episode.Status.READY)
    episode.audio.save("episode.mp3", ContentFile(MP3))
    return episode


@pytest.fixture
def opened(monkeypatch):
    """Every time the view opens the stored file."""
    calls = []
    real = FileSystemStorage.open

    def spy(self, name, mode="rb"):
        calls.append(name)
        return real(self, name, mode)

    monkeypatch.setattr(FileSystemStorage, "open", spy)
    return calls


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def same_headers(head, get) -> None:
    assert head.status_code == get.status_code
    for header in HEADERS:
        assert head.headers.get(header) == get.headers.get(header), header


@pytest.mark.parametrize(
    ("range_header", "status", "length"),
    [
        (None, 200, len(MP3)),
        ("bytes=100-199", 206, 100),
        ("bytes=-50", 206, 50),
        ("bytes=0-", 206, len(MP3)),
        ("bytes=5-3", 200, len(MP3)),  # ignored, as GET ignores it
    ],
)
def test_head_answers_like_get_without_a_body_or_reading_the_file(
    client, ready, opened, range_header, status, length
):
    headers = {"Range": range_header} if range_header else {}
    get = client.get(AUDIO, headers=headers)
    assert get.status_code == status
    assert len(body(get)) == length == int(get["Content-Length"])
    opened.clear()
    head = client.head(AUDIO, headers=headers)
    same_headers(head, get)
    assert head["Content-Type"] == "audio/mpeg"
    assert head["Accept-Ranges"] == "bytes"
    assert body(head) == b""
    assert opened == []  # only the size was asked for


def test_head_of_an_unsatisfiable_range_is_416_like_get(client, ready):
    header = {"Range": f"bytes={len(MP3) + 10}-"}
    get, head = client.get(AUDIO, headers=header), client.head(AUDIO, headers=header)
    assert get.status_code == head.status_code == 416
    assert head["Content-Range"] == get["Content-Range"] == f"bytes */{len(MP3)}"


def test_head_before_the_audio_exists_is_404(client, da_mo_xing):
    assert client.head(AUDIO).status_code == 404


@pytest.mark.parametrize("range_header", ["", "bytes=0-9"])
def test_a_ready_episode_whose_file_is_gone_is_404_not_500(client, ready, range_header):
    # The file deleted by hand, a database restored without its media, or a
    # re-render deleting the old file while a player asks for it.
    ready.audio.storage.delete(ready.audio.name)
    headers = {"Range": range_header} if range_header else {}
    for response in (client.get(AUDIO, headers=headers), client.head(AUDIO, headers=headers)):
        assert response.status_code == 404
