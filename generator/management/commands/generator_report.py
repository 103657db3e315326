"""python manage.py generator_report PATH… — each generated item with its quality flags."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from generator.forms import MAX_UPLOAD
from generator.generate import generate
from generator.quality import flag_free_share, review
from interchange.document import FormatError


class Command(BaseCommand):
    help = (
        "用内置生成器处理笔记文件\uff0c逐条列出生成的卡片和题目及其问题标记"
        "\uff08give-away、weak blank、near-duplicate distractor、label-as-term、"
        "duplicate term\uff09\uff0c并给出每个文件无标记条目的比例。"
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--flagged", action="store_true", help="只列出有标记的条目")

    def handle(self, *args, paths, flagged, **options):
        texts = [(path, self._read(Path(path))) for path in paths]
        summary = []
        for path, text in texts:
            try:
                doc = generate(text, Path(path).stem)
            except FormatError as error:
                raise CommandError(f"{path}\uff1a{error}") from error
            reviews = review(doc)
            self.stdout.write(f"== {path}")
            for item in reviews:
                if flagged and not item.flags:
                    continue
                marks = "\uff1b".join(item.flags) if item.flags else "ok"
                self.stdout.write(f"[{item.kind}] [{marks}]\n{item.text}\n")
            clean = sum(not item.flags for item in reviews)
            share = flag_free_share(reviews)
            summary.append(f"{path}\uff1a{clean}/{len(reviews)} 条无标记\uff08{share:.0%}\uff09")
        for line in summary:
            self.stdout.write(line)

    def _read(self, file: Path) -> str:
        if not file.is_file():
            raise CommandError(f"找不到文件\uff1a{file}")
        if file.stat().st_size > MAX_UPLOAD:
            raise CommandError(f"{file}\uff1a文件太大\uff1a最多 {MAX_UPLOAD // 1024} KB。")
        try:
            return file.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise CommandError(f"{file}\uff1a不是 UTF-8 文本。") from error
