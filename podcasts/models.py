"""A set's podcast episode: the script, and the audio rendered from it.

Rendering is a background task (`podcasts.tasks.render_episode`). A page view
only reads: it compares the hash of the set's current notes and questions with
the episode's and shows the player, the progress, the failure or a 生成音频
button. A render is queued by a POST (生成音频, 重试), by `build_podcasts`, by
the admin's 重新生成, or — where a worker runs tasks — when the content changes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.db import models, transaction
from django.db.models import Q
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone

from notes.models import StudySet
from podcasts import script as scripting
from podcasts import speech
from quizzes.kinds import CHOICE_KINDS

# A render marks its progress every few lines, which moves `updated_at`; a job
# queued or rendering whose row has not moved for this long died with its worker
# (or was never picked up) and shows as failed, with 重试.
STALE_AFTER = timedelta(minutes=5)

# Sent (with `episode_id`) once a claimed render's transaction commits; the
# receiver in podcasts.signals enqueues `podcasts.tasks.render_episode`. The
# task imports this module, so this module names the task only through the signal.
render_requested = Signal()


class Phase(models.TextChoices):
    """What the podcast page shows, worked out without saving anything."""

    MISSING = "missing", "未生成"
    OUTDATED = "outdated", "内容已更新"
    WORKING = "working", "生成中"
    READY = "ready", "已就绪"
    FAILED = "failed", "生成失败"


@dataclass(frozen=True)
class Podcast:
    """The podcast page's episode (saved or not), its phase, and the chapters and
    transcript to show: the rendered ones with timings when the audio is current,
    otherwise those of the current script, without timings."""

    episode: Episode
    phase: Phase
    chapters: list[dict]
    transcript: list[dict]


class EpisodeQuerySet(models.QuerySet["Episode"]):
    def podcast(self, study_set: StudySet, now=None) -> Podcast:
        """What the set's podcast page shows. Reads only: never saves or queues."""
        inputs = Episode.script_for(study_set)
        digest = Episode.digest(inputs)
        episode = self.filter(study_set=study_set).first() or Episode(study_set=study_set)
        episode.study_set = study_set
        phase = episode.phase(digest, now)
        shown = episode
        if phase != Phase.READY:
            shown = Episode(script=scripting.build_script(*inputs).to_json())
        return Podcast(episode, phase, shown.chapters(), shown.transcript())

    def content_changed(self, study_set_id: int) -> None:
        """The set's notes or questions changed: queue a render, once."""
        study_set = StudySet.objects.filter(pk=study_set_id).first()
        if study_set is None:  # the set itself was deleted
            return
        episode, _created = self.get_or_create(study_set=study_set)
        episode.request_render()


class Episode(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "未生成"
        PENDING = "pending", "排队中"
        RENDERING = "rendering", "生成中"
        READY = "ready", "已就绪"
        FAILED = "failed", "生成失败"
        NO_AUDIO = "no_audio", "未安装语音组件"

    WORKING = (Status.PENDING, Status.RENDERING)

    study_set = models.OneToOneField(
        StudySet, on_delete=models.CASCADE, related_name="episode", verbose_name="学习集"
    )
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.NEW)
    progress = models.PositiveSmallIntegerField("进度", default=0)
    lines_done = models.PositiveIntegerField("已完成句数", default=0)
    content_hash = models.CharField("内容指纹", max_length=64, blank=True)
    script = models.JSONField("脚本", default=dict)
    line_starts = models.JSONField("每句开始时间", default=list)
    audio = models.FileField("音频", upload_to="podcasts/", blank=True)
    duration = models.FloatField("时长\uff08秒\uff09", null=True, blank=True)
    voice = models.CharField(
        "语音",
        max_length=200,
        blank=True,
        help_text="生成这段音频的语音\uff1beSpeak NG 或语音服务器的模型。",
    )
    error = models.TextField("错误", blank=True)
    updated_at = models.DateTimeField("更新于", auto_now=True)

    objects = EpisodeQuerySet.as_manager()

    class Meta:
        verbose_name = "播客节目"
        verbose_name_plural = "播客节目"

    def __str__(self) -> str:
        return f"{self.study_set} 播客"

    def get_absolute_url(self) -> str:
        return reverse("podcasts:podcast", args=[self.study_set.slug])

    @staticmethod
    def script_for(study_set: StudySet):
        """The inputs of the script: (title, sections, quiz questions with their
        options and explanations, cards with their backs)."""
        notes = list(study_set.notes.all())
        titles: dict[int | None, str] = {note.pk: note.title for note in notes}
        sections = [scripting.Section(note.title, note.body) for note in notes]
        questions = []
        for question in study_set.questions.filter(
            is_draft=False, kind__in=CHOICE_KINDS
        ).prefetch_related("choices"):
            choices = list(question.choices.all())
            questions.append(
                scripting.QuizQuestion(
                    question.prompt,
                    "\uff1b".join(c.text for c in choices if c.is_correct),
                    options=tuple(c.text for c in choices),
                    right=tuple(c.text for c in choices if c.is_correct),
                    explanation=question.explanation,
                    section=titles.get(question.note_id, ""),
                    kind=question.kind,
                )
            )
        cards = [
            scripting.Card(card.front, card.back, titles.get(card.note_id, ""))
            for card in study_set.cards.filter(is_draft=False)
        ]
        return study_set.title, sections, questions, cards

    @staticmethod
    def digest(inputs) -> str:
        """The content hash that decides whether the audio is current: the
        script's inputs and, where a speech server is configured, its server,
        model and voices, so a change of voice renders again. With eSpeak NG
        it is the script's own hash, as it always was."""
        plain = scripting.content_hash(*inputs)
        server = speech.config()
        if server is None:
            return plain
        return hashlib.sha256(f"{plain}\n{server.key}".encode()).hexdigest()

    @classmethod
    def current_digest(cls, study_set: StudySet) -> str:
        return cls.digest(cls.script_for(study_set))

    @property
    def parsed_script(self) -> scripting.Script | None:
        return scripting.Script.from_json(self.script) if self.script else None

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY and bool(self.audio)

    @property
    def is_working(self) -> bool:
        return self.status in self.WORKING

    def is_stale(self, now=None) -> bool:
        """Queued or rendering, but untouched for longer than a live render ever is."""
        return self.is_working and self.updated_at < (now or timezone.now()) - STALE_AFTER

    def phase(self, digest: str, now=None) -> Phase:
        """What the page shows for a set whose current content hashes to `digest`."""
        if self.pk is None:
            return Phase.MISSING
        if self.is_working:
            return Phase.FAILED if self.is_stale(now) else Phase.WORKING
        if self.status == self.Status.FAILED:
            return Phase.FAILED
        if self.is_ready:
            return Phase.READY if self.content_hash == digest else Phase.OUTDATED
        return Phase.MISSING  # never rendered, or rendered before the audio extra was installed

    def request_render(self, digest: str | None = None, *, force: bool = False) -> bool:
        """Queue a render unless one is already queued or running (a double click
        queues one), or, given the current `digest`, the audio is already current.
        `force` renders even unchanged content (admin's 重新生成). Returns whether
        a render was queued. The task is enqueued once this transaction commits, so
        a worker never sees it before the row it renders, and the immediate backend
        renders outside the caller's transaction."""
        now = timezone.now()
        busy = Q(status__in=self.WORKING, updated_at__gte=now - STALE_AFTER)
        if digest and not force:
            busy |= Q(status=self.Status.READY, content_hash=digest) & ~Q(audio="")
        fields = {
            "status": self.Status.PENDING,
            "progress": 0,
            "lines_done": 0,
            "error": "",
            "updated_at": now,
        }
        if force:
            fields["content_hash"] = ""
        with transaction.atomic():
            claimed = Episode.objects.filter(pk=self.pk).exclude(busy).update(**fields)
            if claimed:
                transaction.on_commit(self._enqueue)
        self.refresh_from_db()
        return bool(claimed)

    def _enqueue(self) -> None:
        render_requested.send(sender=Episode, episode_id=self.pk)

    def chapters(self) -> list[dict]:
        """Each chapter's title and start time, from the rendered line timings."""
        script = self.parsed_script
        if not script or len(self.line_starts) != len(script.lines):
            return [
                {"title": title, "start": None} for title in (script.chapters if script else [])
            ]
        firsts: dict[int, float] = {}
        for line, start in zip(script.lines, self.line_starts, strict=True):
            firsts.setdefault(line.chapter, start)
        return [{"title": title, "start": firsts.get(i)} for i, title in enumerate(script.chapters)]

    def transcript(self) -> list[dict]:
        script = self.parsed_script
        if not script:
            return []
        starts = (
            self.line_starts
            if len(self.line_starts) == len(script.lines)
            else [None] * len(script.lines)
        )
        ends = [*starts[1:], self.duration]
        return [
            {
                "speaker": line.speaker,
                "text": line.text,
                "start": start,
                "end": end,
                "chapter": line.chapter,
            }
            for line, start, end in zip(script.lines, starts, ends, strict=True)
        ]

    def mark(self, **fields) -> None:
        fields["updated_at"] = timezone.now()
        Episode.objects.filter(pk=self.pk).update(**fields)
        for name, value in fields.items():
            setattr(self, name, value)
