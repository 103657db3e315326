"""python manage.py build_podcasts [SLUG …]: render every episode that is missing,
outdated or failed (with the database backend: queue it for the worker)."""

from django.core.management.base import BaseCommand

from notes.models import StudySet
from podcasts import audio
from podcasts.models import Episode


class Command(BaseCommand):
    help = "为缺少、过期或生成失败的学习集生成播客音频。"

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="只处理这些学习集（默认全部）")

    def handle(self, *args, slugs, **options):
        if not audio.available():
            self.stderr.write("未安装语音组件\uff1apip install -e '.[audio]'（make run 会安装）。")
        sets = StudySet.objects.all()
        if slugs:
            sets = sets.filter(slug__in=slugs)
        for study_set in sets:
            episode, _created = Episode.objects.get_or_create(study_set=study_set)
            episode.request_render(Episode.current_digest(study_set))
            self.stdout.write(f"{study_set.title}\uff1a{episode.get_status_display()}")
