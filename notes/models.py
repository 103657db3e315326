"""Study sets and their notes: the bottom of the app graph."""

from __future__ import annotations

from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.safestring import SafeString


def _count_of(model: type[models.Model]) -> Coalesce:
    """A correlated COUNT(*) of `model` rows in the outer set (no JOIN fan-out)."""
    counts = (
        model.objects.filter(study_set=OuterRef("pk"))
        .order_by()
        .values("study_set")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts), 0)


class StudySetQuerySet(models.QuerySet):
    def with_counts(self) -> StudySetQuerySet:
        """Annotate note, question and card counts, one query for any number of sets."""
        from flashcards.models import Card
        from quizzes.models import Question

        return self.annotate(
            note_count=_count_of(Note),
            question_count=_count_of(Question),
            card_count=_count_of(Card),
        )


class StudySet(models.Model):
    """A body of material to study: notes, questions and flashcards on one subject."""

    slug = models.SlugField("网址名", max_length=80, unique=True, allow_unicode=False)
    title = models.CharField("标题", max_length=200)
    description = models.TextField("简介", blank=True)
    position = models.PositiveIntegerField("排序", default=0)

    objects = StudySetQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "学习集"
        verbose_name_plural = "学习集"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("notes:overview", args=[self.slug])


class Note(models.Model):
    """One section of a set's study notes, in Markdown.

    A section without a title is the set's introduction: text that comes before
    the first heading in the source.
    """

    study_set = models.ForeignKey(
        StudySet, on_delete=models.CASCADE, related_name="notes", verbose_name="学习集"
    )
    position = models.PositiveIntegerField("排序", default=0)
    title = models.CharField("标题", max_length=200, blank=True)
    body = models.TextField("正文 (Markdown)")

    class Meta:
        ordering = ["study_set", "position", "pk"]
        verbose_name = "笔记章节"
        verbose_name_plural = "笔记章节"
        constraints = [
            models.UniqueConstraint(
                fields=["study_set", "position"], name="note_unique_position_in_set"
            )
        ]

    def __str__(self) -> str:
        return self.title or "(引言)"

    def get_absolute_url(self) -> str:
        return f"{reverse('notes:notes', args=[self.study_set.slug])}#{self.anchor}"

    @property
    def anchor(self) -> str:
        """The id of this section's heading on the notes page."""
        from notes.rendering import heading_id

        return heading_id(self.title) if self.title else "intro"

    @property
    def body_html(self) -> SafeString:
        """The body rendered through the one Markdown pipeline."""
        from notes.rendering import render_markdown

        return render_markdown(self.body)
