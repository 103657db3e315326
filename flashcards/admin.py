from django import forms
from django.contrib import admin

from flashcards.completeness import card_problems
from flashcards.models import Card, ReviewLog
from notes.admin import LabelledListEditable, NeedsContentFilter, content_status
from studysite.forms import TypesetModelForm


class CardAdminForm(TypesetModelForm):
    class Meta:
        model = Card
        fields = ["study_set", "position", "front", "back", "note", "is_draft"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_draft") or "front" in self.errors:
            return cleaned
        if problems := card_problems(cleaned.get("front") or "", cleaned.get("back") or ""):
            # A card may be saved incomplete as a draft: say so.
            raise forms.ValidationError(
                [f"{problem.removesuffix('。')}\uff0c或勾选“待完善”。" for problem in problems]
            )
        return cleaned


@admin.register(Card)
class CardAdmin(LabelledListEditable, admin.ModelAdmin):
    list_display = ["front", "study_set", content_status, "note", "position"]
    list_editable = ["position"]
    list_filter = ["study_set", NeedsContentFilter]
    search_fields = ["front", "back"]
    ordering = ["study_set", "position"]
    list_select_related = ["study_set", "note"]
    fields = ["study_set", "position", "front", "back", "note", "is_draft"]
    form = CardAdminForm


@admin.register(ReviewLog)
class ReviewLogAdmin(admin.ModelAdmin):
    """Read-only: the append-only review log."""

    list_display = ["reviewed_at", "user", "card", "rating", "state_after", "due_after"]
    list_filter = ["rating"]
    list_select_related = ["user", "card"]
    readonly_fields = [f.name for f in ReviewLog._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
