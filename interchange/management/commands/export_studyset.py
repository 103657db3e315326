"""python manage.py export_studyset SLUG --format apkg|csv|gift|json --output PATH"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from interchange import formats, store
from notes.models import StudySet


class Command(BaseCommand):
    help = (
        "导出学习集\uff1aAnki .apkg、CSV/TSV 卡片、Moodle GIFT 题目\uff0c或 loaddata 可读的 JSON。"
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--format", choices=formats.WRITE_FORMATS, required=True)
        parser.add_argument("--output", required=True, help="输出文件路径（所在文件夹须已存在）")
        parser.add_argument("--force", action="store_true", help="覆盖已有的文件")

    def handle(self, *args, slug, format, output, force, **options):
        path = Path(output)
        if path.is_dir():
            raise CommandError(f"{output} 是文件夹：请给出文件路径，如 {path / slug}.{format}")
        if not path.parent.is_dir():
            raise CommandError(f"文件夹 {path.parent} 不存在。")
        # A link counts as there even when it points nowhere: writing through one
        # planted in a shared folder would create its target.
        if (path.exists() or path.is_symlink()) and not force:
            raise CommandError(f"{output} 已经存在：加 --force 覆盖它。")
        study_set = StudySet.objects.filter(slug=slug).first()
        if study_set is None:
            raise CommandError(f"没有网址名为 {slug} 的学习集。")
        data = formats.write(store.load(study_set), format)
        try:
            path.write_bytes(data)
        except OSError as error:
            raise CommandError(f"无法写入 {output}：{error.strerror}") from error
        self.stdout.write(f"已导出 {study_set.title} → {output}\uff08{len(data)} 字节\uff09")
