"""The one bridge between SetDoc and the models, both ways.

`save` writes a document in one transaction and updates instead of
duplicating: a set is found by its slug, notes by title, questions by prompt,
cards by front. An incomplete item (待完善) never overwrites content staff
have completed since the last import.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import CharField, F, Max, Model

from flashcards.models import Card
from interchange.document import (
    KINDS,
    CardDoc,
    ChoiceDoc,
    FormatError,
    NoteDoc,
    QuestionDoc,
    SetDoc,
)
from notes import slugs
from notes.models import Note, StudySet
from quizzes.models import Choice, Question
from studysite.chinese import typeset


def _slug(asked: str, from_file: str, title: str) -> str:
    """The slug to write to: the one asked for (refused if it cannot name a set), else
    the file's if it can, else one made from the title.

    Only a slug asked for may reach a learner's own set; one made from the title
    reaches an existing set only if that set has the same title (大模型 and 大魔性
    share their pinyin, not their content), else the next free one is taken.
    """
    if asked:
        if error := slugs.problem(asked):
            raise FormatError(error)
        return asked
    if (
        from_file
        and not slugs.problem(from_file)
        and not StudySet.objects.filter(slug=from_file, owner__isnull=False).exists()
    ):
        return from_file
    if not title:
        raise FormatError("需要学习集的标题或网址名（--title / --slug）。")
    base = slugs.from_title(title, room=4)
    taken = {
        slug: (typeset(existing_title), owner_id)
        for slug, existing_title, owner_id in StudySet.objects.filter(
            slug__startswith=base
        ).values_list("slug", "title", "owner_id")
    }
    for n in range(1, 1000):
        slug = base if n == 1 else f"{base}-{n}"
        if slug not in taken or taken[slug] == (title, None):
            return slug
    raise FormatError(f"网址名 {base} 已用完：请用 --slug 指定一个。")


def _check_lengths(doc: SetDoc, title: str) -> None:
    """What the columns cannot hold is refused here, on every database (SQLite
    would store it whole; PostgreSQL would fail mid-transaction)."""
    checks: list[tuple[str, type[Model], str, str]] = [(title, StudySet, "title", "学习集标题")]
    checks += [(note.title, Note, "title", "笔记章节标题") for note in doc.notes]
    checks += [(card.front, Card, "front", "卡片正面") for card in doc.cards]
    checks += [
        (choice.text, Choice, "text", f"题目「{question.prompt[:20]}」的选项")
        for question in doc.questions
        for choice in question.choices
    ]
    for value, model, name, what in checks:
        field = model._meta.get_field(name)
        limit = field.max_length if isinstance(field, CharField) else None
        assert limit is not None  # each a CharField with a max_length: for the type checker
        if len(value) > limit:
            raise FormatError(
                f"{what}太长：最多 {limit} 个字，这里有 {len(value)} 个（{value[:20]}…）。"
            )


@dataclass
class ImportReport:
    study_set: StudySet
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    kept: Counter = field(default_factory=Counter)
    drafts: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The report as the command prints it: counts, then the drafts."""
        out = self.summary()
        if self.drafts:
            out.append(self.drafts_heading())
            out += [f"  - {draft}" for draft in self.drafts]
        return out

    def drafts_heading(self) -> str:
        return f"待完善\uff08{len(self.drafts)} 项\uff0c完善前不会出现在学员面前\uff09\uff1a"

    def summary(self) -> list[str]:
        labels = {"notes": "笔记章节", "questions": "题目", "cards": "卡片"}
        out = [f"学习集\uff1a{self.study_set.title}\uff08{self.study_set.slug}\uff09"]
        for key, label in labels.items():
            if self.created[key] or self.updated[key] or self.kept[key]:
                out.append(
                    f"{label}\uff1a新增 {self.created[key]}\uff0c更新 {self.updated[key]}\uff0c保留 {self.kept[key]}"
                )
        return out


@transaction.atomic
def save(
    doc: SetDoc, *, slug: str = "", title: str = "", owner=None, is_public: bool = True
) -> ImportReport:
    """Write `doc` into the set `slug` (created if missing, owned by `owner`).

    Text is stored typeset (Chinese punctuation), and matched against what is
    stored as typeset too, so content imported before is updated, not doubled.
    """
    doc = doc.typeset()
    title = typeset((title or doc.title).strip())
    slug = _slug(slug.strip(), doc.slug.strip(), title)
    _check_lengths(doc, title)
    study_set = StudySet.objects.filter(slug=slug).first()
    if study_set is None:
        if not title:
            raise FormatError(f"学习集 {slug} 不存在：新建时需要标题（--title）。")
        study_set = StudySet.objects.create(
            slug=slug, title=title, description=doc.description, owner=owner, is_public=is_public
        )
    elif title and (
        study_set.title != title or (doc.description and doc.description != study_set.description)
    ):
        study_set.title = title
        study_set.description = doc.description or study_set.description
        study_set.save(update_fields=["title", "description"])
    report = ImportReport(study_set)
    notes = _save_notes(study_set, doc.notes, report)
    _save_questions(study_set, doc.questions, notes, report)
    _save_cards(study_set, doc.cards, notes, report)
    report.drafts = [f"题目\uff1a{q.prompt}" for q in study_set.questions.drafts()] + [
        f"卡片\uff1a{c.front}" for c in study_set.cards.drafts()
    ]
    return report


def _save_notes(study_set: StudySet, docs: list[NoteDoc], report: ImportReport) -> dict[str, Note]:
    existing = {typeset(note.title): note for note in study_set.notes.all()}
    if docs:
        # Park every position first: (set, position) is unique.
        study_set.notes.update(position=F("position") + 1_000_000)
        seen = set()
        for position, note_doc in enumerate(docs):
            note = existing.get(note_doc.title)
            if note is None:
                Note.objects.create(
                    study_set=study_set, position=position, title=note_doc.title, body=note_doc.body
                )
                report.created["notes"] += 1
            else:
                changed = (note.title, note.body) != (note_doc.title, note_doc.body)
                note.title, note.body, note.position = note_doc.title, note_doc.body, position
                note.save(update_fields=["title", "body", "position"])
                if changed:
                    report.updated["notes"] += 1
                else:
                    report.kept["notes"] += 1
            seen.add(note_doc.title)
        leftovers = [note for title, note in existing.items() if title not in seen]
        for offset, note in enumerate(sorted(leftovers, key=lambda n: n.position)):
            note.position = len(docs) + offset
            note.save(update_fields=["position"])
    return {typeset(note.title): note for note in study_set.notes.all()}


def _save_questions(study_set, docs: list[QuestionDoc], notes: dict[str, Note], report) -> None:
    existing = {typeset(q.prompt): q for q in study_set.questions.prefetch_related("choices")}
    start = (study_set.questions.aggregate(top=Max("position"))["top"] or -1) + 1
    for offset, question_doc in enumerate(docs):
        if question_doc.kind not in KINDS:
            raise FormatError(f"未知题型 {question_doc.kind!r}\uff1a{question_doc.prompt[:30]}")
        complete = question_doc.complete and not question_doc.draft
        note = notes.get(question_doc.section) if question_doc.section else None
        question = existing.get(question_doc.prompt)
        if question is None:
            question = Question.objects.create(
                study_set=study_set,
                position=start + offset,
                kind=question_doc.kind,
                prompt=question_doc.prompt,
                explanation=question_doc.explanation,
                note=note,
                is_draft=not complete,
                source=question_doc.source,
            )
            _sync_choices(question, question_doc.choices)
            report.created["questions"] += 1
        elif complete:
            question.prompt, question.kind = question_doc.prompt, question_doc.kind
            question.explanation = question_doc.explanation or question.explanation
            question.note = note or question.note
            question.is_draft = False
            question.save()
            _sync_choices(question, question_doc.choices)
            report.updated["questions"] += 1
        else:
            report.kept["questions"] += 1  # an incomplete source never overwrites


def _sync_choices(question: Question, docs: list[ChoiceDoc]) -> None:
    existing = {typeset(choice.text): choice for choice in question.choices.all()}
    keep = set()
    # An option without text does not count (quizzes.completeness), so it is not
    # stored either: learners would see an empty choice, and one marked right
    # would leave a 单选题 with two right options and no right answer.
    kept = [choice_doc for choice_doc in docs if choice_doc.text.strip()]
    for position, choice_doc in enumerate(kept):
        choice = existing.get(choice_doc.text)
        if choice is None:
            choice = Choice.objects.create(
                question=question,
                position=position,
                text=choice_doc.text,
                is_correct=choice_doc.correct,
            )
        elif (choice.text, choice.position, choice.is_correct) != (
            choice_doc.text,
            position,
            choice_doc.correct,
        ):
            choice.text, choice.position = choice_doc.text, position
            choice.is_correct = choice_doc.correct
            choice.save(update_fields=["text", "position", "is_correct"])
        keep.add(choice.pk)
    question.choices.exclude(pk__in=keep).delete()


def _save_cards(study_set, docs: list[CardDoc], notes: dict[str, Note], report) -> None:
    existing = {typeset(card.front): card for card in study_set.cards.all()}
    start = (study_set.cards.aggregate(top=Max("position"))["top"] or -1) + 1
    for offset, card_doc in enumerate(docs):
        complete = card_doc.complete and not card_doc.draft
        note = notes.get(card_doc.section) if card_doc.section else None
        card = existing.get(card_doc.front)
        if card is None:
            Card.objects.create(
                study_set=study_set,
                position=start + offset,
                front=card_doc.front,
                back=card_doc.back,
                note=note,
                is_draft=not complete,
                source=card_doc.source,
            )
            report.created["cards"] += 1
        elif complete:
            card.front, card.back = card_doc.front, card_doc.back
            card.note, card.is_draft = note or card.note, False
            card.save()
            report.updated["cards"] += 1
        else:
            report.kept["cards"] += 1


def load(study_set: StudySet) -> SetDoc:
    """A set as a document, for the writers. Keeps primary keys for fixtures."""
    notes = list(study_set.notes.all())
    titles: dict[int | None, str] = {note.pk: note.title for note in notes}
    return SetDoc(
        title=study_set.title,
        slug=study_set.slug,
        description=study_set.description,
        pk=study_set.pk,
        notes=[NoteDoc(note.title, note.body, note.pk) for note in notes],
        questions=[
            QuestionDoc(
                prompt=q.prompt,
                kind=q.kind,
                choices=[ChoiceDoc(c.text, c.is_correct, c.pk) for c in q.choices.all()],
                explanation=q.explanation,
                section=titles.get(q.note_id, ""),
                draft=q.is_draft,
                pk=q.pk,
            )
            for q in study_set.questions.prefetch_related("choices")
        ],
        cards=[
            CardDoc(c.front, c.back, titles.get(c.note_id, ""), c.is_draft, c.pk)
            for c in study_set.cards.all()
        ],
    )
