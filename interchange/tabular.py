"""Flashcards as CSV or TSV ⇄ SetDoc: term, definition — what Anki and Quizlet export.

A header row (term/definition, front/back, 术语/释义, 正面/背面) is skipped;
a third column, if present, is the note section. Written without a header,
as Anki's and Quizlet's importers expect.

Anki's "Notes in Plain Text" export starts with `#key:value` headers: the
separator (`#separator:tab`, or Comma, Semicolon, Space, Pipe, Colon, or the
character itself), `#html:true` (fields are HTML: made text), `#columns:` (field
names; a Tags column is not a field), `#deck:` and the column of the GUID, note
type, deck and tags (`#guid column:1`). Only the fields are read; a Cloze row
(`{{c1::…}}`) becomes fill-in-blank questions as in an .apkg, and one deck
for every row becomes the set's title.

Quizlet exports term and definition with a tab, a comma or a custom mark
(` - `), and rows with a new line, `;` or a custom mark (a blank line, which lets
a definition run over several lines). Those files are not quoted, so a row is
split at its first separator.

Typed with a Chinese input method, a list often reads `术语，释义` with a
full-width comma and no ASCII one: such a file is split at each line's first
full-width comma, since the definition may hold more of them.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from interchange import anki
from interchange.document import CardDoc, FormatError, QuestionDoc, SetDoc
from studysite.chinese import COLON, one_of

FULL_WIDTH_COMMA = "\uff0c"
QUIZLET_DASH = " - "  # Quizlet's custom separator as people type it
_HEADER = re.compile(rf"#([a-z ]+){one_of(COLON)}(.*)", re.IGNORECASE)
SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "space": " ", "pipe": "|", "colon": ":"}
COLUMN_HEADERS = {"guid column", "notetype column", "deck column", "tags column"}
TAG_NAMES = {"tags", "标签"}

HEADERS = {
    ("term", "definition"), ("front", "back"), ("术语", "释义"), ("正面", "背面"),
    ("question", "answer"), ("word", "definition"),
}  # fmt: skip


@dataclass
class Headers:
    """Anki's `#key:value` lines at the top of a file."""

    separator: str = ""
    html: bool = False
    deck: str = ""
    notetype: bool = False
    columns: dict[str, int] = field(default_factory=dict)  # deck/tags/… → 0-based column
    names: list[str] = field(default_factory=list)  # #columns:
    lines: int = 0  # how many lines they take

    @property
    def anki(self) -> bool:
        return self.lines > 0 and bool(self.separator or self.columns or self.names or self.html)


def _headers(text: str) -> Headers:
    headers = Headers()
    names = ""
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        headers.lines += 1
        found = _HEADER.fullmatch(line.strip())
        if not found:
            continue  # a comment
        key, value = found.group(1).strip().lower(), found.group(2).strip()
        if key == "separator":
            separator = SEPARATORS.get(value.lower(), value if len(value) == 1 else None)
            if separator is None:
                raise FormatError(
                    f"不认识的分隔符\uff1a{value[:20]}\uff08可用 Tab、Comma、Semicolon、"
                    "Space、Pipe、Colon 或单个字符\uff09。",
                    headers.lines,
                )
            headers.separator = separator
        elif key == "html":
            headers.html = value.lower() == "true"
        elif key == "deck":
            headers.deck = value
        elif key == "notetype":
            headers.notetype = True
        elif key == "columns":
            names = value
        elif key in COLUMN_HEADERS and value.isdigit() and int(value) > 0:
            headers.columns[key.split()[0]] = int(value) - 1
            headers.notetype = headers.notetype or key == "notetype column"
    if names:
        headers.names = [n.strip().lower() for n in names.split(headers.separator or ",")]
        if "tags" not in headers.columns:
            tags = [i for i, name in enumerate(headers.names) if name in TAG_NAMES]
            headers.columns.update({"tags": tags[0]} if tags else {})
    return headers


def has_anki_headers(text: str) -> bool:
    return _headers(text.lstrip("\ufeff")).anki


def looks_like_tsv(text: str) -> bool:
    """Every one of the first rows holds a tab (Quizlet's default export)."""
    rows = [line for line in text.splitlines()[:20] if line.strip()]
    return bool(rows) and all("\t" in line for line in rows)


def sniff_delimiter(text: str) -> str:
    """Anki's `#separator:` header if there is one, else from the first row: a tab,
    Quizlet's ` - `, a full-width comma alone, or a comma."""
    headers = _headers(text)
    if headers.separator:
        return headers.separator
    for line in text.splitlines()[headers.lines :]:
        if line.strip():
            if "\t" in line:
                return "\t"
            if QUIZLET_DASH in line and not any(c in line for c in "," + FULL_WIDTH_COMMA):
                return QUIZLET_DASH
            return FULL_WIDTH_COMMA if FULL_WIDTH_COMMA in line and "," not in line else ","
    return ","


def _quizlet_records(body: str, delimiter: str) -> list[tuple[int, str]] | None:
    """Quizlet's rows when they are not one per line: `;` between rows (the file is one
    line), or a blank line between rows (a definition may then hold line breaks)."""
    lines = body.splitlines()
    filled = [line for line in lines if line.strip()]
    if len(filled) == 1 and ";" in filled[0]:
        pieces = [piece for piece in filled[0].split(";") if piece.strip()]
        if len(pieces) > 1 and all(delimiter in piece for piece in pieces):
            number = lines.index(filled[0]) + 1
            return [(number, piece) for piece in pieces]
    if any(delimiter not in line for line in filled) and "\n\n" in body.replace("\r\n", "\n"):
        records, start, block = [], 0, []
        for number, line in enumerate(lines, start=1):
            if line.strip():
                start = start or number
                block.append(line)
            elif block:
                records.append((start, "\n".join(block)))
                start, block = 0, []
        if block:
            records.append((start, "\n".join(block)))
        return records
    return None


def _rows(text: str, delimiter: str, quizlet: bool) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of each row."""
    if quizlet:
        records = _quizlet_records(text, delimiter)
        if records is not None:
            for number, record in records:
                yield number, record.split(delimiter, 1)
            return
    if delimiter in (FULL_WIDTH_COMMA, QUIZLET_DASH):
        for number, line in enumerate(text.splitlines(), start=1):
            yield number, line.split(delimiter, 1)
        return
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for row in reader:
            yield reader.line_num, row
    except csv.Error as error:
        raise FormatError(f"CSV 格式错误\uff1a{error}", reader.line_num) from error


def parse(text: str, delimiter: str | None = None) -> SetDoc:
    text = text.lstrip("\ufeff")
    headers = _headers(text)
    delimiter = headers.separator or delimiter or sniff_delimiter(text)
    body = "\n" * headers.lines + "\n".join(text.splitlines()[headers.lines :])
    special = set(headers.columns.values())
    cards: dict[str, CardDoc] = {}
    questions: list[QuestionDoc] = []
    decks: set[str] = {headers.deck} if headers.deck else set()

    def as_text(cell: str) -> str:
        return anki.field_text(cell, headers.html) if headers.anki else cell.strip()

    for number, row in _rows(body, delimiter, quizlet=not headers.anki):
        cells = [cell.strip() for cell in row]
        if not any(cells) or (not headers.anki and cells[0].startswith("#")):
            continue  # blank lines; comment lines
        if "deck" in headers.columns and headers.columns["deck"] < len(cells):
            decks.add(cells[headers.columns["deck"]])
        fields = [cell for i, cell in enumerate(cells) if i not in special]
        if fields and anki.cloze_deletions(fields[0]):
            extra = as_text(fields[1]) if len(fields) > 1 else ""
            questions += anki.cloze_questions(fields[0], extra, as_text=as_text)
            continue
        fields = [as_text(cell) for cell in fields]
        if len(fields) < 2:
            raise FormatError("需要两列\uff1a术语和释义\uff08用逗号或制表符分隔\uff09。", number)
        if number == 1 and (fields[0].lower(), fields[1].lower()) in HEADERS:
            continue
        front, back = fields[0], fields[1]
        if not front:
            raise FormatError("术语是空的。", number)
        if not back:
            raise FormatError(f"“{front[:20]}”的释义是空的。", number)
        section = fields[2] if len(fields) > 2 and not headers.anki else ""
        cards[front] = CardDoc(front=front, back=back, section=section)
    if not cards and not questions:
        raise FormatError("文件里没有卡片。", 1)
    title = anki.deck_title([tuple(deck.split("::")) for deck in decks]) if decks else ""
    return SetDoc(title=title, cards=list(cards.values()), questions=questions)


def write(doc: SetDoc, delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    for card in doc.cards:
        if card.complete:
            writer.writerow([card.front, card.back] + ([card.section] if card.section else []))
    return out.getvalue()
