from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "progress"
    verbose_name = "学习进度"

    def ready(self) -> None:
        # Models load only once the app registry is ready.
        from learners import mastery
        from progress.mastery import section_mastery

        mastery.register(section_mastery)
