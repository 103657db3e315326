"""python manage.py build_podcasts [SLUG …]: render every episode that is missing or stale."""

from django.core.management.base import BaseCommand

from notes.models import StudySet
from podcasts import audio
from podcasts.models import Episode


class Command(BaseCommand):
    help = "为缺少或过期的学习集生成播客音频。"

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="只处理这些学习集(默认全部)")

    def handle(self, *args, slugs, **options):
        if not audio.available():
            self.stderr.write("未安装语音组件:pip install -e '.[audio]'(make run 会安装)。")
        sets = StudySet.objects.all()
        if slugs:
            sets = sets.filter(slug__in=slugs)
        for study_set in sets:
            episode = Episode.objects.for_set(study_set)
            if not episode.is_ready and not episode.is_working:
                episode.mark(status=Episode.Status.PENDING)
                episode.queue_render()
                episode.refresh_from_db()
            self.stdout.write(f"{study_set.title}:{episode.get_status_display()}")
