"""Preferences now belong to the `learners` app, which adopted the table with
its rows (learners 0001): studysite forgets the model without touching the table."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("studysite", "0004_labels_full_width_punctuation"),
        ("learners", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Preferences")],
            database_operations=[],
        ),
    ]
