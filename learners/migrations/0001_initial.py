"""Preferences move here from `studysite` with every row: the table made by
studysite's migrations is adopted as it is (state only), and 0002 renames it."""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def adopt_content_type(apps, schema_editor):
    """Permissions and admin history of the moved model follow it."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="learners", model="preferences").exists():
        ContentType.objects.filter(app_label="studysite", model="preferences").update(
            app_label="learners"
        )


def return_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="studysite", model="preferences").exists():
        ContentType.objects.filter(app_label="learners", model="preferences").update(
            app_label="studysite"
        )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("studysite", "0004_labels_full_width_punctuation"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Preferences",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("new_cards_per_day", models.PositiveSmallIntegerField(default=20, validators=[django.core.validators.MaxValueValidator(500)], verbose_name="每天新卡数")),
                        ("desired_retention", models.FloatField(default=0.9, help_text="0.70–0.99；越高复习越频繁。", validators=[django.core.validators.MinValueValidator(0.7), django.core.validators.MaxValueValidator(0.99)], verbose_name="目标记忆保持率")),
                        ("quiz_length", models.PositiveSmallIntegerField(blank=True, help_text="1–200；留空表示全部题目。", null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(200)], verbose_name="每次测验题数")),
                        ("quiz_order", models.CharField(choices=[("set", "按学习集顺序"), ("random", "随机顺序")], default="set", max_length=10, verbose_name="题目顺序")),
                        ("explanations", models.CharField(choices=[("immediate", "每题作答后立即显示"), ("end", "全部答完后在结果页显示")], default="immediate", max_length=10, verbose_name="答案与解析")),
                        ("user", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="study_preferences", to=settings.AUTH_USER_MODEL, verbose_name="学员")),
                    ],
                    options={
                        "verbose_name": "学习偏好",
                        "verbose_name_plural": "学习偏好",
                        "db_table": "studysite_preferences",
                        "constraints": [
                            models.CheckConstraint(condition=models.Q(("desired_retention__gte", 0.7), ("desired_retention__lte", 0.99)), name="preferences_retention_in_range"),
                            models.CheckConstraint(condition=models.Q(("quiz_length__isnull", True), models.Q(("quiz_length__gte", 1), ("quiz_length__lte", 200)), _connector="OR"), name="preferences_quiz_length_in_range"),
                            models.CheckConstraint(condition=models.Q(("new_cards_per_day__lte", 500)), name="preferences_new_cards_in_range"),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(adopt_content_type, return_content_type),
    ]
