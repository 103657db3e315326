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
import struct
import tempfile
import time
import urllib.parse
import zipfile
import zlib

import genanki

from interchange.document import (
    KINDS,
    CardDoc,
    ChoiceDoc,
    FormatError,
    QuestionDoc,
    SetDoc,
    expect,
    loads_json,
)

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
    member = next((n for n in ("collection.anki21", "collection.anki2") if n in names), None)
    if member is None:
        raise FormatError(".apkg 里没有 Anki 数据库\uff08collection.anki2\uff09。")
    with tempfile.TemporaryDirectory(prefix="apkg-") as folder:
        path = os.path.join(folder, "collection.anki2")
        with open(path, "wb") as db_file:
            _extract(archive, archive.getinfo(member), db_file)
        models, rows = _read_collection(path, member)
    return _doc(models, rows)


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


def _extract(archive: zipfile.ZipFile, info: zipfile.ZipInfo, out) -> None:
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


def _read_collection(path: str, member: str) -> tuple[dict, list[tuple[object, object, object]]]:
    """col.models and the notes, read-only, bounded in time and in value size."""
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
        models = _models(row[0])
        rows = []
        size = 0
        for note_id, model_id, fields_blob in connection.execute(
            "SELECT id, mid, flds FROM notes ORDER BY id"
        ):
            size += len(fields_blob) if isinstance(fields_blob, str | bytes) else 0
            if size > MAX_MEMBER_BYTES:
                raise FormatError(f"{member} 的笔记内容太大。")
            rows.append((note_id, model_id, fields_blob))
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
    return models, rows


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


def _models(blob: object) -> dict[str, list[str]]:
    """Note type id → field names, from col.models."""
    text = expect(blob, str, "col.models")
    models = expect(loads_json(text, "col.models"), dict, "col.models")
    names: dict[str, list[str]] = {}
    for model_id, model in models.items():
        where = f"col.models 里笔记类型 {model_id[:20]} 的"
        model = expect(model, dict, f"{where}定义")
        flds = expect(model.get("flds", []), list, f"{where} flds")
        names[model_id] = [
            expect(
                expect(f, dict, f"{where} flds[{i}]").get("name"), str, f"{where} flds[{i}].name"
            )
            for i, f in enumerate(flds)
        ]
    return names


def _doc(models: dict[str, list[str]], rows: list[tuple[object, object, object]]) -> SetDoc:
    doc = SetDoc()
    cards: dict[str, CardDoc] = {}  # Anki allows a front twice, a set holds it once: the last wins
    for note_id, model_id, fields_blob in rows:
        where = f"笔记 {note_id}"
        values = expect(fields_blob, str, f"{where} 的 flds").split("\x1f")
        fields = dict(zip(models.get(str(model_id), []), values, strict=False))
        if "数据" in fields and fields["数据"]:
            doc.questions.append(_question(fields, where))
            continue
        if len(values) < 2:
            continue
        front, back = _text(values[0]), _text(values[1])
        names = models.get(str(model_id), [])
        section = _text(values[2]) if len(values) > 2 and names[2:3] == ["章节"] else ""
        if front:
            cards[front] = CardDoc(front=front, back=back, section=section, draft=not back)
    doc.cards = list(cards.values())
    if not doc.cards and not doc.questions:
        raise FormatError(".apkg 里没有可导入的笔记。")
    return doc


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
        prompt=_text(fields.get("题目", "")),
        kind=kind,
        choices=choices,
        explanation=explanation,
        section=_text(fields.get("章节", "")),
    )
