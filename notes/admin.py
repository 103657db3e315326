from django.contrib import admin
from django.utils.html import format_html

from notes.models import Note, StudySet
from notes.rendering import render_safe
from studysite.forms import TypesetModelForm


class LabelledListEditable:
    """A changelist's editable column (位置) is labelled only by its header: name
    each input so screen readers (and axe) know what it is."""

    def get_changelist_formset(self, request, **kwargs):
        formset = super().get_changelist_formset(request, **kwargs)
        for name in self.list_editable:
            field = formset.form.base_fields[name]
            field.widget.attrs["aria-label"] = str(field.label)
        return formset


class NeedsContentFilter(admin.SimpleListFilter):
    """待完善 / 已完成, for the admin list of any StudyItem (questions, cards)."""

    title = "内容"
    parameter_name = "needs_content"

    def lookups(self, request, model_admin):
        return [("yes", "待完善"), ("no", "已完成")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.drafts()
        if self.value() == "no":
            return queryset.published()
        return queryset


@admin.display(description="内容", ordering="is_draft")
def content_status(obj) -> str:
    """⚠ 待完善 on a draft, ✓ 已完成 on a publishable item, for questions and cards.

    Not Django's boolean icons: a green ✓ under 待完善 read as "yes, needs work".
    """
    if obj.is_draft:
        return format_html('<span class="content-status--draft">{}</span>', "⚠ 待完善")
    return "✓ 已完成"


class NoteInline(admin.TabularInline):
    model = Note
    form = TypesetModelForm
    fields = ["position", "title"]
    extra = 0
    show_change_link = True
    ordering = ["position"]


@admin.register(StudySet)
class StudySetAdmin(LabelledListEditable, admin.ModelAdmin):
    form = TypesetModelForm
    list_display = ["title", "slug", "note_count", "question_count", "card_count", "position"]
    list_editable = ["position"]
    search_fields = ["title", "slug", "description"]
    ordering = ["position", "pk"]
    inlines = [NoteInline]
    change_list_template = "admin/notes/studyset/change_list.html"
    change_form_template = "admin/notes/studyset/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts()

    @admin.display(description="笔记", ordering="note_count")
    def note_count(self, obj):
        return obj.note_count

    @admin.display(description="题目", ordering="question_count")
    def question_count(self, obj):
        return obj.question_count

    @admin.display(description="卡片", ordering="card_count")
    def card_count(self, obj):
        return obj.card_count


@admin.register(Note)
class NoteAdmin(LabelledListEditable, admin.ModelAdmin):
    form = TypesetModelForm
    list_display = ["__str__", "study_set", "position"]
    list_editable = ["position"]
    list_filter = ["study_set"]
    search_fields = ["title", "body"]
    ordering = ["study_set", "position"]
    readonly_fields = ["preview"]
    fields = ["study_set", "position", "title", "body", "preview"]

    @admin.display(description="预览\uff08保存后更新\uff09")
    def preview(self, obj):
        if not obj.pk:
            return "保存后显示预览。"
        return format_html('<div class="markdown-preview">{}</div>', render_safe(obj.body))
