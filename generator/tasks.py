"""Generation runs as a background task (django-tasks): immediately in development
and tests, from the database queue (`manage.py db_worker`) in production."""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from generator.llm import generate_set
from generator.models import Generation
from interchange import store
from interchange.document import FormatError
from notes.models import StudySet

logger = logging.getLogger(__name__)

GENERATED = 70  # progress once the items exist and only saving is left
SLUG_TRIES = 5


@task()
def generate(generation_id: int) -> str:
    """Generate the cards and questions of one job, then save them as a private set."""
    started = timezone.now()
    # Claim the job: only a queued one runs, so a task queued twice runs once.
    claimed = Generation.objects.filter(pk=generation_id, status=Generation.Status.QUEUED).update(
        status=Generation.Status.RUNNING,
        progress=10,
        error="",
        started_at=started,
        updated_at=started,
    )
    if not claimed:
        return "skipped"
    generation = Generation.objects.select_related("owner").get(pk=generation_id)
    ours = Generation.objects.filter(
        pk=generation_id, status=Generation.Status.RUNNING, started_at=started
    )

    def fail(message: str, *, notes_at_fault: bool = False) -> str:
        ours.update(
            status=Generation.Status.FAILED,
            error=message,
            notes_at_fault=notes_at_fault,
            updated_at=timezone.now(),
        )
        return "failed"

    try:
        doc = generate_set(generation.notes, generation.title)
    except FormatError as error:  # the notes themselves: the message says what to change
        return fail(str(error), notes_at_fault=True)
    except Exception:
        logger.exception("generation %s failed", generation_id)
        return fail("生成时出错\uff0c请稍后重试。")
    ours.update(progress=GENERATED, updated_at=timezone.now())
    try:
        with transaction.atomic():
            # The update locks the job until commit. No row: it was declared stale
            # and queued again while this run worked, and the new run saves.
            if not ours.update(updated_at=timezone.now()):
                return "superseded"
            study_set = _new_private_set(generation.title, generation.owner)
            store.save(
                doc,
                slug=study_set.slug,
                title=study_set.title,
                owner=generation.owner,
                is_public=False,
            )
            ours.update(
                status=Generation.Status.DONE,
                progress=100,
                study_set=study_set,
                card_count=len(doc.cards),
                question_count=len(doc.questions),
                skipped_count=len(doc.skipped),
                notes="",
                updated_at=timezone.now(),
            )
    except Exception:
        logger.exception("saving generation %s failed", generation_id)
        return fail("保存学习集时出错\uff0c请重试。")
    return "done"


def free_slug(title: str) -> str:
    return StudySet.objects.free_slug(title, private=True)


def _new_private_set(title: str, owner) -> StudySet:
    """A new, empty set of the owner's. Created here rather than by store.save,
    which would write into whatever set holds the slug if another job took it
    between free_slug's check and the insert."""
    for _ in range(SLUG_TRIES):
        slug = free_slug(title)
        try:
            with transaction.atomic():
                return StudySet.objects.create(slug=slug, title=title, owner=owner, is_public=False)
        except IntegrityError:
            continue
    raise RuntimeError(f"no free slug for {title!r}")


def submit(owner, *, title: str, notes: str, token) -> Generation:
    """The job for one submitted form, queued once it is saved (so a worker never
    sees a task before its job): a double click gets the job it already made.
    Should queuing fail, the job goes stale and its page offers 重试."""
    generation, created = Generation.objects.start(owner, title=title, notes=notes, token=token)
    if created:
        generate.enqueue(generation.pk)
    return generation


def retry(generation: Generation) -> bool:
    """Queue a failed (or stale) job again; False if it is working or done."""
    requeued = generation.requeue()
    if requeued:
        generate.enqueue(generation.pk)
    return requeued
