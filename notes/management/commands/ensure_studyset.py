"""Load a study set's fixture only if the set is not in the database yet.

`make run` uses this instead of a bare `loaddata`, which would overwrite edits
staff made in admin every time the server starts.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from notes.models import StudySet


class Command(BaseCommand):
    help = "Load fixtures/<slug>.json unless the study set <slug> already exists."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the set's slug, which is also its fixture's name")

    def handle(self, *args, slug: str, **options):
        if StudySet.objects.filter(slug=slug).exists():
            self.stdout.write(f"学习集 {slug} 已存在\uff0c未改动。")
            return
        call_command("loaddata", slug, verbosity=options["verbosity"])
