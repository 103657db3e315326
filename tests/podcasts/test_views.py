"""The podcast page only reads; 生成音频 / 重试 queue one render; the page shows
the player, the progress (polling), or a failure with 重试; the audio has ranges."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import timedelta

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from podcasts import audio, tasks
from podcasts.models import STALE_AFTER, Episode
from tests.podcasts.conftest import AUDIO, FRAGMENT, PAGE, RENDER, needs_audio
from tests.podcasts.mp3 import duration

pytestmark = pytest.mark.django_db


def row(episode: Episode) -> Mapping[str, object]:
    return Episode.objects.filter(pk=episode.pk).values().get()


def stored(study_set, **fields) -> Episode:
    """An episode as an earlier render left it, with an audio file."""
    episode = Episode.objects.create(study_set=study_set, **fields)
    episode.audio.save("old.mp3", ContentFile(b"ID3" + bytes(600)))
    return episode


class TestAPageViewOnlyReads:
    def test_a_first_visit_saves_nothing_and_queues_nothing(self, client, da_mo_xing, queued):
        page = client.get(PAGE)
        fragment = client.get(PAGE, headers=FRAGMENT)
        assert page.status_code == fragment.status_code == 200
        assert not Episode.objects.exists()
        assert queued == []
        html = page.content.decode()
        assert f'<form method="post" action="{RENDER}"' in html
        assert "生成音频" in html
        # While the request runs the button is disabled: no second click, visible feedback.
        assert 'hx-disabled-elt="find button"' in html
        assert "欢迎收听学习站播客" in html  # the transcript of the current notes
        assert "<audio" not in html
        assert 'hx-trigger="every 2s"' not in html
        assert fragment.content.decode().lstrip().startswith('<section id="episode"')

    def test_an_outdated_episode_is_shown_as_such_and_left_as_it_is(
        self, client, da_mo_xing, queued, media
    ):
        episode = stored(da_mo_xing, status=Episode.Status.READY, content_hash="old")
        before = row(episode)
        html = client.get(PAGE).content.decode()
        client.get(PAGE, headers=FRAGMENT)
        assert row(episode) == before
        assert queued == []
        assert "笔记或题目有更新" in html
        assert "生成音频" in html
        assert "<audio" not in html

    def test_a_current_episode_is_never_rendered_again(
        self, client, da_mo_xing, fake_audio, media, post_render
    ):
        post_render()
        assert len(fake_audio) == 1
        before = row(Episode.objects.get())
        html = client.get(PAGE).content.decode()
        assert '<audio id="player"' in html
        assert "生成音频" not in html
        post_render()  # the audio is current: nothing to do
        assert len(fake_audio) == 1
        assert row(Episode.objects.get()) == before


class TestGenerate:
    def test_a_double_click_queues_one_render(self, client, da_mo_xing, queued, post_render):
        first, second = post_render(), post_render()
        assert first.status_code == second.status_code == 302
        assert first["Location"] == PAGE
        assert len(queued) == 1
        assert queued[0].args == [Episode.objects.get().pk]
        assert Episode.objects.get().status == Episode.Status.PENDING

    def test_a_post_while_a_live_render_runs_does_nothing(
        self, client, da_mo_xing, queued, post_render
    ):
        episode = Episode.objects.create(
            study_set=da_mo_xing, status=Episode.Status.RENDERING, progress=40
        )
        before = row(episode)
        assert post_render().status_code == 302
        assert queued == []
        assert row(episode) == before

    def test_htmx_gets_the_progress_fragment_that_polls(
        self, client, da_mo_xing, queued, post_render
    ):
        response = post_render(headers=FRAGMENT)
        html = response.content.decode()
        assert response.status_code == 200
        assert html.lstrip().startswith('<section id="episode"')
        assert "排队等待生成音频" in html
        assert 'role="status"' in html
        assert 'hx-trigger="every 2s"' in html
        assert "hx-swap-oob" not in html  # the transcript is already on the page
        Episode.objects.update(status=Episode.Status.RENDERING, progress=40)
        polled = client.get(PAGE, headers=FRAGMENT).content.decode()
        assert "正在生成音频……40%" in polled
        assert 'hx-trigger="every 2s"' in polled

    def test_when_done_the_poll_swaps_in_the_player_and_the_timed_transcript(
        self, client, da_mo_xing, fake_audio, media, post_render
    ):
        post_render(headers=FRAGMENT)
        assert len(fake_audio) == 1
        html = client.get(PAGE, headers=FRAGMENT).content.decode()
        assert '<audio id="player"' in html
        assert 'hx-trigger="every 2s"' not in html
        assert '<section id="transcript" class="transcript-section"' in html
        assert 'hx-swap-oob="true"' in html
        assert 'data-start="1.00"' in html

    def test_without_the_audio_extra_the_post_is_refused_and_changes_nothing(
        self, client, da_mo_xing, queued, monkeypatch, post_render
    ):
        monkeypatch.setattr(audio, "available", lambda: False)
        response = post_render()
        assert response.status_code == 409
        assert "没有安装语音组件" in response.content.decode()
        assert not Episode.objects.exists()
        assert queued == []
        fragment = post_render(headers=FRAGMENT)
        assert fragment.status_code == 409
        assert fragment.content.decode().lstrip().startswith('<p class="form-error"')

    def test_a_get_is_not_allowed_and_an_unknown_set_is_404(self, client, da_mo_xing, queued):
        assert client.get(RENDER).status_code == 405
        assert client.post("/sets/nope/podcast/render/").status_code == 404
        assert not Episode.objects.exists()
        assert queued == []


class TestFailure:
    def test_a_failing_render_ends_failed_with_retry(
        self, client, da_mo_xing, fake_audio, monkeypatch, media, post_render, django_user_model
    ):
        def broken(script, on_progress=None, deadline=None):
            raise RuntimeError("声卡坏了")

        monkeypatch.setattr(audio, "render", broken)
        post_render()
        episode = Episode.objects.get()
        assert episode.status == Episode.Status.FAILED
        assert episode.error == "声卡坏了"
        html = client.get(PAGE).content.decode()
        assert "音频生成失败" in html
        assert ">重试</button>" in html
        assert 'hx-trigger="every 2s"' not in html
        assert "声卡坏了" not in html  # the reason is for staff
        client.force_login(django_user_model.objects.create_user("staff", is_staff=True))
        assert "声卡坏了" in client.get(PAGE).content.decode()

    def test_retry_renders_again(self, client, da_mo_xing, fake_audio, media, post_render):
        Episode.objects.create(study_set=da_mo_xing, status=Episode.Status.FAILED, error="x")
        post_render()
        assert Episode.objects.get().status == Episode.Status.READY
        assert '<audio id="player"' in client.get(PAGE).content.decode()

    @pytest.mark.parametrize("status", [Episode.Status.RENDERING, Episode.Status.PENDING])
    def test_a_render_whose_worker_died_turns_failed_and_retry_queues_it(
        self, client, da_mo_xing, queued, post_render, status
    ):
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            episode = Episode.objects.create(study_set=da_mo_xing, status=status, progress=90)
        before = row(episode)
        with time_machine.travel(start + STALE_AFTER - timedelta(seconds=10), tick=False):
            html = client.get(PAGE).content.decode()
            assert 'hx-trigger="every 2s"' in html
            assert "重试" not in html
        with time_machine.travel(start + STALE_AFTER + timedelta(seconds=10), tick=False):
            html = client.get(PAGE, headers=FRAGMENT).content.decode()
            assert "音频生成失败\uff1a生成中断或超时" in html
            assert ">重试</button>" in html
            assert 'hx-trigger="every 2s"' not in html
            assert row(episode) == before  # the page says so; it writes nothing
            post_render(headers=FRAGMENT)
            post_render(headers=FRAGMENT)
            assert len(queued) == 1
            assert Episode.objects.get().status == Episode.Status.PENDING

    @needs_audio
    def test_a_render_past_its_time_limit_ends_failed(
        self, client, da_mo_xing, media, monkeypatch, post_render
    ):
        monkeypatch.setattr(tasks, "render_budget", lambda script: -1.0)
        post_render()
        episode = Episode.objects.get()
        assert episode.status == Episode.Status.FAILED
        assert "生成超时" in episode.error
        assert ">重试</button>" in client.get(PAGE).content.decode()


@pytest.mark.slow  # every test renders the real episode first
@needs_audio
class TestReadyEpisode:
    @pytest.fixture(autouse=True)
    def rendered(self, da_mo_xing, media, post_render):
        post_render()

    def test_page_has_player_chapters_transcript_and_download(self, client):
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
        assert len(re.findall(r'class="transcript__line [^"]*" data-start=', html)) == len(
            episode.parsed_script.lines
        )

    def test_chapter_times_increase_and_the_mp3_matches(self, client):
        episode = Episode.objects.get()
        starts = [chapter["start"] for chapter in episode.chapters()]
        assert starts[0] == 0
        assert all(b > a for a, b in zip(starts, starts[1:], strict=False))
        data = b"".join(client.get(AUDIO).streaming_content)
        assert duration(data) == pytest.approx(episode.duration, abs=0.2)
        assert duration(data) == pytest.approx(episode.parsed_script.estimated_seconds, rel=0.35)

    def test_ranges_for_seeking(self, client):
        whole = b"".join(client.get(AUDIO).streaming_content)
        part = client.get(AUDIO, headers={"Range": "bytes=100-199"})
        assert part.status_code == 206
        assert part.content == whole[100:200]
        assert part["Content-Range"] == f"bytes 100-199/{len(whole)}"
        tail = client.get(AUDIO, headers={"Range": "bytes=-50"})
        assert tail.content == whole[-50:]
        assert client.get(AUDIO, headers={"Range": f"bytes={len(whole) + 10}-"}).status_code == 416

    @pytest.mark.parametrize(
        "header",
        [
            "bytes=" + "1" * 5000 + "-",
            "bytes=-" + "9" * 5000,
            "bytes=0-" + "9" * 5000,
            "bytes=5-3",
            "bytes=-",
            "bytes=\u00b2-",
            "bytes=0-1,5-9",
            "items=0-9",
        ],
    )
    def test_a_range_it_cannot_honour_is_ignored(self, client, header):
        """RFC 9110: an invalid Range is ignored and the whole file sent; never a 500."""
        response = client.get(AUDIO, headers={"Range": header})
        assert response.status_code == 200
        assert response["Content-Length"] == str(len(b"".join(response.streaming_content)))

    def test_players_may_probe_with_head(self, client):
        assert client.head(AUDIO).status_code == 200
        assert client.head(PAGE).status_code == 200

    def test_download_link_is_an_attachment(self, client):
        assert "attachment" in client.get(AUDIO, {"download": "1"})["Content-Disposition"]

    def test_edited_notes_show_as_outdated_until_generated_again(
        self, client, da_mo_xing, media, post_render
    ):
        first = Episode.objects.get()
        note = da_mo_xing.notes.get(title="概念")
        note.body += "- 新增的要点\uff1a用于测试重新生成。\n"
        note.save()
        html = client.get(PAGE).content.decode()
        assert "笔记或题目有更新" in html
        assert "用于测试重新生成" in html  # the transcript of the notes as they are now
        assert Episode.objects.get().audio.name == first.audio.name
        post_render()
        second = Episode.objects.get()
        assert second.content_hash != first.content_hash
        assert second.audio.name != first.audio.name
        assert '<audio id="player"' in client.get(PAGE).content.decode()
        assert not (media / first.audio.name).exists()  # the old file is removed

    def test_build_podcasts_command(self, capsys):
        from django.core.management import call_command

        call_command("build_podcasts")
        assert "大模型\uff1a已就绪" in capsys.readouterr().out


def test_without_audio_the_page_shows_the_transcript_and_how_to_enable(
    client, da_mo_xing, media, monkeypatch
):
    monkeypatch.setattr(audio, "available", lambda: False)
    html = client.get(PAGE).content.decode()
    assert not Episode.objects.exists()
    assert "pip install -e &#x27;.[audio]&#x27;" in html or "pip install -e '.[audio]'" in html
    assert "<audio" not in html
    assert "生成音频" not in html
    assert "欢迎收听学习站播客" in html
    assert client.get(AUDIO).status_code == 404


def test_unknown_set_is_404(client):
    assert client.get("/sets/nope/podcast/").status_code == 404
    assert client.get("/sets/nope/podcast/episode.mp3").status_code == 404


def test_admin_can_re_render_even_unchanged_audio(
    client, da_mo_xing, fake_audio, media, post_render, django_user_model
):
    post_render()
    assert len(fake_audio) == 1
    episode = Episode.objects.get()
    client.force_login(django_user_model.objects.create_superuser("admin", password="x-pass-1234"))
    with_commit = post_render(
        reverse("admin:podcasts_episode_changelist"),
        data={"action": "rerender", "_selected_action": [episode.pk]},
        follow=True,
    )
    assert "已安排重新生成 1 个节目" in with_commit.content.decode()
    assert len(fake_audio) == 2
    assert Episode.objects.get().status == Episode.Status.READY


@pytest.mark.parametrize("extra_questions", [0, 40])
def test_the_page_reads_in_a_fixed_number_of_queries(
    client, da_mo_xing, media, django_assert_num_queries, extra_questions
):
    from tests.factories import make_question

    for number in range(extra_questions):
        make_question(da_mo_xing, prompt=f"第 {number} 题\uff1f")
    stored(da_mo_xing, status=Episode.Status.READY, content_hash="old")
    with django_assert_num_queries(6):  # set, notes, questions, their choices, cards, episode
        client.get(PAGE)
