"""Chinese names for the third-party apps staff meet in the admin.

Django's documented way to rename someone else's app is to subclass its
AppConfig and list the subclass in INSTALLED_APPS ("Configuring applications"
in the Django docs). The label, and so every table and migration, is unchanged.
Neither app ships a Chinese translation of its model names, so they are named
here too.
"""

from __future__ import annotations

import axes.apps
import django_tasks_db.apps
from django.apps import AppConfig


def _name_models(config: AppConfig, names: dict[str, tuple[str, str]]) -> None:
    for model_name, (singular, plural) in names.items():
        meta = config.get_model(model_name)._meta
        meta.verbose_name, meta.verbose_name_plural = singular, plural


class StudysiteConfig(AppConfig):
    name = "studysite"
    verbose_name = "学习站"
    default = True


class AxesConfig(axes.apps.AppConfig):
    """django-axes, which counts failed logins and locks out guessers."""

    verbose_name = "登录保护"
    default = False

    def ready(self) -> None:
        super().ready()
        _name_models(
            self,
            {
                "AccessAttempt": ("登录失败记录", "登录失败记录"),
                "AccessFailureLog": ("登录失败日志", "登录失败日志"),
                "AccessLog": ("登录日志", "登录日志"),
            },
        )


class TaskResultsConfig(django_tasks_db.apps.TasksAppConfig):
    """django-tasks' database backend: the queue `db_worker` runs (podcasts, generation)."""

    verbose_name = "后台任务"
    default = False

    def ready(self) -> None:
        super().ready()
        _name_models(self, {"DBTaskResult": ("任务记录", "任务记录")})
