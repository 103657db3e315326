"""A learner's settings: their study preferences, which every app may read."""

from __future__ import annotations

import random
from typing import TypeVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

T = TypeVar("T")


class PreferencesQuerySet(models.QuerySet["Preferences"]):
    def for_user(self, user) -> Preferences:
        """The learner's preferences; defaults (unsaved) for anonymous or new learners."""
        if not user.is_authenticated:
            return Preferences()
        return self.filter(user=user).first() or Preferences(user=user)


class Preferences(models.Model):
    """A learner's study preferences, shown and edited on /me/."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="study_preferences",
        verbose_name="学员",
    )
    new_cards_per_day = models.PositiveSmallIntegerField(
        "每天新卡数", default=20, validators=[MaxValueValidator(500)]
    )
    desired_retention = models.FloatField(
        "目标记忆保持率",
        default=0.9,
        validators=[MinValueValidator(0.7), MaxValueValidator(0.99)],
        help_text="0.70–0.99\uff1b越高复习越频繁。",
    )

    class QuizOrder(models.TextChoices):
        SET = "set", "按学习集顺序"
        RANDOM = "random", "随机顺序"

    class Explanations(models.TextChoices):
        IMMEDIATE = "immediate", "每题作答后立即显示"
        END = "end", "全部答完后在结果页显示"

    quiz_length = models.PositiveSmallIntegerField(
        "每次测验题数",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
        help_text="1–200；留空表示全部题目。",
    )
    quiz_order = models.CharField(
        "题目顺序", max_length=10, choices=QuizOrder.choices, default=QuizOrder.SET
    )
    explanations = models.CharField(
        "答案与解析", max_length=10, choices=Explanations.choices, default=Explanations.IMMEDIATE
    )

    objects = PreferencesQuerySet.as_manager()

    class Meta:
        verbose_name = "学习偏好"
        verbose_name_plural = "学习偏好"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(desired_retention__gte=0.7, desired_retention__lte=0.99),
                name="preferences_retention_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(quiz_length__isnull=True)
                | models.Q(quiz_length__gte=1, quiz_length__lte=200),
                name="preferences_quiz_length_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(new_cards_per_day__lte=500),
                name="preferences_new_cards_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} 的学习偏好"

    @property
    def explain_each(self) -> bool:
        """Show the answer and explanation after each question (else on the results page)."""
        return self.explanations == self.Explanations.IMMEDIATE

    def arrange(self, questions: list[T], *, cut: bool) -> list[T]:
        """The learner's order (and, when `cut`, length) applied to a quiz's questions."""
        questions = list(questions)
        if self.quiz_order == self.QuizOrder.RANDOM:
            random.SystemRandom().shuffle(questions)
        if cut and self.quiz_length:
            questions = questions[: self.quiz_length]
        return questions
