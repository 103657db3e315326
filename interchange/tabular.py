"""Flashcards as CSV or TSV ⇄ SetDoc: term, definition — what Anki and Quizlet export.

A header row (term/definition, front/back, 术语/释义, 正面/背面) is skipped;
a third column, if present, is the note section. Written without a header,
as Anki's and Quizlet's importers expect.

Typed with a Chinese input method, a list often reads `术语，释义` with a
full-width comma and no ASCII one: such a file is split at each line's first
full-width comma, since the definition may hold more of them.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

from interchange.document import CardDoc, FormatError, SetDoc
from studysite.chinese import COLON, one_of

FULL_WIDTH_COMMA = "\uff0c"
_SEPARATOR = re.compile(rf"#separator{one_of(COLON)}(.*)", re.IGNORECASE)

HEADERS = {
    ("term", "definition"), ("front", "back"), ("术语", "释义"), ("正面", "背面"),
    ("question", "answer"), ("word", "definition"),
}  # fmt: skip


def sniff_delimiter(text: str) -> str:
    """Anki's `#separator:` header if there is one, else a tab in the first row."""
    for line in text.splitlines():
        if header := _SEPARATOR.match(line):
            return {"tab": "\t", "comma": ",", "semicolon": ";"}.get(
                header.group(1).strip().lower(), ","
            )
        if line.strip() and not line.startswith("#"):
            if "\t" in line:
                return "\t"
            return FULL_WIDTH_COMMA if FULL_WIDTH_COMMA in line and "," not in line else ","
    return ","


def _rows(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of each row."""
    if delimiter == FULL_WIDTH_COMMA:
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
    delimiter = delimiter or sniff_delimiter(text)
    cards: dict[str, CardDoc] = {}
    for number, row in _rows(text, delimiter):
        cells = [cell.strip() for cell in row]
        if not any(cells) or cells[0].startswith("#"):
            continue  # blank lines; Anki's "#separator:tab" style headers
        if len(cells) < 2:
            raise FormatError("需要两列\uff1a术语和释义\uff08用逗号或制表符分隔\uff09。", number)
        if number == 1 and (cells[0].lower(), cells[1].lower()) in HEADERS:
            continue
        front, back = cells[0], cells[1]
        if not front:
            raise FormatError("术语是空的。", number)
        if not back:
            raise FormatError(f"“{front[:20]}”的释义是空的。", number)
        cards[front] = CardDoc(front=front, back=back, section=cells[2] if len(cells) > 2 else "")
    if not cards:
        raise FormatError("文件里没有卡片。", 1)
    return SetDoc(cards=list(cards.values()))


def write(doc: SetDoc, delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    for card in doc.cards:
        if card.complete:
            writer.writerow([card.front, card.back] + ([card.section] if card.section else []))
    return out.getvalue()
