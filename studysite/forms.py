"""Form plumbing shared by the apps."""

from __future__ import annotations

from django import forms

from studysite.chinese import typeset


class TypesetMixin:
    """Text a person types for others to read is stored with Chinese punctuation.

    Mixed into every form that edits content (admin's notes, questions, options,
    cards and sets; an owner's edit of a generated draft), so an edit is
    typeset on save exactly as an import is (`SetDoc.typeset`).
    """

    def clean(self):
        cleaned = super().clean()  # type: ignore[misc]
        for name, value in cleaned.items():
            if isinstance(value, str):
                cleaned[name] = typeset(value)
        return cleaned


class TypesetModelForm(TypesetMixin, forms.ModelForm):
    """The admin's form for content models."""
