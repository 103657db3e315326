"""The generation task on its own: progress, the set it saves, and its failures."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from generator import tasks
from generator.models import Generation
from interchange.document import FormatError
from notes.models import StudySet
from tests.generator.test_generate import BIOLOGY

pytestmark = pytest.mark.django_db


@pytest.fixture
def generation(learner):
    return Generation.objects.create(owner=learner, title="细胞生物学", notes=BIOLOGY)


def run(generation: Generation) -> str:
    result = tasks.generate.call(generation.pk)
    generation.refresh_from_db()
    return result


def test_generates_and_saves_a_private_set_of_drafts(generation, learner, monkeypatch):
    seen = []
    real = tasks.generate_set

    def watched(text, title):
        seen.append(Generation.objects.values_list("status", "progress").get(pk=generation.pk))
        return real(text, title)

    monkeypatch.setattr(tasks, "generate_set", watched)
    assert run(generation) == "done"
    assert seen == [(Generation.Status.RUNNING, 10)]
    assert generation.status == Generation.Status.DONE
    assert generation.progress == 100
    study_set = generation.study_set
    assert re.fullmatch(r"xi-bao-sheng-wu-xue-[0-9a-f]{6}", study_set.slug)
    assert study_set.owner == learner
    assert not study_set.is_public
    assert generation.card_count == study_set.cards.count() >= 8
    assert generation.question_count == study_set.questions.count()
    assert not study_set.cards.filter(is_draft=False).exists()
    assert generation.notes == ""  # the set holds the notes now: no second copy


def test_reports_generated_before_saving(generation, monkeypatch):
    seen = []
    real = tasks.store.save

    def watched(doc, **kwargs):
        seen.append(Generation.objects.values_list("status", "progress").get(pk=generation.pk))
        return real(doc, **kwargs)

    monkeypatch.setattr(tasks.store, "save", watched)
    run(generation)
    assert seen == [(Generation.Status.RUNNING, 70)]


def test_input_without_definitions_fails_with_the_reason(generation):
    generation.notes = "今天天气很好\uff0c我们去公园散步。"
    generation.save()
    assert run(generation) == "failed"
    assert generation.status == Generation.Status.FAILED
    assert "没有找到可以出题的定义" in generation.error
    assert generation.notes  # kept, so the form can offer them again
    assert not StudySet.objects.exists()


def test_an_unexpected_error_fails_with_a_chinese_message(generation, monkeypatch):
    def broken(text, title):
        raise RuntimeError("connection reset by peer")

    monkeypatch.setattr(tasks, "generate_set", broken)
    assert run(generation) == "failed"
    assert generation.status == Generation.Status.FAILED
    assert "生成时出错" in generation.error
    assert "connection reset" not in generation.error
    assert not StudySet.objects.exists()


def test_a_failed_save_leaves_no_half_set(generation, monkeypatch):
    def broken(doc, **kwargs):
        StudySet.objects.filter(slug=kwargs["slug"]).update(description="半成品")
        raise FormatError("写入失败")

    monkeypatch.setattr(tasks.store, "save", broken)
    assert run(generation) == "failed"
    assert generation.status == Generation.Status.FAILED
    assert not StudySet.objects.exists()


def test_runs_once_however_often_it_is_queued(generation):
    assert run(generation) == "done"
    assert run(generation) == "skipped"
    assert StudySet.objects.count() == 1


def test_a_slug_taken_meanwhile_gets_the_next_one(generation, monkeypatch, django_user_model):
    """Another worker creates the same slug between the check and the insert: the
    task takes the next free slug and never writes into someone else's set."""
    someone = django_user_model.objects.create_user("someone", password="x-pass-1234")
    calls = []

    def racing(title):
        calls.append(title)
        if len(calls) == 1:
            StudySet.objects.create(slug="xi-bao-sheng-wu-xue", title="别人的", owner=someone)
            return "xi-bao-sheng-wu-xue"
        return "xi-bao-sheng-wu-xue-2"

    monkeypatch.setattr(tasks, "free_slug", racing)
    assert run(generation) == "done"
    assert generation.study_set.slug == "xi-bao-sheng-wu-xue-2"
    assert not StudySet.objects.get(slug="xi-bao-sheng-wu-xue").cards.exists()


class TestStale:
    def test_running_too_long_counts_as_failed(self, generation):
        Generation.objects.filter(pk=generation.pk).update(status=Generation.Status.RUNNING)
        generation.refresh_from_db()
        assert generation.state == Generation.Status.RUNNING
        with time_machine.travel(timezone.now() + Generation.STALE_RUNNING + timedelta(seconds=1)):
            assert generation.state == Generation.Status.FAILED
            assert "超时" in generation.shown_error
            assert not generation.is_working
            assert tasks.retry(generation)
        generation.refresh_from_db()
        assert generation.status == Generation.Status.DONE  # requeued and, immediately, run

    def test_queued_too_long_counts_as_failed(self, generation):
        with time_machine.travel(timezone.now() + Generation.STALE_QUEUED + timedelta(seconds=1)):
            assert generation.state == Generation.Status.FAILED
            assert "没有开始" in generation.shown_error
        with time_machine.travel(timezone.now() + Generation.STALE_QUEUED - timedelta(seconds=5)):
            assert generation.state == Generation.Status.QUEUED

    def test_a_superseded_run_does_not_save(self, generation, monkeypatch):
        """The worker was only slow: by the time it saves, the job was declared
        stale and queued again. Its result is dropped; the new run saves."""
        real = tasks.generate_set

        def slow(text, title):
            Generation.objects.filter(pk=generation.pk).update(status=Generation.Status.QUEUED)
            return real(text, title)

        monkeypatch.setattr(tasks, "generate_set", slow)
        assert run(generation) == "superseded"
        assert not StudySet.objects.exists()
        assert generation.status == Generation.Status.QUEUED
