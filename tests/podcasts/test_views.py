"""The podcast page, its audio with ranges, re-rendering, and the page without audio."""

from __future__ import annotations

import pytest
from django.urls import reverse

from podcasts import audio
from podcasts.models import Episode
from tests.podcasts.mp3 import duration

pytestmark = pytest.mark.django_db
PAGE = "/sets/da-mo-xing/podcast/"
AUDIO = "/sets/da-mo-xing/podcast/episode.mp3"
needs_audio = pytest.mark.skipif(not audio.available(), reason="audio extra not installed")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@needs_audio
class TestReadyEpisode:
    def test_page_has_player_chapters_transcript_and_download(self, client, da_mo_xing, media):
        response = client.get(PAGE)
        html = response.content.decode()
        assert response.status_code == 200
        episode = Episode.objects.get()
        assert episode.status == Episode.Status.READY
        assert '<audio id="player"' in html
        assert "下载 MP3" in html
        for title in (
            "开场",
            "概念",
            "发展历程",
            "关键技术",
            "应用领域",
            "面临的挑战",
            "未来发展趋势",
            "小测验",
            "结束",
        ):
            assert title in html
        assert html.count('class="transcript__line"') == len(episode.parsed_script.lines)

    def test_chapter_times_increase_and_the_mp3_matches(self, client, da_mo_xing, media):
        client.get(PAGE)
        episode = Episode.objects.get()
        starts = [chapter["start"] for chapter in episode.chapters()]
        assert starts[0] == 0
        assert all(b > a for a, b in zip(starts, starts[1:], strict=False))
        data = b"".join(client.get(AUDIO).streaming_content)
        assert duration(data) == pytest.approx(episode.duration, abs=0.2)
        assert duration(data) == pytest.approx(episode.parsed_script.estimated_seconds, rel=0.35)

    def test_ranges_for_seeking(self, client, da_mo_xing, media):
        client.get(PAGE)
        whole = b"".join(client.get(AUDIO).streaming_content)
        part = client.get(AUDIO, headers={"Range": "bytes=100-199"})
        assert part.status_code == 206
        assert part.content == whole[100:200]
        assert part["Content-Range"] == f"bytes 100-199/{len(whole)}"
        tail = client.get(AUDIO, headers={"Range": "bytes=-50"})
        assert tail.content == whole[-50:]
        assert client.get(AUDIO, headers={"Range": f"bytes={len(whole) + 10}-"}).status_code == 416

    def test_download_link_is_an_attachment(self, client, da_mo_xing, media):
        client.get(PAGE)
        assert "attachment" in client.get(AUDIO, {"download": "1"})["Content-Disposition"]

    def test_editing_the_notes_renders_a_new_episode(self, client, da_mo_xing, media):
        client.get(PAGE)
        first = Episode.objects.get()
        note = da_mo_xing.notes.get(title="概念")
        note.body += "- 新增的要点:用于测试重新生成。\n"
        note.save()
        html = client.get(PAGE).content.decode()
        second = Episode.objects.get()
        assert second.content_hash != first.content_hash
        assert second.audio.name != first.audio.name
        assert "新增的要点" in html or "用于测试重新生成" in html
        assert not (media / first.audio.name).exists()  # the old file is removed

    def test_a_page_view_does_not_re_render_an_unchanged_episode(
        self, client, da_mo_xing, media, monkeypatch
    ):
        client.get(PAGE)

        def refuse(*args, **kwargs):
            raise AssertionError("rendered again")

        monkeypatch.setattr(audio, "render", refuse)
        assert client.get(PAGE).status_code == 200

    def test_build_podcasts_command(self, da_mo_xing, media, capsys):
        from django.core.management import call_command

        call_command("build_podcasts")
        assert "大模型:已就绪" in capsys.readouterr().out


def test_without_audio_the_page_shows_the_transcript_and_how_to_enable(
    client, da_mo_xing, media, monkeypatch
):
    monkeypatch.setattr(audio, "available", lambda: False)
    html = client.get(PAGE).content.decode()
    assert Episode.objects.get().status == Episode.Status.NO_AUDIO
    assert "pip install -e &#x27;.[audio]&#x27;" in html or "pip install -e '.[audio]'" in html
    assert "<audio" not in html
    assert "欢迎收听学习站播客" in html
    assert client.get(AUDIO).status_code == 404


def test_rendering_shows_progress_and_polls(client, da_mo_xing, media, monkeypatch):
    monkeypatch.setattr("podcasts.models.Episode.queue_render", lambda self: None)
    html = client.get(PAGE).content.decode()
    assert "正在生成音频" in html
    assert 'hx-trigger="every 2s"' in html
    fragment = client.get(
        PAGE, headers={"HX-Request": "true", "HX-Target": "episode"}
    ).content.decode()
    assert fragment.lstrip().startswith('<section id="episode"')


def test_unknown_set_is_404(client):
    assert client.get("/sets/nope/podcast/").status_code == 404
    assert client.get("/sets/nope/podcast/episode.mp3").status_code == 404


@needs_audio
def test_admin_can_re_render(client, da_mo_xing, media, django_user_model):
    client.get(PAGE)
    episode = Episode.objects.get()
    Episode.objects.filter(pk=episode.pk).update(status=Episode.Status.FAILED)
    client.force_login(django_user_model.objects.create_superuser("admin", password="x-pass-1234"))
    response = client.post(
        reverse("admin:podcasts_episode_changelist"),
        {"action": "rerender", "_selected_action": [episode.pk]},
        follow=True,
    )
    assert "已安排重新生成 1 个节目" in response.content.decode()
    assert Episode.objects.get().status == Episode.Status.READY
