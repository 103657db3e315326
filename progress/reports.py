"""The numbers behind /me/ and the staff statistics: a fixed number of SQL
aggregates, whatever the size of the history, then the pure arithmetic of
`analytics` and the pure drawing of `charts`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, ExpressionWrapper, F, FloatField, Max, Min, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from flashcards import scheduling
from flashcards.models import CardState, ReviewLog
from notes.models import StudySet
from progress import analytics, charts
from quizzes.models import Answer, Attempt, Question

CHART_POINTS = 20
RECENT_ATTEMPTS = 500


@dataclass
class SetProgress:
    study_set: StudySet
    attempts: int = 0
    best: int | None = None
    latest: int | None = None
    points: list[tuple[datetime, int]] = field(default_factory=list)
    due_today: int = 0
    due_tomorrow: int = 0
    reviews: int = 0
    retention: float | None = None

    @property
    def chart(self):
        return charts.score_chart(
            self.points,
            chart_id=f"scores-{self.study_set.slug}",
            label=f"{self.study_set.title}\uff1a测验得分变化",
        )


@dataclass
class Dashboard:
    sets: list[SetProgress]
    heatmap: str
    study_days: int
    current_streak: int
    longest_streak: int
    seconds_studied: int
    today: date

    @property
    def time_studied(self) -> timedelta:
        return timedelta(seconds=self.seconds_studied)


def _percent():
    return ExpressionWrapper(
        100.0 * F("correct_count") / F("question_count"), output_field=FloatField()
    )


def learner_dashboard(user, now: datetime | None = None) -> Dashboard:
    now = now or timezone.now()
    tz = timezone.get_current_timezone()
    today = timezone.localtime(now).date()
    end_today = datetime.combine(today + timedelta(days=1), datetime.min.time(), tzinfo=tz)
    year_ago = end_today - timedelta(days=366)

    finished = Attempt.objects.filter(
        user=user, status=Attempt.Status.FINISHED, question_count__gt=0
    )
    summaries = finished.values("study_set").annotate(n=Count("pk"), best=Max(_percent()))
    recent = finished.order_by("-finished_at").values_list(
        "study_set", "finished_at", "correct_count", "question_count"
    )[:RECENT_ATTEMPTS]
    due = (
        CardState.objects.filter(user=user, card__is_draft=False)
        .values("card__study_set")
        .annotate(
            today=Count("pk", filter=Q(due__lt=end_today)),
            tomorrow=Count(
                "pk", filter=Q(due__gte=end_today, due__lt=end_today + timedelta(days=1))
            ),
        )
    )
    retention = (
        ReviewLog.objects.filter(user=user, state_before=scheduling.REVIEW)
        .values("card__study_set")
        .annotate(n=Count("pk"), recalled=Count("pk", filter=Q(rating__gte=scheduling.HARD)))
    )

    rows: dict[int, dict] = defaultdict(dict)
    for row in summaries:
        rows[row["study_set"]].update(attempts=row["n"], best=round(row["best"]))
    points: dict[int, list] = defaultdict(list)
    for set_id, when, right, total in recent:
        points[set_id].append((when, round(100 * right / total)))
    for row in due:
        rows[row["card__study_set"]].update(due_today=row["today"], due_tomorrow=row["tomorrow"])
    for row in retention:
        rows[row["card__study_set"]].update(
            reviews=row["n"], retention=analytics.true_retention(row["recalled"], row["n"])
        )
    for set_id in points:
        rows[set_id].setdefault("attempts", 0)

    study_sets = StudySet.objects.in_bulk(list(rows))
    sets = []
    for set_id, values in rows.items():
        progress = SetProgress(study_set=study_sets[set_id], **values)
        mine = points.get(set_id, [])
        progress.latest = mine[0][1] if mine else None
        progress.points = list(reversed(mine[:CHART_POINTS]))
        sets.append(progress)
    sets.sort(key=lambda p: (p.study_set.position, p.study_set.pk))

    per_day: dict[date, int] = defaultdict(int)
    for source, field_name in ((Answer.objects.filter(attempt__user=user), "answered_at"),
                               (ReviewLog.objects.filter(user=user), "reviewed_at")):  # fmt: skip
        days = (
            source.filter(**{f"{field_name}__gte": year_ago})
            .annotate(day=TruncDate(field_name, tzinfo=tz))
            .values("day")
            .annotate(n=Count("pk"))
        )
        for row in days:
            per_day[row["day"]] += row["n"]
    seconds = (Answer.objects.filter(attempt__user=user).aggregate(s=Sum("seconds"))["s"] or 0) + (
        ReviewLog.objects.filter(user=user).aggregate(ms=Sum("duration_ms"))["ms"] or 0
    ) // 1000
    current, longest = analytics.streaks(per_day, today)
    return Dashboard(
        sets=sets,
        heatmap=charts.heatmap(per_day, today),
        study_days=len(per_day),
        current_streak=current,
        longest_streak=longest,
        seconds_studied=seconds,
        today=today,
    )


def home_progress(user, now: datetime | None = None) -> dict[int, dict]:
    """Per set, the learner's best quiz score and cards due now: two aggregates."""
    now = now or timezone.now()
    progress: dict[int, dict] = defaultdict(dict)
    best = (
        Attempt.objects.filter(user=user, status=Attempt.Status.FINISHED, question_count__gt=0)
        .values("study_set")
        .annotate(best=Max(_percent()))
    )
    for row in best:
        progress[row["study_set"]]["best"] = round(row["best"])
    due = (
        CardState.objects.filter(user=user, card__is_draft=False, due__lte=now)
        .values("card__study_set")
        .annotate(n=Count("pk"))
    )
    for row in due:
        progress[row["card__study_set"]]["due"] = row["n"]
    return dict(progress)


@dataclass
class PracticeRow:
    study_set: StudySet
    due_cards: int = 0
    mistakes: int = 0
    weakest: list[str] = field(default_factory=list)


def practice_plan(user, now: datetime | None = None) -> list[PracticeRow]:
    """智能练习 per set: due cards, open mistakes and the weakest sections."""
    now = now or timezone.now()
    rows: dict[int, PracticeRow] = {}
    study_sets = {}
    mistake_ids = Answer.objects.mistake_question_ids(user)
    counts: dict[int, int] = defaultdict(int)
    for set_id in Question.objects.filter(pk__in=mistake_ids, is_draft=False).values_list(
        "study_set", flat=True
    ):
        counts[set_id] += 1
    due = dict(
        CardState.objects.filter(user=user, card__is_draft=False, due__lte=now)
        .values_list("card__study_set")
        .annotate(n=Count("pk"))
    )
    sections = (
        Answer.objects.filter(attempt__user=user, question__note__isnull=False)
        .values("question__study_set", "question__note__title")
        .annotate(n=Count("pk"), right=Count("pk", filter=Q(is_correct=True)))
    )
    weakest: dict[int, list[tuple[float, str]]] = defaultdict(list)
    for row in sections:
        if row["right"] < row["n"]:
            weakest[row["question__study_set"]].append(
                (row["right"] / row["n"], row["question__note__title"])
            )
    ids = set(counts) | set(due) | set(weakest)
    study_sets = StudySet.objects.in_bulk(ids)
    for set_id in ids:
        rows[set_id] = PracticeRow(
            study_set=study_sets[set_id],
            due_cards=due.get(set_id, 0),
            mistakes=counts.get(set_id, 0),
            weakest=[title for _f, title in sorted(weakest.get(set_id, []))[:3]],
        )
    return sorted(rows.values(), key=lambda r: (r.study_set.position, r.study_set.pk))


@dataclass
class OptionPick:
    text: str
    picks: int
    correct: bool


@dataclass
class ItemRow:
    question: Question
    stats: analytics.ItemStats
    options: list[OptionPick]


@dataclass
class ItemReport:
    rows: list[ItemRow]
    learners: list[tuple[int, float]]  # (user id, percent), best first
    top: set[int]
    bottom: set[int]
    first_only: bool


def item_report(study_set: StudySet, *, first_only: bool = True) -> ItemReport:
    """Item analysis of a set's questions over learners' whole-quiz attempts."""
    attempts = Attempt.objects.filter(
        study_set=study_set,
        status=Attempt.Status.FINISHED,
        mode=Attempt.Mode.ALL,
        user__isnull=False,
    )
    if first_only:
        firsts = attempts.values("user").annotate(first=Min("pk")).values("first")
        attempts = attempts.filter(pk__in=firsts)
    scored = list(attempts.values_list("pk", "user", "correct_count", "question_count"))
    # A learner's score: their first attempt, or their mean over all attempts.
    totals: dict[int, list[float]] = defaultdict(list)
    for _pk, user_id, right, total in scored:
        totals[user_id].append(100 * right / total if total else 0)
    scores = {user_id: sum(values) / len(values) for user_id, values in totals.items()}
    top, bottom = analytics.groups(scores)
    attempt_ids = [pk for pk, *_ in scored]
    answers = Answer.objects.filter(attempt__in=attempt_ids, question__study_set=study_set)
    counts = answers.values("question").annotate(
        n=Count("pk"),
        right=Count("pk", filter=Q(is_correct=True)),
        top_n=Count("pk", filter=Q(attempt__user__in=top)),
        top_right=Count("pk", filter=Q(attempt__user__in=top, is_correct=True)),
        bottom_n=Count("pk", filter=Q(attempt__user__in=bottom)),
        bottom_right=Count("pk", filter=Q(attempt__user__in=bottom, is_correct=True)),
    )
    stats = {
        row["question"]: analytics.ItemStats(
            row["question"],
            row["n"],
            row["right"],
            row["top_right"],
            row["top_n"],
            row["bottom_right"],
            row["bottom_n"],
        )
        for row in counts
    }
    picks: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for question_id, chosen in answers.filter(is_correct=False).values_list("question", "chosen"):
        for option_id in chosen:
            picks[question_id][option_id] += 1
    rows = []
    for question in study_set.questions.prefetch_related("choices"):
        item = stats.get(question.pk, analytics.ItemStats(question.pk))
        item.distractors = dict(picks.get(question.pk, {}))
        options = [
            OptionPick(c.text, item.distractors.get(c.pk, 0), c.is_correct)
            for c in question.choices.all()
        ]
        rows.append(ItemRow(question, item, options))
    learners = sorted(scores.items(), key=lambda pair: (-pair[1], pair[0]))
    return ItemReport(rows=rows, learners=learners, top=top, bottom=bottom, first_only=first_only)
