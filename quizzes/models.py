"""Questions and their choices."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.functional import cached_property

from notes.models import Note, StudySet
from quizzes.items import Item, OptionSnapshot, snapshot


class QuestionQuerySet(models.QuerySet["Question"]):
    def published(self) -> QuestionQuerySet:
        """What learners see: everything not marked 待完善."""
        return self.filter(is_draft=False)


class Question(models.Model):
    """A quiz question of one of four kinds.

    Choice kinds list their options as `Choice` rows, with the right ones marked.
    A fill-in-blank question keeps its accepted answers as `Choice` rows too, all
    marked right; they are never shown as options.
    """

    class Kind(models.TextChoices):
        SINGLE = "single", "单选题"
        MULTIPLE = "multiple", "多选题"
        TRUE_FALSE = "true_false", "判断题"
        FILL_BLANK = "fill_blank", "填空题"

    study_set = models.ForeignKey(
        StudySet, on_delete=models.CASCADE, related_name="questions", verbose_name="学习集"
    )
    position = models.PositiveIntegerField("排序", default=0)
    kind = models.CharField("题型", max_length=16, choices=Kind.choices, default=Kind.SINGLE)
    prompt = models.TextField("题干")
    explanation = models.TextField("解析\uff08Markdown\uff09", blank=True)
    note = models.ForeignKey(
        Note,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name="出处章节",
    )
    is_draft = models.BooleanField(
        "待完善", default=False, help_text="待完善的题目不会出现在学员的测验里。"
    )
    source = models.TextField("出处原文", blank=True, help_text="生成这道题的原句。")

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["study_set", "position", "pk"]
        verbose_name = "题目"
        verbose_name_plural = "题目"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["single", "multiple", "true_false", "fill_blank"]),
                name="question_kind_valid",
            )
        ]

    def __str__(self) -> str:
        return self.prompt

    def get_absolute_url(self) -> str:
        return f"{reverse('notes:overview', args=[self.study_set.slug])}#question-{self.pk}"

    def snapshot(self, position: int) -> Item:
        """Freeze this question (choices prefetched) for one attempt, options shuffled."""
        return snapshot(
            position,
            question_id=self.pk,
            kind=self.kind,
            prompt=self.prompt,
            explanation=self.explanation,
            note_title=str(self.note) if self.note else "",
            note_url=self.note.get_absolute_url() if self.note else "",
            options=[OptionSnapshot(c.pk, c.text, c.is_correct) for c in self.choices.all()],
        )


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


SESSION_ATTEMPTS = "quiz_attempt_ids"
# Time studied counts at most this long per answer: a learner who walks away
# from an open question is not studying.
MAX_SECONDS_PER_ANSWER = 10 * 60


class AttemptClosed(Exception):
    """The attempt is finished or abandoned: it takes no new answers."""


class AttemptQuerySet(models.QuerySet["Attempt"]):
    def owned_by(self, request) -> AttemptQuerySet:
        """The visitor's attempts: their account's, or the anonymous session's."""
        if request.user.is_authenticated:
            return self.filter(user=request.user)
        return self.filter(user=None, pk__in=request.session.get(SESSION_ATTEMPTS, []))

    def in_progress(self) -> AttemptQuerySet:
        return self.filter(status=Attempt.Status.IN_PROGRESS)

    def finished(self) -> AttemptQuerySet:
        return self.filter(status=Attempt.Status.FINISHED)

    def claim_for(self, user, session) -> int:
        """Give an anonymous session's attempts to the account that just logged in."""
        ids = session.get(SESSION_ATTEMPTS, [])
        if not ids:
            return 0
        with transaction.atomic():
            anonymous = self.filter(user=None, pk__in=ids)
            # One attempt in progress per set: the account's older one gives way.
            sets = anonymous.filter(status=Attempt.Status.IN_PROGRESS).values("study_set")
            self.filter(user=user, study_set__in=sets, status=Attempt.Status.IN_PROGRESS).update(
                status=Attempt.Status.ABANDONED
            )
            claimed = anonymous.update(user=user)
        session.pop(SESSION_ATTEMPTS, None)
        return claimed


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

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = "答题记录"
        verbose_name_plural = "答题记录"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "study_set"],
                condition=models.Q(status="in_progress", user__isnull=False),
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
        request,
        study_set: StudySet,
        questions: list[Question],
        *,
        mode: str = Mode.ALL,
        source: Attempt | None = None,
        explain_each: bool = True,
    ) -> Attempt:
        """Begin a new attempt on `questions` (choices prefetched), closing any in progress."""
        items = [question.snapshot(position) for position, question in enumerate(questions)]
        user = request.user if request.user.is_authenticated else None
        try:
            attempt = cls._create(request, study_set, user, items, mode, source, explain_each)
        except IntegrityError:  # a concurrent start won: abandon it and start again
            attempt = cls._create(request, study_set, user, items, mode, source, explain_each)
        if user is None:
            request.session[SESSION_ATTEMPTS] = [
                *request.session.get(SESSION_ATTEMPTS, [])[-49:],
                attempt.pk,
            ]
        return attempt

    @classmethod
    def _create(cls, request, study_set, user, items, mode, source, explain_each) -> Attempt:
        with transaction.atomic():
            cls.objects.owned_by(request).in_progress().filter(study_set=study_set).update(
                status=cls.Status.ABANDONED
            )
            attempt = cls.objects.create(
                user=user,
                study_set=study_set,
                mode=mode,
                source=source,
                items=[item.to_json() for item in items],
                question_count=len(items),
                explain_each=explain_each,
            )
        return attempt

    # -- reading the snapshot -------------------------------------------------

    @cached_property
    def item_list(self) -> list[Item]:
        return [Item.from_json(position, data) for position, data in enumerate(self.items)]

    def item_for(self, question_id: int) -> Item | None:
        return next((item for item in self.item_list if item.question_id == question_id), None)

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
    def duration(self):
        return (self.finished_at - self.started_at) if self.finished_at else None

    # -- changing state ---------------------------------------------------------

    def abandon(self) -> None:
        """放弃本次: the attempt takes no more answers and never counts as finished."""
        Attempt.objects.filter(pk=self.pk, status=self.Status.IN_PROGRESS).update(
            status=self.Status.ABANDONED
        )
        self.status = self.Status.ABANDONED

    def record(self, item: Item, chosen: list[int], response: str = "") -> tuple[Answer, bool]:
        """Store the answer to `item` once; a replay returns the stored one.

        Returns (answer, created). Raises AttemptClosed for a new answer to an
        attempt that is no longer in progress. The attempt row is locked
        (select_for_update on PostgreSQL; SQLite's IMMEDIATE transaction takes
        the database write lock), so concurrent answers to one attempt queue up.
        """
        try:
            return self._record(item, chosen, response)
        except IntegrityError:
            return self._record(item, chosen, response)  # the other request's answer is stored

    def _record(self, item: Item, chosen: list[int], response: str) -> tuple[Answer, bool]:
        with transaction.atomic():
            attempt = Attempt.objects.select_for_update().get(pk=self.pk)
            existing = attempt.answers.filter(position=item.position).first()
            if existing is not None:
                return existing, False
            if not attempt.is_open:
                raise AttemptClosed
            verdict = item.grade(chosen, response)
            now = timezone.now()
            previous = attempt.answers.aggregate(last=models.Max("answered_at"))["last"]
            seconds = (now - max(filter(None, [previous, attempt.started_at]))).total_seconds()
            answer = Answer.objects.create(
                answered_at=now,
                seconds=min(max(int(seconds), 0), MAX_SECONDS_PER_ANSWER),
                attempt=attempt,
                question_id=item.question_id
                if Question.objects.filter(pk=item.question_id).exists()
                else None,
                position=item.position,
                chosen=sorted(verdict.chosen),
                response=response[:200],
                is_correct=verdict.correct,
            )
            tally = attempt.answers.aggregate(
                answered=models.Count("pk"),
                right=models.Count("pk", filter=models.Q(is_correct=True)),
            )
            attempt.correct_count = tally["right"]
            fields = ["correct_count"]
            if tally["answered"] >= attempt.question_count:
                attempt.status = self.Status.FINISHED
                attempt.finished_at = answer.answered_at
                fields += ["status", "finished_at"]
            attempt.save(update_fields=fields)
        self.status, self.correct_count, self.finished_at = (
            attempt.status,
            attempt.correct_count,
            attempt.finished_at,
        )
        return answer, True


class AnswerQuerySet(models.QuerySet["Answer"]):
    def mistake_question_ids(self, user, study_set: StudySet | None = None) -> list[int]:
        """错题本: questions answered wrong and not since answered right twice in a row.

        Most recent mistake first. One query, folded in Python over the user's
        answers in time order.
        """
        rows = self.filter(attempt__user=user, question__isnull=False)
        if study_set is not None:
            rows = rows.filter(attempt__study_set=study_set)
        streak: dict[int, int | None] = {}  # question -> right answers since its last mistake
        last_wrong: dict[int, int] = {}
        for index, (question_id, correct) in enumerate(
            rows.order_by("answered_at", "pk").values_list("question_id", "is_correct")
        ):
            if not correct:
                streak[question_id] = 0
                last_wrong[question_id] = index
            elif streak.get(question_id) is not None:
                streak[question_id] += 1  # type: ignore[operator]  # not None: checked above
        open_ids = [qid for qid, rights in streak.items() if rights is not None and rights < 2]
        return sorted(open_ids, key=lambda qid: -last_wrong[qid])

    def weakest_sections(self, user, study_set: StudySet) -> list[tuple[int, str, float]]:
        """(note id, title, facility) of the learner's answered sections, weakest first."""
        rows = (
            self.filter(
                attempt__user=user, question__study_set=study_set, question__note__isnull=False
            )
            .values("question__note", "question__note__title")
            .annotate(
                n=models.Count("pk"), right=models.Count("pk", filter=models.Q(is_correct=True))
            )
        )
        return sorted(
            ((r["question__note"], r["question__note__title"], r["right"] / r["n"]) for r in rows),
            key=lambda row: (row[2], row[0]),
        )

    def practice_question_ids(self, user, study_set: StudySet, size: int) -> list[int]:
        """智能练习: the learner's open mistakes, then questions from their weakest sections."""
        chosen = self.mistake_question_ids(user, study_set)[:size]
        weak = [
            note_id
            for note_id, _title, facility in self.weakest_sections(user, study_set)
            if facility < 1
        ]
        if len(chosen) < size and weak:
            pool = (
                Question.objects.published()
                .filter(study_set=study_set, note__in=weak)
                .exclude(pk__in=chosen)
            )
            rank = {note_id: i for i, note_id in enumerate(weak)}
            extra = sorted(
                pool.values_list("pk", "note_id", "position"), key=lambda r: (rank[r[1]], r[2])
            )
            chosen += [pk for pk, _note, _pos in extra[: size - len(chosen)]]
        return chosen


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
