"""Django fixture JSON (what `loaddata` reads) ⇄ SetDoc.

Written with the primary keys the set has, so `loaddata` of an export updates
the same rows instead of adding copies.
"""

from __future__ import annotations

import json

from interchange.document import CardDoc, ChoiceDoc, FormatError, NoteDoc, QuestionDoc, SetDoc


def write(doc: SetDoc) -> str:
    section_pk = {note.title: note.pk for note in doc.notes}
    objects: list[dict] = [
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


def _obj(model: str, pk: int | None, **fields) -> dict:
    obj: dict = {"model": model}
    if pk is not None:
        obj["pk"] = pk
    obj["fields"] = fields
    return obj


def parse(text: str) -> SetDoc:
    try:
        objects = json.loads(text)
    except json.JSONDecodeError as error:
        raise FormatError(f"JSON 格式错误:{error.msg}", error.lineno) from error
    if not isinstance(objects, list) or not all(
        isinstance(o, dict) and "model" in o for o in objects
    ):
        raise FormatError("不是 Django fixture:应为包含 model/fields 的对象列表。", 1)
    sets = [o for o in objects if o["model"] == "notes.studyset"]
    if len(sets) != 1:
        raise FormatError(f"fixture 里应正好有一个学习集,实际有 {len(sets)} 个。", 1)
    try:
        return _doc(objects, sets[0])
    except (KeyError, TypeError) as error:
        raise FormatError(f"fixture 缺少字段:{error}", 1) from error


def _doc(objects: list[dict], study_set: dict) -> SetDoc:
    fields = study_set["fields"]
    doc = SetDoc(
        title=fields["title"],
        slug=fields["slug"],
        description=fields.get("description", ""),
        pk=study_set.get("pk"),
    )

    def of(model: str) -> list[dict]:
        return sorted(
            (o for o in objects if o["model"] == model),
            key=lambda o: o["fields"].get("position", 0),
        )

    titles = {}
    for note in of("notes.note"):
        titles[note.get("pk")] = note["fields"]["title"]
        doc.notes.append(NoteDoc(note["fields"]["title"], note["fields"]["body"], note.get("pk")))
    choices: dict[int | None, list[ChoiceDoc]] = {}
    for choice in of("quizzes.choice"):
        f = choice["fields"]
        choices.setdefault(f["question"], []).append(
            ChoiceDoc(f["text"], bool(f["is_correct"]), choice.get("pk"))
        )
    for question in of("quizzes.question"):
        f = question["fields"]
        doc.questions.append(
            QuestionDoc(
                prompt=f["prompt"],
                kind=f.get("kind", "single"),
                choices=choices.get(question.get("pk"), []),
                explanation=f.get("explanation", ""),
                section=titles.get(f.get("note"), ""),
                draft=bool(f.get("is_draft", False)),
                pk=question.get("pk"),
            )
        )
    for card in of("flashcards.card"):
        f = card["fields"]
        doc.cards.append(
            CardDoc(
                front=f["front"],
                back=f["back"],
                section=titles.get(f.get("note"), ""),
                draft=bool(f.get("is_draft", False)),
                pk=card.get("pk"),
            )
        )
    return doc
