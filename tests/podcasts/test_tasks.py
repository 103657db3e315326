"""The render task claims its episode, fails visibly, and follows the content;
a change to the notes queues a render only where a worker runs tasks."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from notes.models import StudySet
from podcasts import audio
from podcasts.models import STALE_AFTER, Episode
from podcasts.tasks import render_episode
from tests.factories import make_note, make_question

pytestmark = pytest.mark.django_db


class TestTask:
    def test_it_refuses_to_start_while_a_live_render_runs(self, da_mo_xing, fake_audio):
        episode = Episode.objects.create(
            study_set=da_mo_xing, status=Episode.Status.RENDERING, progress=30
        )
        assert render_episode.call(episode.pk) == "busy"
        assert fake_audio == []
        assert Episode.objects.get().progress == 30

    def test_it_takes_over_a_render_whose_worker_died(self, da_mo_xing, fake_audio, media):
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            episode = Episode.objects.create(study_set=da_mo_xing, status=Episode.Status.RENDERING)
        with time_machine.travel(start + STALE_AFTER + timedelta(seconds=1), tick=False):
            assert render_episode.call(episode.pk) == "ready"
        assert Episode.objects.get().status == Episode.Status.READY

    def test_each_progress_mark_keeps_a_live_render_fresh(self, da_mo_xing, monkeypatch, media):
        """A long render is never taken for dead: every mark moves updated_at."""
        start = timezone.now()
        seen = []

        def slow(script, on_progress=None, deadline=None):
            for minutes in (4, 8, 12):
                with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
                    on_progress(minutes * 5)
                    episode = Episode.objects.get()
                    seen.append(episode.is_stale())
            return audio.Rendered(b"ID3" + bytes(600), [0.0] * len(script.lines), 1.0)

        monkeypatch.setattr(audio, "available", lambda: True)
        monkeypatch.setattr(audio, "render", slow)
        episode = Episode.objects.create(study_set=da_mo_xing)
        with time_machine.travel(start, tick=False):
            render_episode.call(episode.pk)
        assert seen == [False, False, False]

    def test_an_error_ends_failed_with_the_reason(self, da_mo_xing, fake_audio, monkeypatch):
        def broken(script, on_progress=None, deadline=None):
            raise OSError("磁盘已满")

        monkeypatch.setattr(audio, "render", broken)
        episode = Episode.objects.create(study_set=da_mo_xing)
        assert render_episode.call(episode.pk) == "failed"
        episode.refresh_from_db()
        assert (episode.status, episode.error) == (Episode.Status.FAILED, "磁盘已满")

    def test_unchanged_content_is_not_rendered_again(self, da_mo_xing, fake_audio, media):
        episode = Episode.objects.create(study_set=da_mo_xing)
        render_episode.call(episode.pk)
        render_episode.call(episode.pk)
        assert len(fake_audio) == 1
        assert Episode.objects.get().status == Episode.Status.READY

    def test_notes_changed_during_the_render_queue_another_where_a_worker_runs(
        self, da_mo_xing, fake_audio, media, monkeypatch, queued, django_capture_on_commit_callbacks
    ):
        fake = audio.render

        def edited_meanwhile(script, on_progress=None, deadline=None):
            StudySet.objects.filter(pk=da_mo_xing.pk).update(title="大模型(新)")
            return fake(script, on_progress, deadline)

        monkeypatch.setattr(audio, "render", edited_meanwhile)
        episode = Episode.objects.create(study_set=da_mo_xing)
        with django_capture_on_commit_callbacks(execute=True):
            assert render_episode.call(episode.pk) == "ready, changed since"
        assert len(queued) == 1
        assert Episode.objects.get().status == Episode.Status.PENDING

    @pytest.mark.skipif(not audio.available(), reason="audio extra not installed")
    def test_a_render_stops_at_its_deadline(self):
        from podcasts.script import Section, build_script

        script = build_script("大模型", [Section("概念", "- 大模型。\n" * 20)], [])
        with pytest.raises(audio.RenderTimeout):
            audio.render(script, deadline=0.0)


class TestContentChanges:
    def test_with_a_worker_an_edit_queues_one_render_on_commit(
        self, da_mo_xing, queued, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
            for note in da_mo_xing.notes.all():
                note.body += "- 新的一点。\n"
                note.save()
            make_question(da_mo_xing, prompt="新题?")
            assert queued == []  # nothing before the commit
        assert len([c for c in callbacks if hasattr(c, "study_set_id")]) == 1
        assert len(queued) == 1
        assert Episode.objects.get().status == Episode.Status.PENDING

    def test_with_a_worker_a_new_set_gets_its_render_queued(
        self, db, queued, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            study_set = StudySet.objects.create(slug="xin", title="新集")
            make_note(study_set, title="概念", body="- 一点。")
        assert len(queued) == 1
        assert Episode.objects.get().study_set == study_set

    def test_deleting_a_set_queues_nothing(
        self, da_mo_xing, queued, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            da_mo_xing.delete()
        assert queued == []
        assert not Episode.objects.exists()

    def test_loading_a_fixture_queues_nothing(self, db, queued, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            call_command("loaddata", "da-mo-xing", verbosity=0)
        assert callbacks == []
        assert queued == []

    def test_with_the_immediate_backend_an_edit_renders_nothing(
        self, da_mo_xing, fake_audio, django_capture_on_commit_callbacks
    ):
        """Else an admin save would render inside its request: the page offers 生成音频."""
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            note = da_mo_xing.notes.first()
            note.body += "- 新的一点。\n"
            note.save()
        assert callbacks == []
        assert fake_audio == []
        assert not Episode.objects.exists()
