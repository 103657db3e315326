from django.apps import AppConfig


class NotesConfig(AppConfig):
    name = "notes"
    verbose_name = "学习集与笔记"
