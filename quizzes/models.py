"""Questions and their choices."""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from notes.models import Note, StudySet


class Question(models.Model):
    """A quiz question of one of four kinds.

    Choice kinds list their options as `Choice` rows, with the right ones marked.
    A fill-in-blank question keeps its accepted answers as `Choice` rows too, all
    marked right; they are never shown as options.
    """

    class Kind(models.TextChoices):
        SINGLE = "single", "单选题"
        MULTIPLE = "multiple", "多选题"
        TRUE_FALSE = "true_false", "判断题"
        FILL_BLANK = "fill_blank", "填空题"

    study_set = models.ForeignKey(
        StudySet, on_delete=models.CASCADE, related_name="questions", verbose_name="学习集"
    )
    position = models.PositiveIntegerField("排序", default=0)
    kind = models.CharField("题型", max_length=16, choices=Kind.choices, default=Kind.SINGLE)
    prompt = models.TextField("题干")
    explanation = models.TextField("解析 (Markdown)", blank=True)
    note = models.ForeignKey(
        Note,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name="出处章节",
    )

    class Meta:
        ordering = ["study_set", "position", "pk"]
        verbose_name = "题目"
        verbose_name_plural = "题目"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["single", "multiple", "true_false", "fill_blank"]),
                name="question_kind_valid",
            )
        ]

    def __str__(self) -> str:
        return self.prompt

    def get_absolute_url(self) -> str:
        return f"{reverse('notes:overview', args=[self.study_set.slug])}#question-{self.pk}"

    @property
    def shows_options(self) -> bool:
        return self.kind != self.Kind.FILL_BLANK


class Choice(models.Model):
    """An option of a question, or an accepted answer of a fill-in-blank question."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="choices", verbose_name="题目"
    )
    position = models.PositiveIntegerField("排序", default=0)
    text = models.CharField("选项", max_length=500)
    is_correct = models.BooleanField("正确", default=False)

    class Meta:
        ordering = ["question", "position", "pk"]
        verbose_name = "选项"
        verbose_name_plural = "选项"

    def __str__(self) -> str:
        return self.text
