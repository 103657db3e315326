"""Anki packages ⇄ SetDoc: the flashcards, and the questions as notes.

Export: cards use a two-sided note type (正面/背面, plus the note section);
questions a "StudySite 问答" note type whose back shows the options with the
right ones marked and the explanation. Each question note also carries its data
as JSON in a field the templates never show, so an exported package imports back
exactly. GUIDs derive from the set and the card front or prompt, and notes carry
the export time as their modification time, so importing a newer export into
Anki updates the notes instead of duplicating them; note and card ids are taken
from the export time as Anki itself takes them (positive, unique, never in the
future); the deck and note types keep fixed ids, so a re-import lands in the same
deck.

Import reads what Anki writes: the legacy package (`collection.anki2`, or
`collection.anki21` beside a stub `collection.anki2`), the current one
(`collection.anki21b`, zstd-compressed, schema 18 with its note types in tables)
and `.colpkg` (the same members). Basic and reversed notes become cards; a note
type that asks to type the answer (`{{type:…}}`) and Cloze notes become
fill-in-blank questions; HTML in fields becomes text. Media is not kept, and
the import says so.
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
import struct
import tempfile
import time
import urllib.parse
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import IO

import genanki
import zstandard

from interchange.document import (
    FILL_BLANK,
    KINDS,
    CardDoc,
    ChoiceDoc,
    FormatError,
    QuestionDoc,
    SetDoc,
    expect,
    loads_json,
)
from interchange.markup import html_to_text

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


DECK_ROOT = "学习站"  # our exports' decks: 学习站::<set title>


def write(doc: SetDoc, now: float | None = None) -> bytes:
    """The set as a legacy .apkg that every Anki since 2.1 imports; `now` is the export time."""
    now = time.time() if now is None else now
    key = doc.slug or doc.title or "studysite"
    deck = genanki.Deck(_stable_id(key), f"{DECK_ROOT}::{doc.title or key}")
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
                    f"<ol>{options}</ol>" if question.kind != FILL_BLANK else "",
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
        # Anki's own ids are creation times in ms: one per note and one per card (each
        # of our notes has one card), all before the export time, none ever 0.
        first_id = int(now * 1000) - 2 * len(deck.notes)
        genanki.Package(deck).write_to_db(connection.cursor(), now, itertools.count(first_id))
        connection.commit()
        connection.close()
        with zipfile.ZipFile(out, "w") as archive:
            archive.write(path, "collection.anki2")
            archive.writestr("media", "{}")
    return out.getvalue()


_MEDIA = re.compile(r"<(?:img|audio|video|object|embed)\b|\[sound:", re.IGNORECASE)
_SOUND = re.compile(r"\[sound:[^\[\]]*\]")


def field_text(field: str, html: bool = True) -> str:
    """A field as text (its HTML made text unless `html` is false); `[sound:…]`
    references go with the media."""
    field = _SOUND.sub("", field)
    return html_to_text(field) if html else field.strip()


# A real collection is text and indexes: tens of MB at most, and it compresses
# by a factor of a few. A member that claims more, or that inflates past the cap
# while it is read (the header can lie), is refused before it costs memory or time.
MAX_MEMBER_BYTES = 50 * 1024 * 1024
MAX_RATIO = 100  # uncompressed / compressed, for members over RATIO_FROM bytes
RATIO_FROM = 1024 * 1024
MAX_TEXT_BYTES = 10 * 1024 * 1024  # the longest value SQLite may build while we read
QUERY_SECONDS = 5.0
_CHUNK = 1024 * 1024
MAX_DIRECTORY_BYTES = 1024 * 1024  # ~15,000 members: a deck's media, with room to spare
# zstd (collection.anki21b): the same caps on what it inflates to. The window is
# the memory a frame may ask for; Anki's own frames need a few MB.
MAX_ZSTD_WINDOW = 1 << 25
_ZSTD_STEP = 128  # input bytes per step: an RLE block turns 4 bytes into 128 KB
# The collection inside, newest first: Anki 2.1.50+ writes anki21b (zstd) beside a
# stub anki2 that only says "Please update to the latest Anki version".
MEMBERS = ("collection.anki21b", "collection.anki21", "collection.anki2")
STUB = "Please update to the latest Anki version"


def parse(data: bytes) -> SetDoc:
    directory = _directory_size(data)
    if directory is None:
        raise FormatError("不支持 zip64 格式的 .apkg\uff1aAnki 导出的文件不会用到它。")
    if directory > MAX_DIRECTORY_BYTES:
        raise FormatError(".apkg 里的成员太多\uff0c不像 Anki 导出的文件。")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as error:
        raise FormatError("不是有效的 .apkg 文件\uff08应为 zip 压缩包\uff09。") from error
    names = set(archive.namelist())
    member = next((name for name in MEMBERS if name in names), None)
    if member is None:
        raise FormatError(".apkg 里没有 Anki 数据库\uff08collection.anki2\uff09。")
    media_files = sum(name.isdigit() for name in names)  # media are stored as 0, 1, 2 …
    with tempfile.TemporaryDirectory(prefix="apkg-") as folder:
        path = os.path.join(folder, "collection.anki2")
        if member.endswith("b"):
            packed = os.path.join(folder, "collection.zst")
            with open(packed, "wb") as zst_file:
                _extract(archive, archive.getinfo(member), zst_file)
            with open(packed, "rb") as zst_file, open(path, "wb") as db_file:
                _unzstd(zst_file, os.path.getsize(packed), db_file, member)
        else:
            with open(path, "wb") as db_file:
                _extract(archive, archive.getinfo(member), db_file)
        collection = _read_collection(path, member)
    return _doc(collection, media_files)


def _directory_size(data: bytes) -> int | None:
    """The central directory's size, from the end record zipfile would use.

    ZipFile builds an object per member as it opens: a small file listing
    hundreds of thousands of empty members costs it seconds and 100 MB. A
    zip64 record (which can state any size) never belongs in an .apkg this small.
    """
    end = len(data) - 22
    if data[end : end + 4] != b"PK\x05\x06":  # a comment follows the record
        end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_535 - 22))
    if end < 0:
        return 0  # no end record: ZipFile refuses it
    if data[max(0, end - 20) : end - 16] == b"PK\x06\x07":
        return None
    return struct.unpack_from("<I", data, end + 12)[0] if end + 16 <= len(data) else 0


def _extract(archive: zipfile.ZipFile, info: zipfile.ZipInfo, out: IO[bytes]) -> None:
    """Copy one member to `out`, refusing bombs, encryption and damage."""
    name = info.filename
    if info.flag_bits & 0x1:
        raise FormatError(f"{name} 已加密\uff0c无法读取\uff1a请导出不加密的 .apkg。")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise FormatError(f"{name} 使用了不支持的压缩方式\uff08{info.compress_type}\uff09。")
    limit_mb = MAX_MEMBER_BYTES // (1024 * 1024)
    too_big = f"{name} 解压后太大\uff1a最多 {limit_mb} MB。"
    if info.file_size > MAX_MEMBER_BYTES:
        raise FormatError(too_big)
    if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise FormatError(
            f"{name} 的压缩比异常\uff08超过 {MAX_RATIO} 倍\uff09\uff0c可能是压缩炸弹。"
        )
    written = 0
    try:
        with archive.open(info) as member:
            while chunk := member.read(_CHUNK):
                written += len(chunk)
                if written > MAX_MEMBER_BYTES:
                    raise FormatError(too_big)
                out.write(chunk)
    except zipfile.BadZipFile as error:
        detail = "校验和不符" if "CRC" in str(error) else "结构不完整"
        raise FormatError(f"{name} 已损坏\uff08{detail}\uff09。") from error
    except (zlib.error, EOFError) as error:
        raise FormatError(f"{name} 已损坏\uff08压缩数据无法解开\uff09。") from error
    except RuntimeError as error:  # zipfile's word for "encrypted" when the flag hides elsewhere
        raise FormatError(f"{name} 已加密\uff0c无法读取\uff1a请导出不加密的 .apkg。") from error
    except NotImplementedError as error:
        raise FormatError(f"{name} 使用了不支持的压缩方式。") from error


def _unzstd(source: IO[bytes], size: int, out: IO[bytes], name: str) -> None:
    """Inflate a zstd stream into `out` under the caps of a zip member.

    Fed a few bytes at a time, so no single step can inflate past a few MB (a
    frame of RLE blocks turns 4 bytes into 128 KB); the frame must end, so a
    truncated stream is refused rather than read as a shorter database.
    """
    limit_mb = MAX_MEMBER_BYTES // (1024 * 1024)
    try:
        declared = zstandard.frame_content_size(source.read(18))  # -1: the frame does not say
    except zstandard.ZstdError as error:
        raise FormatError(f"{name} 已损坏\uff08不是 zstd 数据\uff09。") from error
    if declared > MAX_MEMBER_BYTES:
        raise FormatError(f"{name} 解压后太大\uff1a最多 {limit_mb} MB。")
    source.seek(0)
    inflater = zstandard.ZstdDecompressor(max_window_size=MAX_ZSTD_WINDOW).decompressobj()
    written = 0
    try:
        while not inflater.eof and (piece := source.read(_ZSTD_STEP)):
            chunk = inflater.decompress(piece)
            written += len(chunk)
            if written > MAX_MEMBER_BYTES:
                raise FormatError(f"{name} 解压后太大\uff1a最多 {limit_mb} MB。")
            if written > RATIO_FROM and written > MAX_RATIO * max(size, 1):
                raise FormatError(
                    f"{name} 的压缩比异常\uff08超过 {MAX_RATIO} 倍\uff09\uff0c可能是压缩炸弹。"
                )
            out.write(chunk)
    except zstandard.ZstdError as error:
        raise FormatError(f"{name} 已损坏\uff08zstd 数据无法解开\uff09。") from error
    if not inflater.eof:
        raise FormatError(f"{name} 已损坏\uff08zstd 数据不完整\uff09。")


@dataclass
class NoteType:
    fields: list[str] = field(default_factory=list)
    cloze: bool = False
    typed: str = ""  # the field a template asks to type in: `{{type:Back}}`


@dataclass
class Collection:
    """What we read of an Anki database: note types, notes, and each note's deck."""

    note_types: dict[str, NoteType]
    notes: list[tuple[object, object, object]]
    decks: dict[object, tuple[str, ...]] = field(default_factory=dict)  # note id → deck path


def _read_collection(path: str, member: str) -> Collection:
    """Note types, notes and decks, read-only, bounded in time and in value size."""
    try:
        uri = f"file:{urllib.parse.quote(path)}?mode=ro&immutable=1"  # no journal, no locks
        connection = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as error:
        raise FormatError(f"{member} 不是 SQLite 数据库。") from error
    deadline = time.monotonic() + QUERY_SECONDS
    # A hostile schema can make a query endless or a value huge: stop both.
    connection.set_progress_handler(lambda: time.monotonic() > deadline, 10_000)
    connection.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_TEXT_BYTES)
    try:
        connection.execute("PRAGMA trusted_schema = OFF")
        for table in ("col", "notes"):
            _plain_table(connection, member, table)
        row = connection.execute("SELECT models FROM col LIMIT 1").fetchone()
        if row is None:
            raise FormatError(f"{member} 的 col 表是空的\uff0c没有笔记类型。")
        if _has_plain_table(connection, "notetypes"):  # schema 18: note types in tables
            note_types = _note_type_tables(connection, member)
        else:
            note_types = _models(row[0])
        rows = []
        size = 0
        for note_id, model_id, fields_blob in connection.execute(
            "SELECT id, mid, flds FROM notes ORDER BY id"
        ):
            size += len(fields_blob) if isinstance(fields_blob, str | bytes) else 0
            if size > MAX_MEMBER_BYTES:
                raise FormatError(f"{member} 的笔记内容太大。")
            rows.append((note_id, model_id, fields_blob))
        decks = _note_decks(connection, member)
    except sqlite3.DataError as error:  # SQLITE_TOOBIG: a value past MAX_TEXT_BYTES
        raise FormatError(
            f"{member} 里有太大的值\uff08超过 {MAX_TEXT_BYTES // (1024 * 1024)} MB\uff09。"
        ) from error
    except sqlite3.OperationalError as error:
        if "interrupted" in str(error):
            raise FormatError(f"读取 {member} 超时\uff1a数据库结构异常。") from error
        if "too big" in str(error):
            raise FormatError(f"{member} 里有太大的值。") from error
        raise FormatError(f"无法读取 {member}\uff1a{error}") from error
    except sqlite3.DatabaseError as error:
        raise FormatError(f"{member} 不是 SQLite 数据库。") from error
    finally:
        connection.close()
    return Collection(note_types, rows, decks)


def _plain_table(connection: sqlite3.Connection, member: str, table: str) -> None:
    """Only stored columns are read: a view, a virtual table or a generated column
    would run code from the file, which may never end."""
    row = connection.execute(
        "SELECT type, sql FROM sqlite_master WHERE name = ?", (table,)
    ).fetchone()
    if row is None:
        raise FormatError(f"{member} 缺少 {table} 表\uff0c不是 Anki 数据库。")
    kind, sql = row
    if kind != "table" or not str(sql).upper().startswith("CREATE TABLE"):
        raise FormatError(f"{member} 里的 {table} 不是普通的数据表。")
    columns = connection.execute(f"PRAGMA table_xinfo({table})").fetchall()
    if any(column[6] for column in columns):  # hidden: 2 or 3 for a generated column
        raise FormatError(f"{member} 里的 {table} 表有生成列\uff0c不是 Anki 数据库。")


def _has_plain_table(connection: sqlite3.Connection, table: str) -> bool:
    """An optional table (schema 18's, or the decks a note sits in), read only if plain."""
    row = connection.execute(
        "SELECT type, sql FROM sqlite_master WHERE name = ?", (table,)
    ).fetchone()
    if row is None or row[0] != "table" or not str(row[1]).upper().startswith("CREATE TABLE"):
        return False
    columns = connection.execute(f"PRAGMA table_xinfo({table})").fetchall()
    return not any(column[6] for column in columns)


def _columns(connection: sqlite3.Connection, table: str) -> set[str]:
    return {column[1] for column in connection.execute(f"PRAGMA table_xinfo({table})")}


_TYPED = re.compile(r"\{\{type:(?:[a-z]+:)*([^{}]+)\}\}")


def _typed_field(template: str) -> str:
    found = _TYPED.search(template)
    return found.group(1).strip() if found else ""


def _models(blob: object) -> dict[str, NoteType]:
    """Note type id → its fields and kind, from col.models (schema 11)."""
    text = expect(blob, str, "col.models")
    models = expect(loads_json(text, "col.models"), dict, "col.models")
    types: dict[str, NoteType] = {}
    for model_id, model in models.items():
        where = f"col.models 里笔记类型 {model_id[:20]} 的"
        model = expect(model, dict, f"{where}定义")
        flds = expect(model.get("flds", []), list, f"{where} flds")
        names = [
            expect(
                expect(f, dict, f"{where} flds[{i}]").get("name"), str, f"{where} flds[{i}].name"
            )
            for i, f in enumerate(flds)
        ]
        templates = expect(model.get("tmpls", []), list, f"{where} tmpls")
        typed = ""
        for i, template in enumerate(templates):
            qfmt = expect(template, dict, f"{where} tmpls[{i}]").get("qfmt", "")
            typed = typed or _typed_field(expect(qfmt, str, f"{where} tmpls[{i}].qfmt"))
        kind = expect(model.get("type", 0), int, f"{where} type")
        types[model_id] = NoteType(names, cloze=kind == 1, typed=typed)
    return types


def _note_type_tables(connection: sqlite3.Connection, member: str) -> dict[str, NoteType]:
    """Note type id → its fields and kind, from schema 18's notetypes/fields/templates."""
    for table in ("fields", "templates"):
        _plain_table(connection, member, table)
    types: dict[str, NoteType] = {}
    for type_id, config in connection.execute("SELECT id, config FROM notetypes"):
        where = f"{member} 里笔记类型 {type_id} 的 config"
        kind = _protobuf(expect(config, bytes, where), where).get(1, [0])[0]  # Notetype.Config.kind
        types[str(type_id)] = NoteType(cloze=kind == 1)
    for type_id, name in connection.execute("SELECT ntid, name FROM fields ORDER BY ntid, ord"):
        if str(type_id) in types:
            types[str(type_id)].fields.append(expect(name, str, f"{member} 的 fields.name"))
    for type_id, config in connection.execute("SELECT ntid, config FROM templates ORDER BY ord"):
        where = f"{member} 里笔记类型 {type_id} 的模板"
        qfmt = _protobuf(expect(config, bytes, where), where).get(1, [b""])[0]  # q_format
        note_type = types.get(str(type_id))
        if note_type is not None and isinstance(qfmt, bytes) and not note_type.typed:
            note_type.typed = _typed_field(qfmt.decode("utf-8", "replace"))
    return types


def _protobuf(blob: bytes, where: str) -> dict[int, list[int | bytes]]:
    """The top-level fields of a protobuf message: varints and length-delimited bytes."""
    fields: dict[int, list[int | bytes]] = {}
    at = 0
    while at < len(blob):
        key, at = _varint(blob, at, where)
        number, wire = key >> 3, key & 7
        value: int | bytes
        if wire == 0:
            value, at = _varint(blob, at, where)
        elif wire == 2:
            length, at = _varint(blob, at, where)
            value, at = blob[at : at + length], at + length
        elif wire in (1, 5):
            at += 8 if wire == 1 else 4
            continue
        else:
            raise FormatError(f"{where} 不是有效的 protobuf 数据。")
        if at > len(blob):
            raise FormatError(f"{where} 不完整。")
        fields.setdefault(number, []).append(value)
    return fields


def _varint(blob: bytes, at: int, where: str) -> tuple[int, int]:
    value = shift = 0
    while at < len(blob) and shift < 64:
        byte = blob[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, at
        shift += 7
    raise FormatError(f"{where} 不是有效的 protobuf 数据。")


def _note_decks(connection: sqlite3.Connection, member: str) -> dict[object, tuple[str, ...]]:
    """Note id → the path of the deck its first card sits in (optional: {} without cards).

    A note id is what the file holds (SQLite keeps any type in any column): `object`."""
    names: dict[int, tuple[str, ...]] = {}
    if _has_plain_table(connection, "decks"):  # schema 18: names joined by \x1f
        for deck_id, name in connection.execute("SELECT id, name FROM decks"):
            names[deck_id] = tuple(expect(name, str, f"{member} 的 decks.name").split("\x1f"))
    elif "decks" in _columns(connection, "col"):
        blob = connection.execute("SELECT decks FROM col LIMIT 1").fetchone()[0]
        if blob:
            col_decks = expect(
                loads_json(expect(blob, str, "col.decks"), "col.decks"), dict, "col.decks"
            )
            for deck_id, deck in col_decks.items():
                name = expect(
                    expect(deck, dict, "col.decks").get("name", ""), str, "col.decks 的 name"
                )
                if deck_id.isdigit():
                    names[int(deck_id)] = tuple(name.split("::"))
    if not names or not _has_plain_table(connection, "cards"):
        return {}
    decks: dict[object, tuple[str, ...]] = {}
    for note_id, deck_id in connection.execute("SELECT nid, did FROM cards ORDER BY nid, ord"):
        if note_id not in decks and deck_id in names:
            decks[note_id] = names[deck_id]
    return decks


def _doc(collection: Collection, media_files: int = 0) -> SetDoc:
    doc = SetDoc()
    cards: dict[str, CardDoc] = {}  # Anki allows a front twice, a set holds it once: the last wins
    with_media: list[str] = []
    left_out: list[str] = []
    foreign: dict[
        object, Sequence[QuestionDoc | CardDoc]
    ] = {}  # note id → its card or questions, for sections from decks
    for note_id, model_id, fields_blob in collection.notes:
        where = f"笔记 {note_id}"
        values = expect(fields_blob, str, f"{where} 的 flds").split("\x1f")
        note_type = collection.note_types.get(str(model_id), NoteType())
        fields = dict(zip(note_type.fields, values, strict=False))
        if values[0].startswith(STUB) and len(collection.notes) == 1:
            raise FormatError(
                ".apkg 里只有给旧版 Anki 的占位笔记\uff1a请用 Anki 2.1.50 以后的版本重新导出。"
            )
        if any(_MEDIA.search(value) for value in values):
            with_media.append(field_text(values[0])[:20] or where)
        if "数据" in fields and fields["数据"]:
            doc.questions.append(_question(fields, where))
            continue
        if note_type.cloze:
            if "image-occlusion:" in values[0]:
                left_out.append(f"图像遮挡笔记\uff1a{where}\uff08需要图片\uff09")
                continue
            extra = field_text(values[1]) if len(values) > 1 else ""
            found = cloze_questions(values[0], extra)
            doc.questions += found
            foreign[note_id] = found
            continue
        if note_type.typed in fields:
            prompt, answer = field_text(values[0]), field_text(fields[note_type.typed])
            if prompt:
                choices = [ChoiceDoc(answer, True)] if answer else []
                question = QuestionDoc(prompt, FILL_BLANK, choices, draft=not answer)
                doc.questions.append(question)
                foreign[note_id] = [question]
            continue
        if len(values) < 2:
            continue
        front, back = field_text(values[0]), field_text(values[1])
        ours = note_type.fields[2:3] == ["章节"]
        section = field_text(values[2]) if len(values) > 2 and ours else ""
        if front:
            cards[front] = CardDoc(front=front, back=back, section=section, draft=not back)
            if not ours:
                foreign[note_id] = [cards[front]]
        elif values[0].strip():
            left_out.append(f"卡片\uff1a{where}\uff08正面只有图片或音频\uff09")
    doc.cards = list(cards.values())
    doc.title = _title_and_sections(collection.decks, foreign)
    if with_media or media_files:
        shown = "、".join(with_media[:5]) + ("等" if len(with_media) > 5 else "")
        doc.skipped.append(
            f"图片和音频未导入\uff08学习站只保存文字\uff09\uff1a{len(with_media)} 条笔记里的媒体已去掉"
            + (f"\uff08{shown}\uff09" if shown else "")
            + (f"\uff0c包里的 {media_files} 个媒体文件没有读取" if media_files else "")
            + "。"
        )
    doc.skipped += left_out
    if not doc.cards and not doc.questions:
        raise FormatError(".apkg 里没有可导入的笔记。")
    return doc


def _title_and_sections(
    decks: dict[object, tuple[str, ...]], foreign: dict[object, Sequence[QuestionDoc | CardDoc]]
) -> str:
    """The decks' title (see deck_title); a note in a deck below their common path takes
    the rest as its section (机器学习::基础::概率 → 概率)."""
    common = _common_path(list(decks.values()))
    for note_id, items in foreign.items():
        rest = " · ".join(decks.get(note_id, ())[len(common) :])
        for item in items if isinstance(items, list) else []:
            item.section = item.section or rest
    return deck_title(list(decks.values()))


def _common_path(paths: list[tuple[str, ...]]) -> list[str]:
    common: list[str] = []
    for parts in zip(*paths, strict=False):
        if len(set(parts)) > 1:
            break
        common.append(parts[0])
    return common


def deck_title(paths: list[tuple[str, ...]]) -> str:
    """The path the decks share is the set's title: 机器学习::基础 → 机器学习 · 基础 (`::`
    would read as two colons). Our own exports' root (学习站::) and Anki's `Default`
    deck are no title."""
    common = _common_path(paths)
    if common[:1] == [DECK_ROOT] and len(common) > 1:
        common = common[1:]
    return "" if common in ([], ["Default"]) else " · ".join(part.strip() for part in common)


BLANK = "____"


def cloze_deletions(text: str) -> list[tuple[int, int, int, str, str]]:
    """Each `{{cN::answer::hint}}` as (start, end, N, answer, hint), in order.

    One pass with str.find: a deletion ends at the first `}}` after it, and an
    opening with no `}}` after it ends the scan (nested deletions are not read).
    """
    found = []
    at = 0
    while (start := text.find("{{c", at)) >= 0:
        digits = start + 3
        end_digits = digits
        while end_digits < len(text) and end_digits - digits < 3 and text[end_digits].isdigit():
            end_digits += 1
        if end_digits == digits or not text.startswith("::", end_digits):
            at = start + 3
            continue
        close = text.find("}}", end_digits + 2)
        if close < 0:
            break
        answer, _, hint = text[end_digits + 2 : close].partition("::")
        found.append((start, close + 2, int(text[digits:end_digits]), answer, hint))
        at = close + 2
    return found


def cloze_questions(
    text: str,
    explanation: str = "",
    section: str = "",
    as_text: Callable[[str], str] | None = None,
) -> list[QuestionDoc]:
    """A Cloze note as fill-in-blank questions, one per deletion number, as Anki makes
    one card per number: c1's question blanks c1 and shows c2; several c1 deletions
    are one question whose answer lists them with 、 in order. `as_text` makes the
    field text (HTML by default; Anki's plain-text export may hold plain text)."""
    as_text = as_text or field_text
    deletions = cloze_deletions(text)
    questions = []
    for number in sorted({deletion[2] for deletion in deletions}):
        pieces, answers, last = [], [], 0
        for start, end, n, answer, hint in deletions:
            pieces.append(text[last:start])
            if n == number:
                pieces.append(BLANK + (f"\uff08{hint}\uff09" if hint.strip() else ""))
                answers.append(as_text(answer))
            else:
                pieces.append(answer)
            last = end
        pieces.append(text[last:])
        prompt = as_text("".join(pieces))
        answer = "\u3001".join(a for a in answers if a)
        choices = [ChoiceDoc(answer, True)] if answer else []
        questions.append(
            QuestionDoc(prompt, FILL_BLANK, choices, explanation, section, draft=not answer)
        )
    return questions


def _question(fields: dict[str, str], where: str) -> QuestionDoc:
    """A StudySite 问答 note, from the JSON its hidden 数据 field carries."""
    payload = expect(loads_json(html.unescape(fields["数据"]), f"{where} 的数据字段"), dict, where)
    kind = expect(payload.get("kind"), str, f"{where} 的 kind")
    if kind not in KINDS:
        raise FormatError(f"{where}\uff1a未知题型 {kind[:20]!r}。")
    choices = []
    for i, pair in enumerate(expect(payload.get("choices"), list, f"{where} 的 choices")):
        pair = expect(pair, list, f"{where} 的 choices[{i}]")
        if len(pair) != 2:
            raise FormatError(f"{where} 的 choices[{i}] 应为 [选项, 是否正确] 两项。")
        text = expect(pair[0], str, f"{where} 的 choices[{i}][0]")
        correct = expect(pair[1], (bool, int), f"{where} 的 choices[{i}][1]")
        choices.append(ChoiceDoc(text, bool(correct)))
    explanation = expect(payload.get("explanation", ""), str, f"{where} 的 explanation")
    return QuestionDoc(
        prompt=field_text(fields.get("题目", "")),
        kind=kind,
        choices=choices,
        explanation=explanation,
        section=field_text(fields.get("章节", "")),
    )
