from django.apps import AppConfig


class PodcastsConfig(AppConfig):
    name = "podcasts"
    verbose_name = "播客"

    def ready(self) -> None:
        from podcasts import signals  # noqa: F401  (connects the receivers)
