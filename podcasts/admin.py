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
        queued = sum(episode.request_render(force=True) for episode in queryset)
        busy = queryset.count() - queued
        message = f"已安排重新生成 {queued} 个节目。"
        if busy:
            message += f"另有 {busy} 个正在生成\uff0c没有重复安排。"
        self.message_user(request, message, messages.SUCCESS)
