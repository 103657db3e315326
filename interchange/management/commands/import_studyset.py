"""python manage.py import_studyset PATH [--format …] [--title …] [--slug …]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from interchange import formats, store
from interchange.document import FormatError


class Command(BaseCommand):
    help = "导入学习集\uff1aQuizgecko 导出、CSV/TSV 卡片、Moodle GIFT、Anki .apkg 或 JSON。再次导入会更新\uff0c不会重复。"

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--format", choices=formats.READ_FORMATS, default="auto")
        parser.add_argument(
            "--title", default="", help="学习集标题\uff08新建时需要\uff0c除非文件里有\uff09"
        )
        parser.add_argument("--slug", default="", help="网址名\uff1b默认由标题的拼音生成")

    def handle(self, *args, path, format, title, slug, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"找不到文件\uff1a{path}")
        try:
            formats.check_size(file.stat().st_size)
            doc = formats.read(file.name, file.read_bytes(), format)
            report = store.save(doc, slug=slug, title=title or ("" if doc.title else file.stem))
        except FormatError as error:
            raise CommandError(f"{file.name}\uff1a{error}") from error
        for line in report.lines():
            self.stdout.write(line)
        if doc.skipped:  # what the file holds that a set cannot (an .apkg's media)
            self.stdout.write(f"未导入\uff08{len(doc.skipped)} 项\uff09\uff1a")
            for item in doc.skipped:
                self.stdout.write(f"  - {item}")
