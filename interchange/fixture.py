"""Django fixture JSON (what `loaddata` reads) ⇄ SetDoc.

Written with the primary keys the set has, so `loaddata` of an export updates
the same rows instead of adding copies.
"""

from __future__ import annotations

import json

from interchange.document import (
    KINDS,
    SINGLE,
    CardDoc,
    ChoiceDoc,
    FormatError,
    NoteDoc,
    QuestionDoc,
    SetDoc,
    expect,
    loads_json,
)


def write(doc: SetDoc) -> str:
    section_pk = {note.title: note.pk for note in doc.notes}
    objects: list[dict[str, object]] = [
        _obj("notes.studyset", doc.pk, slug=doc.slug, title=doc.title, description=doc.description)
    ]
    for position, note in enumerate(doc.notes):
        objects.append(
            _obj(
                "notes.note",
                note.pk,
                study_set=doc.pk,
                position=position,
                title=note.title,
                body=note.body,
            )
        )
    for position, question in enumerate(doc.questions):
        objects.append(
            _obj(
                "quizzes.question",
                question.pk,
                study_set=doc.pk,
                position=position,
                kind=question.kind,
                prompt=question.prompt,
                explanation=question.explanation,
                note=section_pk.get(question.section) if question.section else None,
                is_draft=question.draft,
            )
        )
        for choice_position, choice in enumerate(question.choices):
            objects.append(
                _obj(
                    "quizzes.choice",
                    choice.pk,
                    question=question.pk,
                    position=choice_position,
                    text=choice.text,
                    is_correct=choice.correct,
                )
            )
    for position, card in enumerate(doc.cards):
        objects.append(
            _obj(
                "flashcards.card",
                card.pk,
                study_set=doc.pk,
                position=position,
                front=card.front,
                back=card.back,
                note=section_pk.get(card.section) if card.section else None,
                is_draft=card.draft,
            )
        )
    return json.dumps(objects, ensure_ascii=False, indent=2) + "\n"


def _obj(model: str, pk: int | None, **fields: object) -> dict[str, object]:
    obj: dict[str, object] = {"model": model}
    if pk is not None:
        obj["pk"] = pk
    obj["fields"] = fields
    return obj


def parse(text: str) -> SetDoc:
    objects = loads_json(text)
    if not isinstance(objects, list) or not all(isinstance(o, dict) for o in objects):
        raise FormatError("不是 Django fixture\uff1a应为包含 model/fields 的对象列表。", 1)
    lines = _object_lines(text, len(objects))
    checked = [_checked(o, line) for o, line in zip(objects, lines, strict=True)]
    sets = [o for o in checked if o.model == "notes.studyset"]
    if len(sets) != 1:
        raise FormatError(f"fixture 里应正好有一个学习集\uff0c实际有 {len(sets)} 个。", 1)
    return _doc(checked, sets[0])


def _object_lines(text: str, count: int) -> list[int]:
    """The line each top-level object starts on (the text is already valid JSON)."""
    decoder = json.JSONDecoder()
    lines, at, line, counted = [], text.index("[") + 1, 1, 0
    for _ in range(count):
        while text[at] in " \t\r\n,":
            at += 1
        line += text.count("\n", counted, at)  # counted on from the last object, not from 0
        counted = at
        lines.append(line)
        at = decoder.raw_decode(text, at)[1]
    return lines


class _Object:
    """One fixture object whose fields are checked as they are read."""

    def __init__(self, model: str, pk: int | None, fields: dict[str, object], line: int):
        self.model, self.pk, self.fields, self.line = model, pk, fields, line

    def text(self, name: str, default: str | None = None) -> str:
        if name not in self.fields:
            if default is None:
                raise FormatError(f"{self.model} 缺少字段 {name}。", self.line)
            return default
        return expect(self.fields.get(name), str, f"{self.model} 的 {name}", self.line)

    def ref(self, name: str) -> int | None:
        return expect(
            self.fields.get(name), (int, type(None)), f"{self.model} 的 {name}", self.line
        )

    def flag(self, name: str) -> bool:
        value = self.fields.get(name, False)
        return bool(expect(value, (bool, int), f"{self.model} 的 {name}", self.line))

    def position(self) -> int:
        return expect(self.fields.get("position", 0), int, f"{self.model} 的 position", self.line)


def _checked(obj: dict[str, object], line: int) -> _Object:
    model = expect(obj.get("model"), str, "model", line)
    pk = expect(obj.get("pk"), (int, type(None)), f"{model} 的 pk", line)
    fields = expect(obj.get("fields"), dict, f"{model} 的 fields", line)
    return _Object(model, pk, fields, line)


def _doc(objects: list[_Object], study_set: _Object) -> SetDoc:
    doc = SetDoc(
        title=study_set.text("title"),
        slug=study_set.text("slug"),
        description=study_set.text("description", ""),
        pk=study_set.pk,
    )

    def of(model: str) -> list[_Object]:
        return sorted((o for o in objects if o.model == model), key=_Object.position)

    titles = {}
    for note in of("notes.note"):
        titles[note.pk] = note.text("title")
        doc.notes.append(NoteDoc(note.text("title"), note.text("body"), note.pk))
    choices: dict[int | None, list[ChoiceDoc]] = {}
    for choice in of("quizzes.choice"):
        choices.setdefault(choice.ref("question"), []).append(
            ChoiceDoc(choice.text("text"), choice.flag("is_correct"), choice.pk)
        )
    for question in of("quizzes.question"):
        kind = question.text("kind", SINGLE)
        if kind not in KINDS:
            raise FormatError(f"未知题型 {kind[:20]!r}。", question.line)
        doc.questions.append(
            QuestionDoc(
                prompt=question.text("prompt"),
                kind=kind,
                choices=choices.get(question.pk, []),
                explanation=question.text("explanation", ""),
                section=titles.get(question.ref("note"), ""),
                draft=question.flag("is_draft"),
                pk=question.pk,
            )
        )
    fronts: set[str] = set()
    for card in of("flashcards.card"):
        front = card.text("front")
        if front in fronts:  # a set holds each front once: an export never repeats one
            raise FormatError(f"卡片“{front[:20]}”出现了两次。", card.line)
        fronts.add(front)
        doc.cards.append(
            CardDoc(
                front=front,
                back=card.text("back"),
                section=titles.get(card.ref("note"), ""),
                draft=card.flag("is_draft"),
                pk=card.pk,
            )
        )
    return doc
