"""Questions and their choices."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models.fields.json import KeyTransform
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.functional import cached_property

from learners import scheduling
from learners.models import MemoryState, Preferences
from learners.visitor import Visitor
from notes.models import StudyItem, StudyItemQuerySet, StudySet
from quizzes.completeness import question_problems
from quizzes.grading import Verdict
from quizzes.items import Item, OptionSnapshot, snapshot
from quizzes.kinds import Kind


class QuestionQuerySet(StudyItemQuerySet["Question"]):
    def with_problem_data(self) -> QuestionQuerySet:
        return self.prefetch_related("choices")


class Question(StudyItem):
    """A quiz question of one of four kinds.

    Choice kinds list their options as `Choice` rows, with the right ones marked.
    A fill-in-blank question keeps its accepted answers as `Choice` rows too, all
    marked right; they are never shown as options.
    """

    Kind = Kind

    kind = models.CharField("题型", max_length=16, choices=Kind.choices, default=Kind.SINGLE)
    prompt = models.TextField("题干")
    explanation = models.TextField("解析\uff08Markdown\uff09", blank=True)
    is_draft = models.BooleanField(
        "待完善", default=False, help_text="待完善的题目不会出现在学员的测验里。"
    )
    source = models.TextField("出处原文", blank=True, help_text="生成这道题的原句。")

    EDITABLE = ("prompt", "explanation")

    objects = QuestionQuerySet.as_manager()

    class Meta(StudyItem.Meta):
        verbose_name = "题目"
        verbose_name_plural = "题目"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=Kind.values), name="question_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return self.prompt

    def get_absolute_url(self) -> str:
        return f"{reverse('notes:overview', args=[self.study_set.slug])}#question-{self.pk}"

    def snapshot(self, position: int, shuffle=None) -> Item:
        """Freeze this question (choices prefetched) for one attempt, options shuffled
        (by `shuffle` when given: 今日学习 shows the same order before and after)."""
        return snapshot(
            position,
            question_id=self.pk,
            kind=self.kind,
            prompt=self.prompt,
            explanation=self.explanation,
            note_title=str(self.note) if self.note else "",
            note_url=self.note.get_absolute_url() if self.note else "",
            options=[OptionSnapshot(c.pk, c.text, c.is_correct) for c in self.choices.all()],
            **({"shuffle": shuffle} if shuffle else {}),
        )

    def problems(self) -> list[str]:
        """What keeps this question from being published (choices prefetched or not)."""
        options = [(choice.text, choice.is_correct) for choice in self.choices.all()]
        return question_problems(self.kind, self.prompt, options)


class Choice(models.Model):
    """An option of a question, or an accepted answer of a fill-in-blank question."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="choices", verbose_name="题目"
    )
    position = models.PositiveIntegerField("排序", default=0)
    text = models.CharField("选项", max_length=500)
    is_correct = models.BooleanField("正确", default=False)

    class Meta:
        ordering = ["question", "position", "pk"]
        verbose_name = "选项"
        verbose_name_plural = "选项"

    def __str__(self) -> str:
        return self.text


# Time studied counts at most this long per answer: a learner who walks away
# from an open question is not studying.
MAX_SECONDS_PER_ANSWER = 10 * 60


class AttemptClosed(Exception):
    """The attempt is finished or abandoned: it takes no new answers."""


@dataclass(frozen=True)
class Recorded:
    """What `Attempt.record` did: the stored answer, its verdict, and whether this
    call stored it (False for a replay, whose verdict is the stored answer's)."""

    answer: Answer
    verdict: Verdict
    created: bool
    answered: int  # answers the attempt holds now


class AttemptQuerySet(models.QuerySet):
    def owned_by(self, visitor: Visitor) -> AttemptQuerySet:
        """The visitor's attempts: their account's, or the anonymous session's."""
        if visitor.is_authenticated:
            return self.filter(user=visitor.user)
        return self.filter(user=None, pk__in=visitor.attempt_ids)

    def in_progress(self) -> AttemptQuerySet:
        return self.filter(status=Attempt.Status.IN_PROGRESS)

    def finished(self) -> AttemptQuerySet:
        return self.filter(status=Attempt.Status.FINISHED)

    def quizzes(self) -> AttemptQuerySet:
        """Attempts that are quizzes a learner took: not 今日学习's one-question
        reviews, which would fill the history and make one right answer a best of 100%."""
        return self.exclude(mode=Attempt.Mode.TODAY)

    def claim_for(self, user, ids: list[int]) -> int:
        """Give an anonymous session's attempts (`ids`) to the account that just logged in."""
        if not ids:
            return 0
        with transaction.atomic():
            anonymous = self.filter(user=None, pk__in=ids)
            # One attempt in progress per set: the account's older one gives way.
            sets = anonymous.filter(status=Attempt.Status.IN_PROGRESS).values("study_set")
            self.filter(user=user, study_set__in=sets, status=Attempt.Status.IN_PROGRESS).update(
                status=Attempt.Status.ABANDONED
            )
            claimed = list(anonymous.values_list("pk", flat=True))
            count = self.filter(pk__in=claimed).update(user=user)
            # Their answers teach the learner's question memory, as if answered signed
            # in (an exam still open teaches it when it closes: _remember_exam).
            newest = (
                Answer.objects.revealed()
                .filter(attempt__in=claimed, question__isnull=False)
                .order_by("-answered_at", "-pk")
                .values_list("question_id", "is_correct", "answered_at")[:REPLAY_LIMIT]
            )
            QuestionState.objects.replay(
                user,
                reversed(list(newest)),
                desired_retention=Preferences.objects.for_user(user).desired_retention,
            )
            return count

    def whole_set(self) -> AttemptQuerySet:
        """Quizzes over the whole set (练习 and 考试模式): what a best or latest score
        means. 只练错题, 错题本, 智能练习 and 本节练习 ask a chosen few questions,
        so one right answer there would be a best of 100 %."""
        return self.filter(mode__in=Attempt.WHOLE_SET_MODES)

    def scored(self, user) -> AttemptQuerySet:
        """The learner's finished quizzes that asked anything: the ones with a score."""
        return self.quizzes().filter(
            user=user, status=Attempt.Status.FINISHED, question_count__gt=0
        )

    def best_scores(self, user) -> dict[int, tuple[int, int]]:
        """{set id: (best score in percent, quizzes finished)} of the learner's
        scored whole-set quizzes: one grouped query."""
        percent = models.ExpressionWrapper(
            100.0 * models.F("correct_count") / models.F("question_count"),
            output_field=models.FloatField(),
        )
        rows = (
            self.scored(user)
            .whole_set()
            .values("study_set")
            .annotate(best=models.Max(percent), n=models.Count("pk"))
            .order_by()
            .values_list("study_set", "best", "n")
        )
        return {set_id: (round(best), n) for set_id, best, n in rows}


class Attempt(models.Model):
    """One run through a set's quiz (or part of it) by one learner.

    `items` is the snapshot of the questions as this learner sees them: order,
    shuffled options, right answers and explanations (see `quizzes.items`).
    """

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "进行中"
        FINISHED = "finished", "已完成"
        ABANDONED = "abandoned", "已放弃"

    class Mode(models.TextChoices):
        ALL = "all", "全部题目"
        RETRY = "retry", "只练错题"
        MISTAKES = "mistakes", "错题本练习"
        PRACTICE = "practice", "智能练习"
        SECTION = "section", "本节练习"
        # One question answered in 今日学习: an attempt of one item, finished by its answer.
        TODAY = "today", "今日学习"
        EXAM = "exam", "考试模式"

    WHOLE_SET_MODES = (Mode.ALL, Mode.EXAM)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="quiz_attempts",
        verbose_name="学员",
    )
    study_set = models.ForeignKey(
        StudySet, on_delete=models.CASCADE, related_name="attempts", verbose_name="学习集"
    )
    mode = models.CharField("类型", max_length=16, choices=Mode.choices, default=Mode.ALL)
    source = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="retries",
        verbose_name="来自",
    )
    status = models.CharField(
        "状态", max_length=16, choices=Status.choices, default=Status.IN_PROGRESS
    )
    items = models.JSONField("题目快照", default=list)
    question_count = models.PositiveSmallIntegerField("题数", default=0)
    correct_count = models.PositiveSmallIntegerField("答对", default=0)
    started_at = models.DateTimeField("开始于", default=timezone.now)
    finished_at = models.DateTimeField("完成于", null=True, blank=True)
    explain_each = models.BooleanField("每题后显示答案与解析", default=True)
    # 考试模式 only: the server's clock at start plus the time limit. No answer is
    # taken from then on, and the first request after it closes the attempt.
    deadline = models.DateTimeField("交卷时间", null=True, blank=True)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = "答题记录"
        verbose_name_plural = "答题记录"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "study_set"],
                # 今日学习's one-question attempts open and finish in one transaction:
                # they never stand in for (or close) the learner's quiz in progress.
                condition=models.Q(status="in_progress", user__isnull=False)
                & ~models.Q(mode="today"),
                name="attempt_one_in_progress_per_user_and_set",
            ),
            models.CheckConstraint(
                condition=models.Q(correct_count__lte=models.F("question_count")),
                name="attempt_correct_within_count",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.study_set} · {self.started_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("quizzes:results", args=[self.study_set.slug, self.pk])

    @classmethod
    def start(
        cls,
        visitor: Visitor,
        study_set: StudySet,
        questions: list[Question],
        *,
        preferences: Preferences | None = None,
        cut: bool = False,
        mode: str = Mode.ALL,
        source: Attempt | None = None,
        minutes: int | None = None,
    ) -> Attempt:
        """Begin a new attempt on `questions` (choices prefetched), closing any in
        progress. The learner's `preferences` set the order, the length (only when
        `cut`) and when explanations show. An anonymous visitor's view remembers
        the new attempt in the session (`learners.visitor.remember_attempt`).
        With `minutes`, an exam: nothing about right answers shows before the end,
        and it closes `minutes` after now."""
        preferences = preferences or Preferences()
        explain_each = preferences.explain_each and minutes is None
        questions = preferences.arrange(questions, cut=cut)
        items = [question.snapshot(position) for position, question in enumerate(questions)]
        args = (visitor, study_set, items, mode, source, explain_each, minutes)
        try:
            return cls._create(*args)
        except IntegrityError:  # a concurrent start won: abandon it and start again
            return cls._create(*args)

    @classmethod
    def _create(cls, visitor, study_set, items, mode, source, explain_each, minutes) -> Attempt:
        now = timezone.now()
        with transaction.atomic():
            cls.objects.owned_by(visitor).in_progress().filter(study_set=study_set).update(
                status=cls.Status.ABANDONED
            )
            attempt = cls.objects.create(
                user=visitor.account,
                study_set=study_set,
                mode=mode,
                source=source,
                items=[item.to_json() for item in items],
                question_count=len(items),
                explain_each=explain_each,
                started_at=now,
                deadline=now + timedelta(minutes=minutes) if minutes else None,
            )
        return attempt

    # -- reading the snapshot -------------------------------------------------

    @cached_property
    def item_list(self) -> list[Item]:
        return [Item.from_json(position, data) for position, data in enumerate(self.items)]

    def item_for(self, question_id: int) -> Item | None:
        """The item asking `question_id`: only that one is built from the snapshot."""
        for position, data in enumerate(self.items):
            if data["question"] == question_id:
                return Item.from_json(position, data)
        return None

    def item_at(self, position: int) -> Item:
        """One item of the snapshot. With `items` deferred, only that item is read
        from the database: a 2,000-question attempt's other items stay there."""
        if "items" not in self.get_deferred_fields():
            return Item.from_json(position, self.items[position])
        data = (
            Attempt.objects.filter(pk=self.pk)
            .values_list(KeyTransform(str(position), "items"), flat=True)
            .get()
        )
        return Item.from_json(position, data)

    def answered_positions(self) -> set[int]:
        return set(self.answers.order_by().values_list("position", flat=True))

    def option_token(self, option_id: int) -> str:
        """The opaque value a form sends for an option: not its primary key, and
        meaningless outside this attempt."""
        return salted_hmac("quizzes.option", f"{self.pk}:{option_id}").hexdigest()[:16]

    def tokens_for(self, item: Item) -> dict[str, int]:
        return {self.option_token(option.id): option.id for option in item.options}

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.IN_PROGRESS

    @property
    def percent(self) -> int:
        return round(100 * self.correct_count / self.question_count) if self.question_count else 0

    @property
    def is_exam(self) -> bool:
        return self.deadline is not None

    def is_overdue(self, now) -> bool:
        """An exam still open at or after its deadline: it takes no more answers."""
        return self.deadline is not None and self.is_open and now >= self.deadline

    def seconds_left(self, now) -> int:
        """Whole seconds until the deadline (rounded up, so a clock never ends early)."""
        if self.deadline is None:
            return 0
        return max(0, math.ceil((self.deadline - now).total_seconds()))

    @property
    def minutes_allowed(self) -> int:
        return round((self.deadline - self.started_at).total_seconds() / 60) if self.deadline else 0

    @property
    def ran_out_of_time(self) -> bool:
        return self.deadline is not None and self.finished_at == self.deadline

    @property
    def duration(self):
        return (self.finished_at - self.started_at) if self.finished_at else None

    # -- changing state ---------------------------------------------------------

    def abandon(self) -> None:
        """放弃本次: the attempt takes no more answers and never counts as finished."""
        Attempt.objects.filter(pk=self.pk, status=self.Status.IN_PROGRESS).update(
            status=self.Status.ABANDONED
        )
        self.status = self.Status.ABANDONED

    def close(self, now) -> bool:
        """交卷, or time up: finish the exam at `now` (the deadline at the latest) and
        keep its score; unanswered questions count as wrong. One conditional
        UPDATE, so of two late requests only the first closes it (True)."""
        finished_at = min(now, self.deadline) if self.deadline else now
        with transaction.atomic():
            closed = Attempt.objects.filter(pk=self.pk, status=self.Status.IN_PROGRESS).update(
                status=self.Status.FINISHED, finished_at=finished_at
            )
            if closed and self.user_id is not None:
                retention = Preferences.objects.filter(user=self.user_id)
                self._remember_exam(retention.values_list("desired_retention", flat=True).first())
        if closed:
            self.status, self.finished_at = self.Status.FINISHED, finished_at
        else:
            self.refresh_from_db(fields=["status", "finished_at", "correct_count"])
        return bool(closed)

    def record(self, item: Item, chosen: list[int], response: str = "") -> Recorded:
        """Store the answer to `item` once, graded; a replay returns the stored one.

        Raises AttemptClosed for a new answer to an
        attempt that is no longer in progress. The attempt row is locked
        (select_for_update on PostgreSQL; SQLite's IMMEDIATE transaction takes
        the database write lock), so concurrent answers to one attempt queue up;
        the unique constraint on (attempt, position) turns a lost race into a replay.
        """
        try:
            return self._record(item, chosen, response)
        except IntegrityError:
            return self._record(item, chosen, response)  # the other request's answer is stored

    def _stored(self, item: Item) -> Recorded | None:
        """The answer already stored for `item`, as a replay; None if there is none."""
        existing = (
            self.answers.order_by()
            .annotate(answered=_answer_count(self.pk))
            .filter(position=item.position)
            .first()
        )
        if existing is None:
            return None
        verdict = item.grade(existing.chosen, existing.response)
        return Recorded(existing, verdict, False, existing.answered)

    def _record(self, item: Item, chosen: list[int], response: str) -> Recorded:
        # A stored answer never changes: a replay reads it without taking the write lock.
        if (replay := self._stored(item)) is not None:
            return replay
        with transaction.atomic():
            # Take the lock first, then read: PostgreSQL's READ COMMITTED gives each
            # statement the snapshot of its start, so subqueries of the locking
            # statement itself would miss what the request we waited for committed.
            Attempt.objects.select_for_update().filter(pk=self.pk).values_list("pk").get()
            # One read, under the lock: state, count, when the last answer came,
            # whether a concurrent request stored this answer while we waited (a
            # double click whose twin finished the attempt is a replay, not a 409),
            # and whether the question still exists (a deleted one is stored as None).
            locked = (
                Attempt.objects.filter(pk=self.pk)
                .annotate(
                    stored=models.Exists(
                        Answer.objects.filter(attempt=self.pk, position=item.position)
                    ),
                    answered=_answer_count(self.pk),
                    last=models.Subquery(
                        Answer.objects.filter(attempt=models.OuterRef("pk"))
                        .order_by("-answered_at")
                        .values("answered_at")[:1]
                    ),
                    question_exists=models.Exists(Question.objects.filter(pk=item.question_id)),
                    # For the question's memory: the learner's retention target, and
                    # whether they got it wrong earlier in this session (see _store).
                    desired_retention=models.Subquery(
                        Preferences.objects.filter(user=models.OuterRef("user")).values(
                            "desired_retention"
                        )[:1]
                    ),
                    wrong_before=self._wrong_earlier_in_session(item),
                )
                .values(
                    "stored",
                    "status",
                    "started_at",
                    "question_count",
                    "correct_count",
                    "answered",
                    "last",
                    "question_exists",
                    "desired_retention",
                    "wrong_before",
                )
                .get()
            )
            if not locked["stored"]:
                # An exam's deadline holds here too, against a request racing the view's check.
                if locked["status"] != self.Status.IN_PROGRESS or self.is_overdue(timezone.now()):
                    raise AttemptClosed
                return self._store(item, chosen, response, locked)
        # A concurrent request stored this answer while this one waited for the lock.
        replay = self._stored(item)
        assert replay is not None
        return replay

    def _wrong_earlier_in_session(self, item: Item) -> models.Exists | models.Value:
        """Whether the learner answered this question wrong earlier in the same
        session: a quiz asks each question once (the unique constraint), so only
        今日学习, whose session is the day's one-question attempts, can ask again.
        Right after wrong is then 困难 rather than 良好."""
        if self.mode != self.Mode.TODAY or self.user_id is None:
            return models.Value(False)
        day_starts, _ends = scheduling.study_day(timezone.now())
        return models.Exists(
            Answer.objects.filter(
                attempt__user=self.user_id,
                attempt__mode=self.Mode.TODAY,
                question=item.question_id,
                is_correct=False,
                answered_at__gte=day_starts,
            )
        )

    def _store(
        self, item: Item, chosen: list[int], response: str, locked: Mapping[str, Any]
    ) -> Recorded:
        """Insert the graded answer and fold it into the tally; the attempt row is
        locked and `locked` is what was read under the lock."""
        verdict = item.grade(chosen, response)
        now = timezone.now()
        seconds = (now - max(filter(None, [locked["last"], locked["started_at"]]))).total_seconds()
        answer = Answer.objects.create(
            answered_at=now,
            seconds=min(max(int(seconds), 0), MAX_SECONDS_PER_ANSWER),
            attempt=self,
            question_id=item.question_id if locked["question_exists"] else None,
            position=item.position,
            chosen=sorted(verdict.chosen),
            response=response[:200],
            is_correct=verdict.correct,
        )
        # An exam teaches memory only once handed in (_remember_exam): a wrong answer
        # due again in ten minutes would show in 今日学习's counts, a verdict.
        if self.user_id is not None and locked["question_exists"] and not self.is_exam:
            QuestionState.remember(
                self.user_id,
                item.question_id,
                correct=verdict.correct,
                wrong_before=locked["wrong_before"],
                now=now,
                desired_retention=locked["desired_retention"] or Preferences().desired_retention,
            )
        # The tally folds into the UPDATE: no recount of the attempt's answers.
        answered = locked["answered"] + 1
        changes: dict[str, object] = {"correct_count": models.F("correct_count") + verdict.score}
        status, finished_at = locked["status"], None
        if answered >= locked["question_count"]:
            status, finished_at = self.Status.FINISHED, now
            changes |= {"status": status, "finished_at": finished_at}
        Attempt.objects.filter(pk=self.pk).update(**changes)
        self.status, self.correct_count, self.finished_at = (
            status,
            locked["correct_count"] + verdict.score,
            finished_at,
        )
        if finished_at is not None:
            self._remember_exam(locked["desired_retention"])
        return Recorded(answer, verdict, True, answered)

    def _remember_exam(self, desired_retention: float | None) -> None:
        """Once an exam is over, its answers schedule their questions, each at the
        time it was given (the other modes schedule at once, in _store)."""
        if not self.is_exam or self.user_id is None:
            return
        answers = (
            self.answers.filter(question__isnull=False)
            .order_by("answered_at", "pk")
            .values_list("question_id", "is_correct", "answered_at")
        )
        QuestionState.objects.replay(
            self.user_id,
            answers,
            desired_retention=desired_retention or Preferences().desired_retention,
        )


def _answer_count(attempt_id: int) -> Coalesce:
    """How many answers the attempt holds, as a subquery to fold into another query."""
    count = (
        Answer.objects.filter(attempt=attempt_id)
        .order_by()
        .values("attempt")
        .annotate(n=models.Count("pk"))
        .values("n")
    )
    return Coalesce(models.Subquery(count, output_field=models.IntegerField()), 0)


class AnswerQuerySet(models.QuerySet["Answer"]):
    def revealed(self) -> AnswerQuerySet:
        """Answers whose verdicts the learner has seen: not those of an exam still in
        progress (考试模式 shows none until 交卷, so nothing built on verdicts —
        错题本, 智能练习 — may count them before)."""
        return self.exclude(
            attempt__mode=Attempt.Mode.EXAM, attempt__status=Attempt.Status.IN_PROGRESS
        )


class Answer(models.Model):
    """A learner's answer to one question of an attempt, stored exactly once."""

    attempt = models.ForeignKey(
        Attempt, on_delete=models.CASCADE, related_name="answers", verbose_name="答题记录"
    )
    question = models.ForeignKey(
        Question,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="answers",
        verbose_name="题目",
    )
    position = models.PositiveSmallIntegerField("题序")
    chosen = models.JSONField("所选选项", default=list)
    response = models.CharField("填写内容", max_length=200, blank=True)
    is_correct = models.BooleanField("正确")
    answered_at = models.DateTimeField("作答于", default=timezone.now)
    seconds = models.PositiveIntegerField("用时\uff08秒\uff09", default=0)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        ordering = ["attempt", "position"]
        verbose_name = "作答"
        verbose_name_plural = "作答"
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "position"], name="answer_once_per_position"
            ),
            models.UniqueConstraint(
                fields=["attempt", "question"], name="answer_once_per_question"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attempt} · 第 {self.position + 1} 题"


class QuestionRevision(models.Model):
    """A question as it was after an edit in admin: the history staff can read back."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="revisions", verbose_name="题目"
    )
    saved_at = models.DateTimeField("保存于", default=timezone.now)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="修改人",
    )
    data = models.JSONField("内容")

    class Meta:
        ordering = ["-saved_at", "-pk"]
        verbose_name = "题目修改记录"
        verbose_name_plural = "题目修改记录"

    def __str__(self) -> str:
        return f"{self.question_id} @ {self.saved_at:%Y-%m-%d %H:%M}"

    @classmethod
    def capture(cls, question: Question, user=None) -> QuestionRevision:
        return cls.objects.create(
            question=question,
            saved_by=user,
            data={
                "kind": question.kind,
                "prompt": question.prompt,
                "explanation": question.explanation,
                "is_draft": question.is_draft,
                "choices": [[c.text, c.is_correct] for c in question.choices.all()],
            },
        )


# Logging in replays at most this many of an anonymous session's answers into
# memory (the newest): a session holds up to 50 attempts of up to 2,000 questions.
REPLAY_LIMIT = 1000
MEMORY_FIELDS = ["state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses"]


class QuestionStateQuerySet(models.QuerySet["QuestionState"]):
    def replay(self, user, answers, *, desired_retention: float) -> int:
        """Schedule `user`'s (a learner or their id) questions after earlier answers, given oldest first as
        (question id, correct, answered at): what anonymous answers claimed at login
        teach the memory. An answer older than the question's latest review is
        skipped (memory only moves forward). Three queries, whatever the number."""
        user_id = getattr(user, "pk", user)
        answers = list(answers)
        states: dict[int, QuestionState] = {
            state.question_id: state
            for state in self.filter(user_id=user_id, question_id__in={a[0] for a in answers})
        }
        known = set(states)
        for question_id, correct, when in answers:
            state = states.setdefault(
                question_id, QuestionState(user_id=user_id, question_id=question_id)
            )
            if state.last_review is not None and when <= state.last_review:
                continue
            rating = scheduling.rating_for_answer(correct, wrong_before=False)
            state.review(rating, when, desired_retention=desired_retention)
        with transaction.atomic():
            # A state created meanwhile by a live answer wins over the replay.
            QuestionState.objects.bulk_create(
                [s for q, s in states.items() if q not in known], ignore_conflicts=True
            )
            QuestionState.objects.bulk_update([states[q] for q in known], MEMORY_FIELDS)
        return len(states)

    def due_today(self, now) -> QuestionStateQuerySet:
        """Published questions due before the learner's day ends, overdue ones
        included: the same day as the cards' (scheduling.study_day)."""
        _start, end = scheduling.study_day(now)
        return self.filter(question__is_draft=False, due__lt=end)


class QuestionState(MemoryState):
    """FSRS memory of one question for one learner, updated by every answer in any
    quiz mode: right is 良好, right after a wrong answer earlier in the same
    attempt 困难, wrong 重来. Editing the question keeps it; deleting it deletes it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="question_states"
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="states")

    steps = scheduling.QUESTION_STEPS
    objects = QuestionStateQuerySet.as_manager()

    class Meta:
        verbose_name = "题目记忆状态"
        verbose_name_plural = "题目记忆状态"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "question"], name="question_state_once_per_learner"
            ),
        ]
        indexes = [models.Index(fields=["user", "due"], name="question_state_user_due")]

    def __str__(self) -> str:
        return f"{self.user} · {self.question_id}"

    @classmethod
    def remember(
        cls, user, question_id: int, *, correct: bool, wrong_before: bool, now, desired_retention
    ) -> QuestionState:
        """Schedule the question after this answer (`user`: a learner or their id);
        Attempt.record calls it inside the answer's transaction."""
        user_id = getattr(user, "pk", user)
        state = cls.objects.filter(user_id=user_id, question_id=question_id).first()
        if state is None:
            state = cls(user_id=user_id, question_id=question_id)
        state.review(
            scheduling.rating_for_answer(correct, wrong_before=wrong_before),
            now,
            desired_retention=desired_retention,
        )
        state.save()
        return state
