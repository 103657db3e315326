"""Flashcards."""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from notes.models import Note, StudySet


class Card(models.Model):
    """A flashcard: a term on the front, what it means on the back."""

    study_set = models.ForeignKey(
        StudySet, on_delete=models.CASCADE, related_name="cards", verbose_name="学习集"
    )
    position = models.PositiveIntegerField("排序", default=0)
    front = models.CharField("正面", max_length=300)
    back = models.TextField("背面")
    note = models.ForeignKey(
        Note,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cards",
        verbose_name="出处章节",
    )

    class Meta:
        ordering = ["study_set", "position", "pk"]
        verbose_name = "抽认卡"
        verbose_name_plural = "抽认卡"
        constraints = [
            models.UniqueConstraint(fields=["study_set", "front"], name="card_unique_front_in_set")
        ]

    def __str__(self) -> str:
        return self.front

    def get_absolute_url(self) -> str:
        return f"{reverse('notes:overview', args=[self.study_set.slug])}#card-{self.pk}"
