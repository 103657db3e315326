"""python manage.py export_studyset SLUG --format apkg|csv|gift|json --output PATH"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from interchange import formats, store
from notes.models import StudySet


class Command(BaseCommand):
    help = "导出学习集:Anki .apkg、CSV/TSV 卡片、Moodle GIFT 题目,或 loaddata 可读的 JSON。"

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--format", choices=formats.WRITE_FORMATS, required=True)
        parser.add_argument("--output", required=True)

    def handle(self, *args, slug, format, output, **options):
        study_set = StudySet.objects.filter(slug=slug).first()
        if study_set is None:
            raise CommandError(f"没有网址名为 {slug} 的学习集。")
        data = formats.write(store.load(study_set), format)
        Path(output).write_bytes(data)
        self.stdout.write(f"已导出 {study_set.title} → {output}({len(data)} 字节)")
