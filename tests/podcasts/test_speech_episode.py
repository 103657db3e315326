"""The 大模型 episode through the fake speech server (issue 23): the render task
records which voice spoke it, the page says so and counts the lines done while
it renders, a failing server leaves an eSpeak NG episode, a change of voice
renders again, a slow server holds up no page, and admin re-renders one episode
and filters by voice."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection
from django.urls import reverse

from podcasts import script as scripting
from podcasts import speech
from podcasts.models import Episode, Phase
from podcasts.tasks import render_episode
from tests.podcasts.conftest import FRAGMENT, PAGE, needs_audio
from tests.podcasts.mp3 import duration

# Slow: renders real audio through a speech server.
pytestmark = pytest.mark.slow

ESPEAK_SAYS = "语音\uff1aeSpeak NG\uff08离线\uff09"
SERVER_SAYS = "语音\uff1afake-tts"


def render(study_set) -> Episode:
    episode, _created = Episode.objects.get_or_create(study_set=study_set)
    render_episode.call(episode.pk)
    return Episode.objects.get(pk=episode.pk)


@needs_audio
@pytest.mark.django_db
class TestTheEpisode:
    def test_the_server_speaks_it_and_the_page_says_so(
        self, client, da_mo_xing, media, fake_speech
    ):
        episode = render(da_mo_xing)
        lines = episode.parsed_script.lines
        assert (episode.status, episode.voice, episode.error) == (
            Episode.Status.READY,
            "fake-tts",
            "",
        )
        assert episode.lines_done == len(lines) == len(fake_speech.requests)
        with episode.audio.open("rb") as file:
            assert duration(file.read()) == pytest.approx(episode.duration, abs=0.2)
        assert episode.duration > 5 * 60  # the whole episode, 0.2 s a character
        for response in (client.get(PAGE), client.get(PAGE, headers=FRAGMENT)):
            html = response.content.decode()
            assert SERVER_SAYS in html
            assert ESPEAK_SAYS not in html

    def test_a_failing_server_leaves_an_espeak_episode_and_the_page_says_so(
        self, client, da_mo_xing, media, fake_speech
    ):
        fake_speech.fail_on = "关键技术"
        episode = render(da_mo_xing)
        assert (episode.status, episode.voice) == (Episode.Status.READY, speech.ESPEAK_LABEL)
        assert "语音服务器出错" in episode.error
        assert "HTTP 500" in episode.error
        with episode.audio.open("rb") as file:
            assert duration(file.read()) == pytest.approx(episode.duration, abs=0.2)
        html = client.get(PAGE).content.decode()
        assert ESPEAK_SAYS in html
        assert "生成失败" not in html

    def test_a_change_of_voice_renders_again_and_no_change_does_not(
        self, da_mo_xing, media, fake_speech, monkeypatch
    ):
        render(da_mo_xing)
        assert render_episode.call(Episode.objects.get().pk) == "unchanged"
        monkeypatch.setenv("TTS_VOICE_GUEST", "another")
        assert Episode.objects.podcast(da_mo_xing).phase == Phase.OUTDATED
        before = len(fake_speech.requests)
        episode = render(da_mo_xing)
        assert episode.voice == "fake-tts"
        assert {r["body"]["voice"] for r in fake_speech.requests[before:]} == {"host", "another"}
        monkeypatch.delenv("TTS_BASE_URL")  # back to eSpeak NG
        assert Episode.objects.podcast(da_mo_xing).phase == Phase.OUTDATED
        assert render(da_mo_xing).voice == speech.ESPEAK_LABEL


@needs_audio
@pytest.mark.django_db
def test_unconfigured_the_hash_and_the_file_are_as_before(da_mo_xing, media):
    episode = render(da_mo_xing)
    digest = scripting.content_hash(*Episode.script_for(da_mo_xing))
    assert episode.content_hash == digest
    assert episode.audio.name == f"podcasts/da-mo-xing-{digest[:12]}.mp3"
    assert (episode.voice, episode.error) == (speech.ESPEAK_LABEL, "")


@pytest.mark.django_db
def test_while_rendering_the_page_counts_the_lines_done(client, da_mo_xing):
    Episode.objects.create(
        study_set=da_mo_xing, status=Episode.Status.RENDERING, progress=20, lines_done=31
    )
    total = len(scripting.build_script(*Episode.script_for(da_mo_xing)).lines)
    for response in (client.get(PAGE), client.get(PAGE, headers=FRAGMENT)):
        assert f"\uff0831 / {total} 句\uff09" in response.content.decode()


@needs_audio
@pytest.mark.django_db(transaction=True)
def test_a_slow_server_holds_up_no_page(client, da_mo_xing, media, fake_speech, settings):
    """The render runs in the task (a worker's thread here); the page answers at once."""
    settings.TTS_CONCURRENCY = 2
    fake_speech.slow_on, fake_speech.delay = "", 0.1
    episode = Episode.objects.create(study_set=da_mo_xing, status=Episode.Status.PENDING)

    def worker():
        try:
            render_episode.call(episode.pk)
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while Episode.objects.get().lines_done < 4:
            assert time.monotonic() < deadline, "the render made no progress"
            time.sleep(0.05)
        started = time.monotonic()
        html = client.get(PAGE).content.decode()
        assert time.monotonic() - started < 0.5
        assert "正在生成音频" in html
        assert " 句\uff09" in html
    finally:
        thread.join(timeout=120)
    assert Episode.objects.get().voice == "fake-tts"


@pytest.mark.django_db
class TestAdmin:
    def test_one_episode_is_rendered_again_from_its_page(self, admin_client, da_mo_xing, queued):
        episode = Episode.objects.create(
            study_set=da_mo_xing, status=Episode.Status.READY, content_hash="x", voice="fake-tts"
        )
        change = reverse("admin:podcasts_episode_change", args=[episode.pk])
        url = reverse("admin:podcasts_episode_rerender", args=[episode.pk])
        assert f'formaction="{url}"' in admin_client.get(change).content.decode()
        assert admin_client.get(url).status_code == 405  # a GET changes nothing
        response = admin_client.post(url, follow=True)
        assert response.redirect_chain[-1][0] == change
        assert "已安排重新生成" in response.content.decode()
        episode.refresh_from_db()
        assert (episode.status, episode.content_hash) == (Episode.Status.PENDING, "")
        # A second click while it is queued queues nothing more.
        response = admin_client.post(url, follow=True)
        assert "正在生成" in response.content.decode()

    def test_staff_without_the_change_permission_cannot(self, client, da_mo_xing, queued):
        from django.contrib.auth.models import User

        client.force_login(User.objects.create_user("viewer", is_staff=True))
        episode = Episode.objects.create(study_set=da_mo_xing, status=Episode.Status.READY)
        response = client.post(reverse("admin:podcasts_episode_rerender", args=[episode.pk]))
        assert response.status_code == 403
        assert Episode.objects.get().status == Episode.Status.READY

    def test_staff_who_may_only_view_cannot_use_the_list_action(self, client, da_mo_xing, queued):
        from django.contrib.auth.models import Permission, User

        viewer = User.objects.create_user("viewer", is_staff=True)
        viewer.user_permissions.add(Permission.objects.get(codename="view_episode"))
        client.force_login(viewer)
        episode = Episode.objects.create(
            study_set=da_mo_xing, status=Episode.Status.READY, content_hash="x"
        )
        changelist = reverse("admin:podcasts_episode_changelist")
        assert client.get(changelist).status_code == 200
        assert "重新生成所选节目的音频" not in client.get(changelist).content.decode()
        client.post(changelist, {"action": "rerender", "_selected_action": [episode.pk]})
        episode.refresh_from_db()
        assert (episode.status, episode.content_hash) == (Episode.Status.READY, "x")

    def test_the_list_shows_and_filters_by_voice(self, admin_client, da_mo_xing, queued):
        from notes.models import StudySet

        other = StudySet.objects.create(slug="qi-ta", title="其他")
        Episode.objects.create(study_set=da_mo_xing, voice="fake-tts")
        Episode.objects.create(study_set=other, voice=speech.ESPEAK_LABEL)
        changelist = reverse("admin:podcasts_episode_changelist")
        html = admin_client.get(changelist).content.decode()
        assert "?voice=fake-tts" in html
        filtered = admin_client.get(changelist, {"voice": "fake-tts"})
        assert [e.study_set.slug for e in filtered.context["cl"].result_list] == ["da-mo-xing"]


def test_the_fake_server_module_runs_as_a_command():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "tests.podcasts.fake_speech_server", "--help"],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert "--port" in result.stdout
    assert "--fail" in result.stdout
