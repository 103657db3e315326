from django import forms
from django.contrib import admin
from django.db.models import Count, OuterRef, Subquery
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from notes.admin import LabelledListEditable, NeedsContentFilter, content_status
from notes.rendering import render_safe
from quizzes.completeness import question_problems
from quizzes.models import Answer, Attempt, Choice, Question, QuestionRevision
from studysite.forms import TypesetModelForm


class ChoiceFormSet(forms.BaseInlineFormSet):
    """The rules a published question must keep; a draft (待完善) may be incomplete."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["aria-label"] = "删除"

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if self.instance.is_draft:
            return
        options = [
            (form.cleaned_data.get("text") or "", bool(form.cleaned_data.get("is_correct")))
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if problems := question_problems(self.instance.kind, self.instance.prompt, options):
            raise forms.ValidationError(problems)


class ChoiceInline(admin.TabularInline):
    model = Choice
    form = TypesetModelForm
    formset = ChoiceFormSet
    fields = ["position", "text", "is_correct"]
    extra = 2
    ordering = ["position"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # Tabular inlines label their inputs only by the column header; name
        # each input so screen readers (and axe) know what it is.
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None:
            field.widget.attrs["aria-label"] = str(db_field.verbose_name)
        if db_field.name == "text":  # room for a Chinese sentence (templates/admin/base_site.html)
            field.widget.attrs["class"] = "choice-text"
        return field


class RevisionInline(admin.TabularInline):
    model = QuestionRevision
    fields = ["saved_at", "saved_by", "summary"]
    readonly_fields = fields  # type: ignore[assignment]  # only names: no fieldset groups
    extra = 0
    can_delete = False
    max_num = 0
    verbose_name_plural = "修改历史"

    @admin.display(description="当时的内容")
    def summary(self, obj):
        data = obj.data
        return format_html(
            "{}<br>{}",
            data.get("prompt", ""),
            format_html_join(
                "",
                "{}{}<br>",
                (("✓ " if right else "· ", text) for text, right in data.get("choices", [])),
            ),
        )


@admin.register(Question)
class QuestionAdmin(LabelledListEditable, admin.ModelAdmin):
    form = TypesetModelForm
    list_display = [
        "short_prompt",
        "study_set",
        "kind",
        content_status,
        "choice_count",
        "facility",
        "position",
    ]
    list_editable = ["position"]
    list_filter = ["study_set", "kind", NeedsContentFilter]
    search_fields = ["prompt", "explanation", "choices__text"]
    ordering = ["study_set", "position"]
    list_select_related = ["study_set"]
    inlines = [ChoiceInline, RevisionInline]
    readonly_fields = ["explanation_preview"]
    fields = [
        "study_set",
        "position",
        "kind",
        "prompt",
        "explanation",
        "explanation_preview",
        "note",
        "is_draft",
    ]
    autocomplete_fields = []

    def get_queryset(self, request):
        # Finished attempts only, as on the statistics page this column links to: 放弃本次
        # promises an abandoned attempt's answers don't count.
        answers = (
            Answer.objects.filter(question=OuterRef("pk"), attempt__status=Attempt.Status.FINISHED)
            .order_by()
            .values("question")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_choices=Count("choices", distinct=True),
                n_answers=Subquery(answers.annotate(n=Count("pk")).values("n")),
                n_right=Subquery(
                    answers.filter(is_correct=True).annotate(n=Count("pk")).values("n")
                ),
            )
        )

    @admin.display(description="正答率")
    def facility(self, obj):
        if not obj.n_answers:
            return "—"
        url = reverse("set-stats", args=[obj.study_set.slug])
        value = f"{(obj.n_right or 0) / obj.n_answers:.0%}"
        return format_html('<a href="{}">{}</a>\uff08{} 次\uff09', url, value, obj.n_answers)

    @admin.display(description="题干", ordering="prompt")
    def short_prompt(self, obj):
        return obj.prompt if len(obj.prompt) <= 40 else obj.prompt[:40] + "…"

    @admin.display(description="选项数", ordering="n_choices")
    def choice_count(self, obj):
        return obj.n_choices

    @admin.display(description="解析预览\uff08保存后更新\uff09")
    def explanation_preview(self, obj):
        if not obj.pk or not obj.explanation:
            return "—"
        return format_html('<div class="markdown-preview">{}</div>', render_safe(obj.explanation))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        QuestionRevision.capture(form.instance, request.user)


class AnswerInline(admin.TabularInline):
    model = Answer
    fields = ["position", "question", "chosen", "response", "is_correct", "answered_at"]
    readonly_fields = fields  # type: ignore[assignment]  # only names: no fieldset groups
    extra = 0
    can_delete = False
    max_num = 0


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    """Read-only: results are the learners' record."""

    list_display = [
        "study_set",
        "user",
        "mode",
        "status",
        "correct_count",
        "question_count",
        "started_at",
    ]
    list_filter = ["study_set", "status", "mode"]
    list_select_related = ["study_set", "user"]
    readonly_fields = [f.name for f in Attempt._meta.fields]
    inlines = [AnswerInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
