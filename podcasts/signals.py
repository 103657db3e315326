"""A change to a set's notes or questions queues its podcast render, once the
change commits — where a worker runs tasks (see `renders_follow_changes`).
A render an episode claims (`Episode.request_render`) is enqueued here too."""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from notes.models import Note, StudySet
from podcasts.models import Episode, render_requested
from podcasts.tasks import render_episode, renders_follow_changes
from quizzes.models import Choice, Question


@receiver(render_requested)
def _enqueue_render(sender, episode_id: int, **kwargs) -> None:
    render_episode.enqueue(episode_id)


class _QueueRender:
    """An on-commit callback that knows its set, so one transaction that saves
    fifty notes queues one render."""

    def __init__(self, study_set_id: int):
        self.study_set_id = study_set_id

    def __call__(self) -> None:
        Episode.objects.content_changed(self.study_set_id)


def _changed(study_set_id: int | None) -> None:
    if study_set_id is None:
        return
    waiting = (callback for _savepoints, callback, *_ in connection.run_on_commit)
    if any(getattr(callback, "study_set_id", None) == study_set_id for callback in waiting):
        return
    transaction.on_commit(_QueueRender(study_set_id))


@receiver([post_save, post_delete], sender=Note)
@receiver([post_save, post_delete], sender=Question)
def _note_or_question_changed(sender, instance, raw=False, **kwargs) -> None:
    if raw or not renders_follow_changes():  # loaddata, or no worker
        return
    _changed(instance.study_set_id)


@receiver([post_save, post_delete], sender=Choice)
def _choice_changed(sender, instance, raw=False, **kwargs) -> None:
    if raw or not renders_follow_changes():
        return
    _changed(
        Question.objects.filter(pk=instance.question_id)
        .values_list("study_set_id", flat=True)
        .first()
    )


@receiver(post_save, sender=StudySet)
def _title_changed(sender, instance, raw=False, **kwargs) -> None:
    if raw or not renders_follow_changes():
        return
    _changed(instance.pk)
