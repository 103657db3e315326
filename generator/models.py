"""A learner's request to turn notes into a set, worked off by a background task."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from notes.models import StudySet


class Busy(Exception):
    """The learner already has as many jobs waiting as one may."""


class GenerationQuerySet(models.QuerySet["Generation"]):
    def start(self, owner, *, title: str, notes: str, token) -> tuple[Generation, bool]:
        """(the job for one submitted form, whether it is new): a new one, or the
        one this form already made (a double click). Raises Busy when the learner
        already has MAX_ACTIVE jobs working. Queuing is `generator.tasks.submit`'s."""
        mine = self.filter(owner=owner)
        if earlier := mine.filter(token=token).first():
            return earlier, False
        if mine.working().count() >= Generation.MAX_ACTIVE:
            raise Busy(
                f"你已有 {Generation.MAX_ACTIVE} 个学习集正在生成\uff1a请等它们完成后再提交。"
            )
        try:
            with transaction.atomic():
                generation = self.create(owner=owner, title=title, notes=notes, token=token)
        except IntegrityError:  # the double click's twin got there first
            return mine.get(token=token), False
        return generation, True

    def working(self, now=None) -> GenerationQuerySet:
        """Queued or running and not yet stale: the jobs a learner is waiting for."""
        now = now or timezone.now()
        return self.filter(
            Q(status=Generation.Status.QUEUED, updated_at__gt=now - Generation.STALE_QUEUED)
            | Q(status=Generation.Status.RUNNING, updated_at__gt=now - Generation.STALE_RUNNING)
        )


class Generation(models.Model):
    """One "notes → new study set" job: what was asked, how far it got, what came out."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "生成中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    # A job with no news for this long is taken as dead (a worker crashed or was
    # killed, or no worker runs): the page says so and offers 重试. Generation is
    # bounded (an LLM call of at most 20 s, or the linear embedded generator), so
    # a running job is stale long before this; a queued one may wait behind
    # podcast renders, so it is given longer.
    STALE_RUNNING = timedelta(minutes=5)
    STALE_QUEUED = timedelta(minutes=15)
    # Jobs one learner may have waiting at once; more is refused with a 429.
    MAX_ACTIVE = 3

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="generations",
        verbose_name="学员",
    )
    title = models.CharField("标题", max_length=100)
    notes = models.TextField("笔记", blank=True, help_text="生成成功后清空\uff1a学习集里已有笔记。")
    token = models.UUIDField("表单令牌", null=True, blank=True, editable=False)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField("进度", default=0)
    error = models.TextField("错误", blank=True)
    notes_at_fault = models.BooleanField(
        "笔记本身的问题", default=False, help_text="重试不会有别的结果：需要修改笔记。"
    )
    study_set = models.ForeignKey(
        StudySet,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="学习集",
    )
    card_count = models.PositiveIntegerField("卡片数", default=0)
    question_count = models.PositiveIntegerField("题目数", default=0)
    skipped_count = models.PositiveIntegerField(
        "未生成", default=0, help_text="超出每个学习集上限（300 张卡片、300 道题）的条目数"
    )
    created_at = models.DateTimeField("提交于", auto_now_add=True)
    started_at = models.DateTimeField("开始于", null=True, blank=True)
    updated_at = models.DateTimeField("更新于", auto_now=True)

    objects = GenerationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "生成任务"
        verbose_name_plural = "生成任务"
        constraints = [
            # The form's one-time token: a double click makes one job, not two.
            models.UniqueConstraint(fields=["owner", "token"], name="generation_once_per_form")
        ]

    def __str__(self) -> str:
        return f"{self.title}\uff08{self.get_status_display()}\uff09"

    def get_absolute_url(self) -> str:
        return reverse("generator:progress", args=[self.pk])

    @property
    def is_stale(self) -> bool:
        limit: dict[str, timedelta] = {
            self.Status.QUEUED: self.STALE_QUEUED,
            self.Status.RUNNING: self.STALE_RUNNING,
        }
        age = timezone.now() - self.updated_at
        return self.status in limit and age > limit[self.status]

    @property
    def state(self) -> str:
        """The status as the learner should see it: a stale job has failed."""
        return self.Status.FAILED if self.is_stale else self.status

    @property
    def is_working(self) -> bool:
        return self.state in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def stage(self) -> str:
        if self.state == self.Status.QUEUED:
            return "排队中\uff0c马上开始"
        return "正在保存学习集" if self.progress >= 70 else "正在从笔记生成卡片和题目"

    @property
    def shown_error(self) -> str:
        if self.is_stale and self.status == self.Status.RUNNING:
            minutes = int(self.STALE_RUNNING.total_seconds() // 60)
            return f"生成超时\uff08{minutes} 分钟没有进展\uff09\uff0c可能是后台任务中断了。请重试。"
        if self.is_stale:
            return "后台任务迟迟没有开始\uff0c可能没有运行任务进程。请稍后重试\uff0c或联系管理员。"
        return self.error

    @property
    def can_retry(self) -> bool:
        """Failed for a reason that may pass (a crash, a timeout), not for the notes."""
        return self.state == self.Status.FAILED and not (self.notes_at_fault and not self.is_stale)

    def requeue(self) -> bool:
        """Mark a failed (or stale) job queued again; False if it is working or
        done. `generator.tasks.retry` queues the task."""
        if self.state != self.Status.FAILED:
            return False
        updated = Generation.objects.filter(
            pk=self.pk, status=self.status, updated_at=self.updated_at
        ).update(
            status=self.Status.QUEUED,
            progress=0,
            error="",
            notes_at_fault=False,
            updated_at=timezone.now(),
        )
        return bool(updated)
