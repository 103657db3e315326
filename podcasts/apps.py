from django.apps import AppConfig


class PodcastsConfig(AppConfig):
    name = "podcasts"
    verbose_name = "播客"
