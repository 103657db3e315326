from django.contrib import admin

from generator.models import Generation


@admin.register(Generation)
class GenerationAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "status", "progress", "study_set", "created_at"]
    list_filter = ["status"]
    list_select_related = ["owner", "study_set"]
    search_fields = ["title", "owner__username"]
    readonly_fields = [
        "owner",
        "title",
        "status",
        "progress",
        "error",
        "study_set",
        "card_count",
        "question_count",
        "created_at",
        "started_at",
        "updated_at",
    ]
    exclude = ["notes"]

    def has_add_permission(self, request):
        return False
