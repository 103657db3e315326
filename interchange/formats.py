"""Which module reads and writes which file: the one dispatch table."""

from __future__ import annotations

from pathlib import PurePath

from interchange import anki, fixture, gift, quizgecko, tabular
from interchange.document import FormatError, SetDoc, refuse_nul, refuse_nul_in

READ_FORMATS = ("auto", "quizgecko", "csv", "tsv", "gift", "apkg", "json")
WRITE_FORMATS = ("apkg", "csv", "tsv", "gift", "json", "quizgecko")
EXTENSIONS = {
    "apkg": "apkg",
    "csv": "csv",
    "tsv": "tsv",
    "gift": "gift",
    "json": "json",
    "quizgecko": "txt",
}
CONTENT_TYPES = {
    "apkg": "application/octet-stream",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "gift": "text/plain; charset=utf-8",
    "json": "application/json",
    "quizgecko": "text/plain; charset=utf-8",
}
MAX_BYTES = 20 * 1024 * 1024


def detect(name: str, data: bytes) -> str:
    suffix = PurePath(name).suffix.lower().lstrip(".")
    if suffix in {"apkg", "colpkg"} or data[:2] == b"PK":
        return "apkg"
    if suffix in {"csv", "tsv", "json", "gift"}:
        return suffix
    text = _decode(data)
    if quizgecko.looks_like(text):
        return "quizgecko"
    if tabular.has_anki_headers(text):  # Anki's "Notes in Plain Text" (.txt)
        return "csv"
    if text.lstrip().startswith("["):
        return "json"
    if gift.looks_like(text):
        return "gift"
    if tabular.looks_like_tsv(text):  # Quizlet's export (.txt): term, tab, definition
        return "tsv"
    raise FormatError(
        "无法识别文件格式\uff1a支持 Quizgecko 导出\uff08.txt\uff09、CSV/TSV 卡片、Moodle GIFT 题目、Anki .apkg/.colpkg 和 JSON。"
    )


def _decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FormatError("文件不是 UTF-8 编码的文本。", line) from error
    refuse_nul(text)
    return text


def check_size(size: int) -> None:
    """Refuse a file by its size before it is read into memory."""
    if size > MAX_BYTES:
        raise FormatError(f"文件太大\uff1a最多 {MAX_BYTES // (1024 * 1024)} MB。")


def read(name: str, data: bytes, fmt: str = "auto") -> SetDoc:
    """Parse an uploaded or given file into a SetDoc; FormatError names the problem."""
    check_size(len(data))
    if not data.strip():
        raise FormatError("文件是空的。")
    fmt = detect(name, data) if fmt == "auto" else fmt
    doc = _parse(data, fmt)
    refuse_nul_in(doc)  # escaped in JSON or inside an .apkg field, past the text check
    return doc


def _parse(data: bytes, fmt: str) -> SetDoc:
    if fmt == "apkg":
        return anki.parse(data)
    text = _decode(data)
    if fmt == "quizgecko":
        return quizgecko.parse(text)
    if fmt in {"csv", "tsv"}:
        return tabular.parse(text, "\t" if fmt == "tsv" else None)
    if fmt == "gift":
        return gift.parse(text)
    if fmt == "json":
        return fixture.parse(text)
    raise FormatError(f"不支持的格式\uff1a{fmt}")


def write(doc: SetDoc, fmt: str) -> bytes:
    if fmt == "apkg":
        return anki.write(doc)
    if fmt in {"csv", "tsv"}:
        return tabular.write(doc, "\t" if fmt == "tsv" else ",").encode()
    if fmt == "gift":
        return gift.write(doc).encode()
    if fmt == "json":
        return fixture.write(doc).encode()
    if fmt == "quizgecko":
        return quizgecko.write(doc).encode()
    raise FormatError(f"不支持的格式\uff1a{fmt}")
