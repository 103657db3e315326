"""A learner's settings (study preferences) and the abstract memory of one item,
which every app may read."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from learners import scheduling

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
        "每天新内容数",
        default=20,
        validators=[MaxValueValidator(500)],
        help_text="每天最多开始学的新卡片和新题目\uff08合计\uff09。",
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


class MemoryState(models.Model):
    """FSRS memory of one item (a card, a question) for one learner: always the
    result of their latest review. Subclasses add the learner and the item."""

    class State(models.IntegerChoices):
        LEARNING = scheduling.LEARNING, "学习中"
        REVIEW = scheduling.REVIEW, "复习"
        RELEARNING = scheduling.RELEARNING, "重新学习"

    state = models.PositiveSmallIntegerField("状态", choices=State.choices)
    step = models.PositiveSmallIntegerField("学习步骤", null=True, blank=True)
    stability = models.FloatField("稳定性", null=True, blank=True)
    difficulty = models.FloatField("难度", null=True, blank=True)
    due = models.DateTimeField("到期")
    last_review = models.DateTimeField("上次复习", null=True, blank=True)
    reps = models.PositiveIntegerField("复习次数", default=0)
    lapses = models.PositiveIntegerField("遗忘次数", default=0)

    # The learning steps of this kind of item (see scheduling).
    steps: tuple[timedelta, ...] = scheduling.CARD_STEPS

    class Meta:
        abstract = True

    @property
    def memory(self) -> scheduling.Memory:
        return scheduling.Memory(
            self.state, self.step, self.stability, self.difficulty, self.due, self.last_review
        )

    def apply(self, memory: scheduling.Memory, rating: int) -> None:
        self._set_memory(memory)
        self.reps += 1

    def review(self, rating: int, now: datetime, *, desired_retention: float = 0.9) -> None:
        """Schedule this item after a review with `rating` at `now` (the server's
        clock), counting a lapse as Anki does. The caller saves."""
        now = now.astimezone(UTC)  # fsrs reckons in UTC
        before = self.memory if self.last_review is not None else None
        after = scheduling.review(
            before,
            rating,
            now,
            desired_retention=desired_retention,
            fuzz=settings.FSRS_FUZZ,
            steps=self.steps,
        )
        if before and scheduling.is_lapse(before.state, rating):
            self.lapses += 1
        self.apply(after, rating)

    def retrievability(self, now: datetime) -> float:
        """The predicted probability, 0–1, that the learner recalls the item now."""
        return scheduling.retrievability(self.memory, now.astimezone(UTC))

    def _set_memory(self, memory: scheduling.Memory) -> None:
        self.state, self.step, self.stability, self.difficulty = (
            memory.state,
            memory.step,
            memory.stability,
            memory.difficulty,
        )
        self.due, self.last_review = memory.due, memory.last_review
