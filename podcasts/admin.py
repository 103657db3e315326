from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from podcasts.models import Episode


@admin.register(Episode)
class EpisodeAdmin(admin.ModelAdmin):
    list_display = ["study_set", "status", "progress", "voice", "duration", "updated_at"]
    list_filter = ["status", "voice"]
    list_select_related = ["study_set"]
    readonly_fields = [
        "study_set",
        "status",
        "progress",
        "lines_done",
        "voice",
        "content_hash",
        "audio",
        "duration",
        "error",
        "updated_at",
    ]
    exclude = ["script", "line_starts"]
    actions = ["rerender"]
    change_form_template = "admin/podcasts/episode/change_form.html"

    def has_add_permission(self, request):
        return False

    @admin.action(description="重新生成所选节目的音频", permissions=["change"])
    def rerender(self, request, queryset):
        queued = sum(episode.request_render(force=True) for episode in queryset)
        busy = queryset.count() - queued
        message = f"已安排重新生成 {queued} 个节目。"
        if busy:
            message += f"另有 {busy} 个正在生成\uff0c没有重复安排。"
        self.message_user(request, message, messages.SUCCESS)

    def get_urls(self):
        return [
            path(
                "<int:pk>/rerender/",
                self.admin_site.admin_view(self.rerender_one),
                name="podcasts_episode_rerender",
            ),
            *super().get_urls(),
        ]

    def rerender_one(self, request, pk: int):
        """重新生成 on an episode's page: its audio again, with the current voice."""
        return require_POST(self._rerender_one)(request, pk)

    def _rerender_one(self, request, pk: int):
        episode = get_object_or_404(Episode, pk=pk)
        if not self.has_change_permission(request, episode):
            raise PermissionDenied
        if episode.request_render(force=True):
            self.message_user(request, f"已安排重新生成\u300c{episode}\u300d。", messages.SUCCESS)
        else:
            self.message_user(
                request, f"\u300c{episode}\u300d正在生成\uff0c没有重复安排。", messages.WARNING
            )
        return redirect(reverse("admin:podcasts_episode_change", args=[pk]))
