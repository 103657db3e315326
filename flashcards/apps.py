from django.apps import AppConfig


class FlashcardsConfig(AppConfig):
    name = "flashcards"
    verbose_name = "抽认卡"
