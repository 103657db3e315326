"""Anki packages (.apkg) ⇄ SetDoc: the flashcards, and the questions as notes.

Cards use a two-sided note type (正面/背面, plus the note section); questions a
"StudySite 问答" note type whose back shows the options with the right ones
marked and the explanation. Each question note also carries its data as JSON
in a field the templates never show, so an exported package imports back
exactly. GUIDs derive from the set and the card front or prompt, so importing
a newer export into Anki updates notes instead of duplicating them.
"""

from __future__ import annotations

import hashlib
import html
import io
import itertools
import json
import os
import re
import sqlite3
import tempfile
import zipfile

import genanki

from interchange.document import CardDoc, ChoiceDoc, FormatError, QuestionDoc, SetDoc

CARD_MODEL_ID = 1_607_392_319
QUESTION_MODEL_ID = 1_607_392_320
CSS = ".card { font-family: 'PingFang SC', 'Noto Sans CJK SC', sans-serif; font-size: 22px; }"

CARD_MODEL = genanki.Model(
    CARD_MODEL_ID,
    "StudySite 抽认卡",
    fields=[{"name": "正面"}, {"name": "背面"}, {"name": "章节"}],
    templates=[
        {
            "name": "卡片",
            "qfmt": "{{正面}}",
            "afmt": "{{FrontSide}}<hr id=answer>{{背面}}<div class=section>{{章节}}</div>",
        }
    ],
    css=CSS,
)
QUESTION_MODEL = genanki.Model(
    QUESTION_MODEL_ID,
    "StudySite 问答",
    fields=[
        {"name": "题目"},
        {"name": "选项"},
        {"name": "答案"},
        {"name": "解析"},
        {"name": "章节"},
        {"name": "数据"},
    ],
    templates=[
        {
            "name": "问答",
            "qfmt": "{{题目}}<br>{{选项}}",
            "afmt": "{{FrontSide}}<hr id=answer>{{答案}}<br>{{解析}}",
        }
    ],
    css=CSS,
)


def _stable_id(text: str) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) | (1 << 30)


def _html(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def write(doc: SetDoc) -> bytes:
    key = doc.slug or doc.title or "studysite"
    deck = genanki.Deck(_stable_id(key), f"学习站::{doc.title or key}")
    for card in doc.cards:
        if card.complete:
            deck.add_note(
                genanki.Note(
                    model=CARD_MODEL,
                    fields=[_html(card.front), _html(card.back), _html(card.section)],
                    guid=genanki.guid_for(key, "card", card.front),
                )
            )
    for question in doc.questions:
        if not question.complete:
            continue
        options = "".join(f"<li>{_html(c.text)}</li>" for c in question.choices)
        right = "<br>".join(f"✓ {_html(c.text)}" for c in question.choices if c.correct)
        data = {
            "kind": question.kind,
            "choices": [[c.text, c.correct] for c in question.choices],
            "explanation": question.explanation,
        }
        deck.add_note(
            genanki.Note(
                model=QUESTION_MODEL,
                fields=[
                    _html(question.prompt),
                    f"<ol>{options}</ol>" if question.kind != "fill_blank" else "",
                    right,
                    _html(question.explanation),
                    _html(question.section),
                    html.escape(json.dumps(data, ensure_ascii=False)),
                ],
                guid=genanki.guid_for(key, "question", question.prompt),
            )
        )
    # genanki's write_to_file leaves its temporary database behind; this is the
    # same package, built in a folder that is removed.
    out = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="apkg-") as folder:
        path = os.path.join(folder, "collection.anki2")
        connection = sqlite3.connect(path)
        genanki.Package(deck).write_to_db(connection.cursor(), 0, itertools.count(0))
        connection.commit()
        connection.close()
        with zipfile.ZipFile(out, "w") as archive:
            archive.write(path, "collection.anki2")
            archive.writestr("media", "{}")
    return out.getvalue()


def _text(field: str) -> str:
    field = re.sub(r"<br\s*/?>", "\n", field, flags=re.I)
    field = re.sub(r"<[^>]+>", "", field)
    return html.unescape(field).strip()


def parse(data: bytes) -> SetDoc:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise FormatError("不是有效的 .apkg 文件(应为 zip 压缩包)。") from error
    names = set(archive.namelist())
    member = next((n for n in ("collection.anki21", "collection.anki2") if n in names), None)
    if member is None:
        raise FormatError(".apkg 里没有 Anki 数据库(collection.anki2)。")
    handle, path = tempfile.mkstemp(suffix=".anki2")
    try:
        with os.fdopen(handle, "wb") as db_file:
            db_file.write(archive.read(member))
        connection = sqlite3.connect(path)
        try:
            models = json.loads(connection.execute("SELECT models FROM col").fetchone()[0])
            rows = connection.execute("SELECT mid, flds FROM notes ORDER BY id").fetchall()
        except sqlite3.DatabaseError as error:
            raise FormatError(f"无法读取 Anki 数据库:{error}") from error
        finally:
            connection.close()
    finally:
        os.unlink(path)
    doc = SetDoc()
    for model_id, fields_blob in rows:
        model = models.get(str(model_id), {})
        names_ = [f["name"] for f in model.get("flds", [])]
        fields = dict(zip(names_, fields_blob.split("\x1f"), strict=False))
        if "数据" in fields and fields["数据"]:
            payload = json.loads(html.unescape(fields["数据"]))
            doc.questions.append(
                QuestionDoc(
                    prompt=_text(fields.get("题目", "")),
                    kind=payload["kind"],
                    choices=[ChoiceDoc(text, bool(right)) for text, right in payload["choices"]],
                    explanation=payload.get("explanation", ""),
                    section=_text(fields.get("章节", "")),
                )
            )
        else:
            values = fields_blob.split("\x1f")
            if len(values) < 2:
                continue
            front, back = _text(values[0]), _text(values[1])
            section = _text(values[2]) if len(values) > 2 and names_[2:3] == ["章节"] else ""
            if front:
                doc.cards.append(CardDoc(front=front, back=back, section=section, draft=not back))
    if not doc.cards and not doc.questions:
        raise FormatError(".apkg 里没有可导入的笔记。")
    return doc
