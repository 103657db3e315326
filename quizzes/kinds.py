"""The four question kinds, defined once. No ORM models here: the pure modules
(grading, items, interchange's documents) import it as freely as the models do.
`Question.Kind` is this class."""

from __future__ import annotations

from django.db import models


class Kind(models.TextChoices):
    SINGLE = "single", "单选题"
    MULTIPLE = "multiple", "多选题"
    TRUE_FALSE = "true_false", "判断题"
    FILL_BLANK = "fill_blank", "填空题"


# Kinds answered by choosing options, and those whose answer is exactly one option.
CHOICE_KINDS = (Kind.SINGLE, Kind.MULTIPLE, Kind.TRUE_FALSE)
ONE_CHOICE_KINDS = (Kind.SINGLE, Kind.TRUE_FALSE)


def label(kind: str) -> str:
    """单选题 for "single"; an unknown kind as it is."""
    return str(Kind(kind).label) if kind in Kind.values else kind
