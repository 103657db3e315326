"""The numbers behind /me/ and the staff statistics: a fixed number of SQL
aggregates, whatever the size of the history, then the pure arithmetic of
`analytics` and the pure drawing of `charts`."""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Case, Count, DateField, Exists, Min, OuterRef, Q, Sum, Value, When
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from flashcards.models import CardState, ReviewLog
from learners import scheduling
from learners.mastery import SectionMastery
from learners.visitor import Visitor
from notes.models import Note, StudySet, StudySetQuerySet
from progress import analytics, charts
from progress.mastery import mastery_by_set
from progress.next_step import Step, next_step
from progress.practice import mistake_question_ids, section_facility
from quizzes.models import Answer, Attempt, Question, QuestionState

CHART_POINTS = 20
RECENT_ATTEMPTS = 500


class LocalDate(TruncDate):
    """The local calendar day of a stored moment, in the current time zone.

    Django computes TruncDate on SQLite with a Python function called once per
    row, so a year of daily study (tens of thousands of answers and reviews)
    cost /me/ seconds. SQLite's own `date(x, 'localtime')` converts with the C
    library in the process's time zone (Django sets TZ from TIME_ZONE), so it is
    used whenever that is the time zone asked for; anything else falls back.
    PostgreSQL converts natively either way.
    """

    def as_sqlite(self, compiler, connection, **extra_context):
        if os.environ.get("TZ") != timezone.get_current_timezone_name():
            return super().as_sqlite(compiler, connection, **extra_context)
        sql, params = compiler.compile(self.lhs)
        return f"date({sql}, 'localtime')", params


@dataclass
class PastAttempt:
    pk: int
    finished_at: datetime
    percent: int
    mode: str
    url: str = ""  # its results page

    @property
    def mode_label(self) -> str:
        return Attempt.Mode(self.mode).label


@dataclass
class SetProgress:
    study_set: StudySet
    attempts: int = 0
    best: int | None = None
    latest: int | None = None
    points: list[tuple[datetime, int]] = field(default_factory=list)
    history: list[PastAttempt] = field(default_factory=list)  # newest first
    due_today: int = 0
    due_tomorrow: int = 0
    reviews: int = 0
    retention: float | None = None
    sections: list[SectionMastery] = field(default_factory=list)  # in notes order

    @property
    def has_memories(self) -> bool:
        """Whether the learner has met any card or question of a section yet."""
        return any(section.met for section in self.sections)

    @property
    def mastery_chart(self):
        return charts.mastery_chart(
            self.sections,
            chart_id=f"mastery-{self.study_set.slug}",
            label=f"{self.study_set.title}\uff1a各章节平均记忆",
        )

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
    per_day: dict[date, int]  # answers and reviews per local day, over the last year
    study_days: int
    current_streak: int
    longest_streak: int
    seconds_studied: int
    today: date

    @property
    def time_studied(self) -> timedelta:
        return timedelta(seconds=self.seconds_studied)

    @property
    def heatmap(self) -> SafeString:
        return charts.heatmap(self.per_day, self.today)


def learner_dashboard(
    user, now: datetime | None = None, *, visible: StudySetQuerySet | None = None
) -> Dashboard:
    """/me/: each set's scores, cards and retention, and the study calendar; of
    the sets `visible` to the learner (by default, what their account may see)."""
    now = now or timezone.now()
    if visible is None:
        visible = StudySet.objects.visible_to(Visitor(user))
    today = timezone.localtime(now).date()
    per_day, seconds = study_time(user, since=today - timedelta(days=365))
    current, longest = analytics.streaks(per_day, today)
    return Dashboard(
        sets=set_progress(user, now, visible),
        per_day=per_day,
        study_days=len(per_day),
        current_streak=current,
        longest_streak=longest,
        seconds_studied=seconds,
        today=today,
    )


def set_progress(user, now: datetime, visible: StudySetQuerySet) -> list[SetProgress]:
    """Every set the learner has a quiz, a card or a review in and may still see
    (a withdrawn share link hides it), in the sets' order, with the mastery of
    each section: six queries, whatever the number of sets."""
    rows: dict[int, dict] = defaultdict(dict)
    for set_id, (best, n) in Attempt.objects.best_scores(user).items():
        rows[set_id].update(attempts=n, best=best)
    history = attempt_history(user)
    for set_id, (due_today, due_tomorrow) in CardState.objects.due_today_and_tomorrow(
        user, now
    ).items():
        rows[set_id].update(due_today=due_today, due_tomorrow=due_tomorrow)
    for set_id, (reviews, retention) in retention_per_set(user).items():
        rows[set_id].update(reviews=reviews, retention=retention)

    sets = []
    # A set whose only trace is a question's memory (今日学习, whose one-question
    # reviews are no quizzes) is studied too: it has mastery to show.
    remembered = QuestionState.objects.filter(user=user, question__study_set=OuterRef("pk"))
    studied = visible.filter(Q(pk__in=list(rows)) | Exists(remembered)).in_bulk()
    mastery = mastery_by_set(user, studied.values(), now)
    for set_id, study_set in studied.items():
        progress = SetProgress(study_set=study_set, **rows.get(set_id, {}))
        progress.sections = mastery[set_id]
        progress.history = history.get(set_id, [])
        # One reverse() per set, not one per past quiz: a history holds up to hundreds.
        head, tail = reverse("quizzes:results", args=[study_set.slug, 0]).rsplit("/0/", 1)
        for past in progress.history:
            past.url = f"{head}/{past.pk}/{tail}"
        # Scores over time are whole-set quizzes' (as the best): a section's few questions
        # are not comparable with them. The history table lists every kind.
        whole = [a for a in progress.history if a.mode in Attempt.WHOLE_SET_MODES]
        progress.latest = whole[0].percent if whole else None
        progress.points = [(a.finished_at, a.percent) for a in whole[:CHART_POINTS]][::-1]
        sets.append(progress)
    return sorted(sets, key=lambda p: (p.study_set.position, p.study_set.pk))


def attempt_history(user) -> dict[int, list[PastAttempt]]:
    """{set id: the learner's latest finished quizzes, newest first}: one query
    over the last RECENT_ATTEMPTS."""
    recent = (
        Attempt.objects.scored(user)
        .order_by("-finished_at")
        .values_list("study_set", "pk", "finished_at", "correct_count", "question_count", "mode")
    )
    history: dict[int, list[PastAttempt]] = defaultdict(list)
    for set_id, pk, when, right, total, mode in recent[:RECENT_ATTEMPTS]:
        history[set_id].append(
            PastAttempt(pk, timezone.localtime(when), round(100 * right / total), mode)
        )
    return history


def retention_per_set(user) -> dict[int, tuple[int, float | None]]:
    """{set id: (reviews of cards in review, true retention)}: one grouped query."""
    rows = (
        ReviewLog.objects.filter(user=user, state_before=scheduling.REVIEW)
        .values("card__study_set")
        .annotate(n=Count("pk"), recalled=Count("pk", filter=Q(rating__gte=scheduling.HARD)))
    )
    return {
        row["card__study_set"]: (row["n"], analytics.true_retention(row["recalled"], row["n"]))
        for row in rows
    }


def study_time(user, since: date) -> tuple[dict[date, int], int]:
    """({local day: answers and reviews that day} from `since` on, whole seconds
    spent on all answers and reviews ever): one query, a grouped part per source."""
    tz = timezone.get_current_timezone()
    start = datetime.combine(since, datetime.min.time(), tzinfo=tz)
    answers, reviews = (
        source.values(
            kind=Value(kind),
            # Older work falls into one day-less group: counted in the time, not the calendar.
            day=Case(
                When(**{f"{field_name}__gte": start}, then=LocalDate(field_name, tzinfo=tz)),
                output_field=DateField(),
            ),
        )
        .annotate(n=Count("pk"), spent=Sum(duration))
        .order_by()
        .values_list("kind", "day", "n", "spent")
        for kind, source, field_name, duration in (
            (0, Answer.objects.filter(attempt__user=user), "answered_at", "seconds"),
            (1, ReviewLog.objects.filter(user=user), "reviewed_at", "duration_ms"),
        )
    )
    per_day: dict[date, int] = defaultdict(int)
    spent = [0, 0]  # seconds answering, milliseconds reviewing
    for kind, day, n, time_spent in answers.union(reviews, all=True):
        spent[kind] += time_spent or 0
        if day is not None:
            per_day[day] += n
    return per_day, spent[0] + spent[1] // 1000


def _mistakes_per_set(user) -> dict[int, int]:
    """{set id: open mistakes in the 错题本}: two queries."""
    counts: dict[int, int] = defaultdict(int)
    ids = mistake_question_ids(user)
    for set_id in Question.objects.filter(pk__in=ids, is_draft=False).values_list(
        "study_set", flat=True
    ):
        counts[set_id] += 1
    return dict(counts)


@dataclass
class HomeProgress:
    """One set on the learner's home page: what is open, due and wrong, and what next."""

    study_set: StudySet  # annotated with_counts()
    best: int | None = None
    quizzes_taken: int = 0
    answered: int | None = None  # answers so far in the open attempt; None: none open
    open_questions: int = 0
    due_today: int = 0
    cards_seen: int = 0
    mistakes: int = 0

    @property
    def step(self) -> Step:
        return next_step(
            open_attempt=self.answered is not None,
            due=self.due_today,
            mistakes=self.mistakes,
            quizzes_taken=self.quizzes_taken,
            questions=self.study_set.question_count,
            new_cards=max(self.study_set.card_count - self.cards_seen, 0),
        )

    @property
    def step_url(self) -> str:
        """Where the step's button goes (mistakes: the form's action, a POST)."""
        slug = self.study_set.slug
        kind = self.step.kind
        if kind in ("review", "new_cards"):
            return f"{reverse('flashcards:flashcards', args=[slug])}?mode=study"
        if kind == "mistakes":
            return reverse("progress:start", args=[slug])
        if kind == "notes":
            return reverse("notes:notes", args=[slug])
        return reverse("quizzes:quiz", args=[slug])


def home_progress(user, study_sets: list[StudySet], now: datetime | None = None) -> None:
    """Give each set (annotated with_counts) its `progress` for the learner: a fixed
    number of grouped queries, whatever the number of sets."""
    now = now or timezone.now()
    progress = {study_set.pk: HomeProgress(study_set) for study_set in study_sets}
    attempts = Attempt.objects.filter(study_set__in=progress)
    for set_id, (best, n) in attempts.best_scores(user).items():
        progress[set_id].best, progress[set_id].quizzes_taken = best, n
    open_attempts = (
        attempts.filter(user=user)
        .in_progress()
        .annotate(answered=Count("answers"))
        .values_list("study_set", "answered", "question_count")
    )
    for set_id, answered, total in open_attempts:
        progress[set_id].answered, progress[set_id].open_questions = answered, total
    states = CardState.objects.filter(card__study_set__in=progress)
    for set_id, n in states.due_counts(user, now).items():
        progress[set_id].due_today = n
    for set_id, n in states.filter(user=user, card__is_draft=False).count_per_set().items():
        progress[set_id].cards_seen = n
    for set_id, n in _mistakes_per_set(user).items():
        if set_id in progress:
            progress[set_id].mistakes = n
    for study_set in study_sets:
        study_set.progress = progress[study_set.pk]


@dataclass
class PracticeRow:
    study_set: StudySet
    due_cards: int = 0
    mistakes: int = 0
    sections: list[tuple[str, str]] = field(default_factory=list)  # (title, url), weakest first

    @property
    def weakest(self) -> list[str]:
        return [title for title, _url in self.sections]


def practice_plan(user, now: datetime | None = None) -> list[PracticeRow]:
    """智能练习 per set: due cards, open mistakes and the weakest sections."""
    now = now or timezone.now()
    rows: dict[int, PracticeRow] = {}
    counts = _mistakes_per_set(user)
    due = CardState.objects.due_counts(user, now)
    weakest = weak_sections_per_set(user)
    ids = set(counts) | set(due) | set(weakest)
    study_sets = StudySet.objects.in_bulk(ids)
    for set_id in ids:
        rows[set_id] = PracticeRow(
            study_set=study_sets[set_id],
            due_cards=due.get(set_id, 0),
            mistakes=counts.get(set_id, 0),
            sections=[
                # The untitled first section is the set's overview (issue 18 §8).
                (
                    title or "概述",
                    Note(study_set=study_sets[set_id], title=title).get_absolute_url(),
                )
                for _f, title in sorted(weakest.get(set_id, []))[:3]
            ],
        )
    return sorted(rows.values(), key=lambda r: (r.study_set.position, r.study_set.pk))


def weak_sections_per_set(user) -> dict[int, list[tuple[float, str]]]:
    """{set id: (share right, section title) of each section the learner got
    anything wrong in}, from practice's one grouped query."""
    weakest: dict[int, list[tuple[float, str]]] = defaultdict(list)
    for set_id, _note, title, facility in section_facility(user):
        if facility < 1:
            weakest[set_id].append((facility, title))
    return weakest


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
