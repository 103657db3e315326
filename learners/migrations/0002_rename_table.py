"""The adopted table takes the app's own name: studysite_preferences → learners_preferences."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("learners", "0001_initial"),
        ("studysite", "0005_preferences_moved_to_learners"),
    ]

    operations = [
        migrations.AlterModelTable(name="preferences", table=None),
    ]
