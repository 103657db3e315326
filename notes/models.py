"""Study sets and their notes, and the abstract base of questions and cards (below: learners)."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping
from typing import Self, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import connection, models, transaction
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.urls import reverse

from learners.visitor import Visitor
from notes import slugs
from notes.rendering import PIPELINE_VERSION, GlossaryTerm, Rendered, heading_id, render_markdown


def validate_slug(value: str) -> None:
    """A set's slug is reversible in /sets/<slug>/ and none of the app's own words."""
    if error := slugs.problem(value):
        raise ValidationError(error, code="invalid_slug")


def _column(model: type[models.Model], name: str) -> str:
    """The quoted column of one of `model`'s concrete fields."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)  # a concrete field: for the type checker
    assert field.column
    return connection.ops.quote_name(field.column)


def _count_of(relation: str, **conditions: bool) -> RawSQL:
    """A correlated COUNT(*) of a set's related rows (no JOIN fan-out).

    Written as SQL once from the models' metadata rather than as an ORM
    Subquery: compiling three inner querysets cost the home page about 2 ms per
    request (bench/results.md). Reached through the reverse relation's name, so
    this bottom app never imports the apps built on it. Conditions are equality
    tests on the related model's own fields.
    """
    quote = connection.ops.quote_name
    model = StudySet._meta.get_field(relation).related_model
    assert model is not None  # a reverse relation always has its model: for the type checker
    table = quote(model._meta.db_table)
    outer = f"{quote(StudySet._meta.db_table)}.{_column(StudySet, 'id')}"
    where = [f"{table}.{_column(model, 'study_set')} = {outer}"]
    where += [f"{table}.{_column(model, name)} = %s" for name in conditions]
    return RawSQL(
        f"SELECT COUNT(*) FROM {table} WHERE {' AND '.join(where)}",
        tuple(conditions.values()),
        output_field=models.IntegerField(),
    )


# The name of a set's untitled first section (text before the first heading),
# wherever a section is named: the set page, search results, admin, citations.
INTRODUCTION_TITLE = "概述"


def new_content_version() -> str:
    """A fresh StudySet.content_version: random, so no two versions of any set's
    content share one, not even across a database rebuilt from scratch."""
    return secrets.token_hex(16)


_COUNTS = ("note_count", "question_count", "card_count")
# A week: counts (and rendered sections) under versions gone by are never read
# again, and expire.
_COUNTS_TIMEOUT = 7 * 24 * 60 * 60


def visible_sets(visitor: Visitor, through: str = "") -> Q:
    """The condition for a set this visitor may see: public ones, their own, any
    whose share link they opened and whose owner has not withdrawn it since, and
    everything for staff. `through` reaches the set from another model (e.g.
    "study_set__"), so a query joins the set instead of a subquery of sets."""
    user = visitor.user
    if user.is_authenticated and user.is_staff:
        return Q()
    visible = Q(**{f"{through}is_public": True})
    tokens = [token for token in visitor.shared_tokens if token]
    if tokens:
        visible |= Q(**{f"{through}share_token__in": tokens})
    if user.is_authenticated:
        visible |= Q(**{f"{through}owner": user})
    return visible


class StudySetQuerySet(models.QuerySet["StudySet"]):
    def mark_content_changed(self) -> int:
        """Give these sets a new content_version: what is cached under it renders afresh."""
        return self.update(content_version=new_content_version())

    def counted(self) -> list[StudySet]:
        """These sets, each with its note, question and card counts, as with_counts()
        gives them; read from the cache under each set's content_version, so a
        warm call is one plain query and any write to a set's content shows at
        once. Missing counts are worked out in one more query, and stored under
        the version read in that same query."""
        sets: list[StudySet] = list(self)
        keys = {s.pk: f"set:counts:{s.pk}:{s.content_version}" for s in sets}
        counts = cache.get_many(list(keys.values()))
        missing = [pk for pk, key in keys.items() if key not in counts]
        if missing:
            rows = StudySet.objects.filter(pk__in=missing).with_counts()
            fresh = {pk: row for pk, *row in rows.values_list("pk", "content_version", *_COUNTS)}
            # Cached under the version read with them; this request uses them
            # whatever that version is (a write may have come between the queries).
            cache.set_many(
                {f"set:counts:{pk}:{version}": n for pk, (version, *n) in fresh.items()},
                timeout=_COUNTS_TIMEOUT,
            )
            counts.update({keys[pk]: n for pk, (_version, *n) in fresh.items()})
        sets = [s for s in sets if keys[s.pk] in counts]  # one deleted meanwhile is gone
        for study_set in sets:
            study_set.note_count, study_set.question_count, study_set.card_count = counts[
                keys[study_set.pk]
            ]
        return sets

    def with_counts(self) -> StudySetQuerySet:
        """Annotate note, question and card counts, one query for any number of sets."""
        return self.annotate(
            note_count=_count_of("notes"),
            question_count=_count_of("questions", is_draft=False),
            card_count=_count_of("cards", is_draft=False),
        )

    def visible_to(self, visitor: Visitor) -> StudySetQuerySet:
        """The sets this visitor may see (see `visible_sets`)."""
        return self.filter(visible_sets(visitor))

    def free_slug(self, title: str, *, private: bool) -> str:
        """A slug no set has yet, from `title`: as it is, or with -2, -3… for a
        public set; with a random suffix for a private one (see slugs.private_from_title)."""
        if private:
            slug = slugs.private_from_title(title)
            while self.filter(slug=slug).exists():
                slug = slugs.private_from_title(title)
            return slug
        base = slugs.from_title(title, room=4)
        slug, n = base, 1
        while self.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        return slug

    def listed_for(self, user) -> StudySetQuerySet:
        """What the home page lists: public sets and the visitor's own."""
        if user.is_authenticated:
            return self.filter(Q(is_public=True) | Q(owner=user))
        return self.filter(is_public=True)


class StudySet(models.Model):
    """A body of material to study: notes, questions and flashcards on one subject."""

    slug = models.SlugField(
        "网址名",
        max_length=slugs.MAX_LENGTH,
        unique=True,
        allow_unicode=False,
        validators=[validate_slug],
    )
    title = models.CharField("标题", max_length=200)
    description = models.TextField("简介", blank=True)
    position = models.PositiveIntegerField("排序", default=0)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="study_sets",
        verbose_name="创建者",
    )
    is_public = models.BooleanField(
        "公开", default=True, help_text="不公开的学习集只有创建者和管理员能看到。"
    )
    share_token = models.CharField(
        "分享口令",
        max_length=32,
        blank=True,
        # What secrets.token_urlsafe(12) makes: long enough not to be guessed,
        # and nothing that would break the /sets/shared/<token>/ URL.
        validators=[
            RegexValidator(
                r"\A[A-Za-z0-9_-]{16,32}\Z",
                "分享口令须是 16–32 个字母、数字、- 或 _；留空表示不分享。",
            )
        ],
    )

    exam_minutes = models.PositiveSmallIntegerField(
        "考试时长\uff08分钟\uff09",
        null=True,
        blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(180)],
        help_text="考试模式的限时\uff0c5–180 分钟\uff1b留空则由学员在 10、20、30 分钟中选择。",
    )

    # Changes with every write to the set's notes, questions or cards, through
    # save, delete, update or bulk_create alike: see ContentQuerySet and
    # notes.apps. The rendered notes page and the set's counts are cached under it.
    content_version = models.CharField(
        "内容版本", max_length=32, default=new_content_version, editable=False
    )

    objects = StudySetQuerySet.as_manager()

    # Not columns: set by StudySetQuerySet.with_counts() (annotations) and, for the
    # list of sets, by progress.reports (the learner's progress on each).
    note_count: int
    question_count: int
    card_count: int
    # None until set: a template reading a missing attribute costs a dir() of the model.
    progress: object = None

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "学习集"
        verbose_name_plural = "学习集"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(exam_minutes__isnull=True)
                | models.Q(exam_minutes__gte=5, exam_minutes__lte=180),
                name="studyset_exam_minutes_5_to_180",
            ),
            # A link opens one set; the lookup by token uses this index.
            models.UniqueConstraint(
                fields=["share_token"],
                condition=~Q(share_token=""),
                name="studyset_unique_share_token",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("notes:overview", args=[self.slug])

    def share_url(self) -> str:
        return reverse("notes:shared", args=[self.share_token]) if self.share_token else ""

    def glossary(self) -> list[GlossaryTerm]:
        """The set's flashcard terms, longest first, for linking in its notes."""
        # .all() so a prefetch is used; drafts (待完善) are not shown to learners.
        cards = sorted(
            (card for card in self.cards.all() if not card.is_draft),
            key=lambda card: -len(card.front),
        )
        if not cards:
            return []
        # One reverse() for the set, not one per card: large sets have hundreds.
        base = cards[0].get_absolute_url().split("?", 1)[0]
        return [
            GlossaryTerm(card.front, f"{base}?mode=browse&card={card.pk}", card.back)
            for card in cards
        ]

    def notes_cache_key(self) -> str:
        """A key for this set's rendered notes that changes with every input: the
        content (content_version), the slug in the glossary's links, the pipeline."""
        return f"notes:page:{self.pk}:{self.slug}:{self.content_version}:{PIPELINE_VERSION}"

    def rendered_notes(self) -> list[tuple[Note, Rendered]]:
        """Every section rendered, from the cache where its inputs are unchanged.

        The cache key hashes everything the HTML depends on (pipeline version,
        body, glossary), so an edited note or card simply misses the cache.
        """
        notes = list(self.notes.all())
        glossary = self.glossary()
        glossary_digest = hashlib.sha256()
        for term in glossary:  # once per page, not once per section
            glossary_digest.update(f"{term.term}\0{term.href}\0{term.definition}\0".encode())
        keys = {note.pk: note.render_cache_key(glossary_digest.hexdigest()) for note in notes}
        cached = cache.get_many(keys.values())
        fresh = {}
        result = []
        for note in notes:
            rendered = cached.get(keys[note.pk])
            if rendered is None:
                rendered = note.render(glossary)
                fresh[keys[note.pk]] = rendered
            result.append((note, rendered))
        if fresh:
            # A week, not forever: where nothing culls (Redis), every edit's key would stay.
            cache.set_many(fresh, timeout=_COUNTS_TIMEOUT)
        return result


_Content = TypeVar("_Content", bound=models.Model)


def content_sources() -> tuple[type[models.Model], ...]:
    """The models whose rows make up a set's content: notes, questions and cards
    (the glossary, the counts), the last two reached through the reverse
    relations so this app imports no app above it."""
    questions = StudySet._meta.get_field("questions").related_model
    cards = StudySet._meta.get_field("cards").related_model
    assert isinstance(questions, type)  # a reverse relation always has its model: for mypy
    assert isinstance(cards, type)
    return (Note, questions, cards)


class ContentQuerySet(models.QuerySet[_Content]):
    """Notes and study items. Writes that bypass save() and delete() (and so the
    signals notes.apps connects) mark their sets' content changed too, in the
    same transaction."""

    def update(self, **kwargs) -> int:
        if self.model not in content_sources():
            return super().update(**kwargs)
        sets = Q(pk__in=self.values("study_set_id"))
        moved_to = kwargs.get("study_set", kwargs.get("study_set_id"))
        if isinstance(moved_to, int | StudySet):
            sets |= Q(pk=getattr(moved_to, "pk", moved_to))
        # One transaction: a reader sees the new rows and the new version together.
        with transaction.atomic(using=self.db, savepoint=False):
            StudySet.objects.filter(sets).mark_content_changed()
            return super().update(**kwargs)

    def bulk_create(self, objs: Iterable[_Content], *args, **kwargs) -> list[_Content]:
        objs = list(objs)
        with transaction.atomic(using=self.db, savepoint=False):
            created = super().bulk_create(objs, *args, **kwargs)
            self._mark_sets_of(objs)
        return created

    def bulk_update(self, objs: Iterable[_Content], *args, **kwargs) -> int:
        objs = list(objs)
        with transaction.atomic(using=self.db, savepoint=False):
            updated = super().bulk_update(objs, *args, **kwargs)
            self._mark_sets_of(objs)
        return updated

    def _mark_sets_of(self, objs: list[_Content]) -> None:
        if self.model in content_sources():
            sets = {obj.study_set_id for obj in objs}  # type: ignore[attr-defined]
            StudySet.objects.filter(pk__in=sets).mark_content_changed()


def content_changed(sender, instance, origin=None, **kwargs) -> None:
    """post_save/post_delete of a note, question or card (loaddata's raw saves
    too): what is cached under its set's content version renders afresh, and
    under the set it was stored in before, when this save moved it to another."""
    deleted = origin.model if isinstance(origin, models.QuerySet) else type(origin)
    if deleted is StudySet:  # the set goes with them: no page to renew, once per row
        return
    sets = {instance.study_set_id, getattr(instance, "stored_set_id", instance.study_set_id)}
    StudySet.objects.filter(pk__in=sets).mark_content_changed()
    instance.stored_set_id = instance.study_set_id  # what the row now holds


class SetContent(models.Model):
    """A row of a set's content (a note, question or card). It remembers the set
    it was stored in, so a save that moves it renews the set it leaves as well
    (content_changed) without reading the row again."""

    stored_set_id: int | None

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance.stored_set_id = instance.__dict__.get("study_set_id")
        return instance


class Note(SetContent):
    """One section of a set's study notes, in Markdown.

    A section without a title is the set's introduction: text that comes before
    the first heading in the source.
    """

    study_set = models.ForeignKey(
        StudySet, on_delete=models.CASCADE, related_name="notes", verbose_name="学习集"
    )
    position = models.PositiveIntegerField("排序", default=0)
    title = models.CharField("标题", max_length=200, blank=True)
    body = models.TextField("正文\uff08Markdown\uff09")

    objects = ContentQuerySet["Note"].as_manager()

    class Meta:
        ordering = ["study_set", "position", "pk"]
        verbose_name = "笔记章节"
        verbose_name_plural = "笔记章节"
        constraints = [
            models.UniqueConstraint(
                fields=["study_set", "position"], name="note_unique_position_in_set"
            )
        ]

    def __str__(self) -> str:
        return self.heading

    def get_absolute_url(self) -> str:
        return f"{reverse('notes:notes', args=[self.study_set.slug])}#{self.anchor}"

    @property
    def heading(self) -> str:
        """The section's name as shown: its title, or 概述 for the untitled first section."""
        return self.title or INTRODUCTION_TITLE

    @property
    def anchor(self) -> str:
        """The id of this section's heading on the notes page."""
        return heading_id(self.title) if self.title else "intro"

    def render(self, glossary: list[GlossaryTerm] | tuple[GlossaryTerm, ...] = ()) -> Rendered:
        """This section through the one Markdown pipeline, ids prefixed by its anchor."""
        return render_markdown(self.body, id_prefix=self.anchor, glossary=glossary)

    def render_cache_key(self, glossary_digest: str) -> str:
        """Everything the rendered HTML depends on, hashed: an edit misses the cache."""
        digest = hashlib.sha256()
        for part in (str(PIPELINE_VERSION), self.anchor, self.body, glossary_digest):
            digest.update(part.encode() + b"\0")
        return f"notes:rendered:{digest.hexdigest()}"


class Incomplete(Exception):
    """An item not complete enough to publish; `problems` says why, in Chinese."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("".join(problems))


_Item = TypeVar("_Item", bound="StudyItem")


class StudyItemQuerySet(ContentQuerySet[_Item]):
    def published(self) -> Self:
        """What learners see: everything not marked 待完善."""
        return self.filter(is_draft=False)

    def drafts(self) -> Self:
        """Items marked 待完善: generated, imported incomplete, or held back by staff."""
        return self.filter(is_draft=True)

    def with_problem_data(self) -> Self:
        """Whatever `problems()` reads, loaded up front (a question's choices)."""
        return self

    def publish_complete(self) -> int:
        """Publish the drafts among these that are complete; how many were."""
        ready = [item.pk for item in self.drafts().with_problem_data() if item.is_publishable]
        return self.model._default_manager.filter(pk__in=ready).update(is_draft=False)


class StudyItem(SetContent):
    """What a quiz question and a flashcard share: their set, place and section,
    the 待完善 flag that keeps a draft from learners, and the sentence a generated
    item came from; and the review of a draft: `accept()`, `discard()`, `update_from()`.

    A concrete item says what makes it complete (`problems()`, built on its app's
    pure check) and which of its fields a reviewer may edit (`EDITABLE`). It
    redeclares `is_draft` and `source` only to name itself in their help texts.
    """

    study_set = models.ForeignKey(
        StudySet, on_delete=models.CASCADE, related_name="%(class)ss", verbose_name="学习集"
    )
    position = models.PositiveIntegerField("排序", default=0)
    note = models.ForeignKey(
        Note,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="%(class)ss",
        verbose_name="出处章节",
    )
    is_draft = models.BooleanField("待完善", default=False)
    source = models.TextField("出处原文", blank=True)

    EDITABLE: tuple[str, ...] = ()

    class Meta:
        abstract = True
        ordering = ["study_set", "position", "pk"]
        # Covers the published counts on home and the set page (no row reads).
        indexes = [
            models.Index(fields=["study_set", "is_draft"], name="%(app_label)s_%(class)s_published")
        ]

    def problems(self) -> list[str]:
        """What keeps this item from being published, in Chinese; [] when nothing does."""
        raise NotImplementedError

    @property
    def is_publishable(self) -> bool:
        return not self.problems()

    def accept(self) -> None:
        """Publish this draft; raises Incomplete (and changes nothing) if it is not complete."""
        if problems := self.problems():
            raise Incomplete(problems)
        self.is_draft = False
        self.save(update_fields=["is_draft"])

    def discard(self) -> None:
        """Throw this draft away."""
        self.delete()

    def update_from(self, data: Mapping[str, object]) -> None:
        """Save a reviewer's edit: the EDITABLE fields found in `data` (a form's cleaned data)."""
        changed = [name for name in self.EDITABLE if name in data]
        for name in changed:
            setattr(self, name, data[name])
        self.save(update_fields=changed)
