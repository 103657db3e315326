from django.contrib import admin, messages

from podcasts.models import Episode


@admin.register(Episode)
class EpisodeAdmin(admin.ModelAdmin):
    list_display = ["study_set", "status", "progress", "duration", "updated_at"]
    list_filter = ["status"]
    list_select_related = ["study_set"]
    readonly_fields = [
        "study_set",
        "status",
        "progress",
        "content_hash",
        "audio",
        "duration",
        "error",
        "updated_at",
    ]
    exclude = ["script", "line_starts"]
    actions = ["rerender"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="重新生成所选节目的音频")
    def rerender(self, request, queryset):
        for episode in queryset:
            episode.mark(status=Episode.Status.PENDING, progress=0)
            episode.queue_render()
        self.message_user(request, f"已安排重新生成 {queryset.count()} 个节目。", messages.SUCCESS)
