from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class NotesConfig(AppConfig):
    name = "notes"
    verbose_name = "学习集与笔记"

    def ready(self) -> None:
        # Models load only once the app registry is ready.
        from notes.models import content_changed, content_sources

        for model in content_sources():
            for event, signal in (("saved", post_save), ("deleted", post_delete)):
                signal.connect(
                    content_changed,
                    sender=model,
                    dispatch_uid=f"notes.{model._meta.label_lower}.{event}",
                )
