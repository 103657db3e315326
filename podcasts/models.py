"""A set's podcast episode: the script, and the audio rendered from it."""

from __future__ import annotations

from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from notes.models import StudySet
from podcasts import script as scripting


class EpisodeQuerySet(models.QuerySet):
    def for_set(self, study_set: StudySet) -> Episode:
        """The set's episode with a script for its current notes; queues a render
        when the notes or questions changed since the last one."""
        current = Episode.script_for(study_set)
        digest = scripting.content_hash(*current)
        episode, _created = self.get_or_create(study_set=study_set)
        if episode.content_hash != digest:
            with transaction.atomic():
                # Only the request that changes the hash queues the render.
                updated = (
                    Episode.objects.filter(pk=episode.pk)
                    .exclude(content_hash=digest)
                    .update(
                        content_hash=digest,
                        script=scripting.build_script(*current).to_json(),
                        status=Episode.Status.PENDING,
                        progress=0,
                        error="",
                    )
                )
            if updated:
                episode.queue_render()  # immediate backend: renders now
            episode.refresh_from_db()
        return episode


class Episode(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "排队中"
        RENDERING = "rendering", "生成中"
        READY = "ready", "已就绪"
        FAILED = "failed", "生成失败"
        NO_AUDIO = "no_audio", "未安装语音组件"

    study_set = models.OneToOneField(
        StudySet, on_delete=models.CASCADE, related_name="episode", verbose_name="学习集"
    )
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField("进度", default=0)
    content_hash = models.CharField("内容指纹", max_length=64, blank=True)
    script = models.JSONField("脚本", default=dict)
    line_starts = models.JSONField("每句开始时间", default=list)
    audio = models.FileField("音频", upload_to="podcasts/", blank=True)
    duration = models.FloatField("时长(秒)", null=True, blank=True)
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
        """The inputs of the script: (title, sections, quiz questions with answers)."""
        sections = [scripting.Section(note.title, note.body) for note in study_set.notes.all()]
        questions = [
            scripting.QuizQuestion(
                question.prompt, ";".join(c.text for c in question.choices.all() if c.is_correct)
            )
            for question in study_set.questions.filter(
                is_draft=False, kind__in=["single", "multiple", "true_false"]
            ).prefetch_related("choices")
        ]
        return study_set.title, sections, questions

    @property
    def parsed_script(self) -> scripting.Script | None:
        return scripting.Script.from_json(self.script) if self.script else None

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY and bool(self.audio)

    @property
    def is_working(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RENDERING)

    def queue_render(self) -> None:
        """Queue (or, with the immediate backend, run) the render. With the database
        backend the task row commits with the caller's transaction, so the worker
        never sees a task before the episode it renders."""
        from podcasts.tasks import render_episode

        render_episode.enqueue(self.pk)

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
