"""HTML in a field → the app's plain text: line breaks kept, tags dropped, entities decoded.

Anki fields, Anki's plain-text export with `#html:true` and GIFT's `[html]`
questions all hold a little HTML (`<b>`, `<br>`, `<div>` per line, `&nbsp;`).
The app stores text (notes are Markdown, cards and questions plain), so the
markup goes and what it meant for the reader stays: `<br>` and block elements
become line breaks, entities their characters. The scan is one pass over the
tags, each found by a pattern that cannot run past the next `<`, so a hostile
field costs time linear in its length.
"""

from __future__ import annotations

import html
import re

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*>|<!--[^<>]*-->")
_BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
_HIDDEN = frozenset({"script", "style", "head", "title"})  # their content is not text
_BLANK_LINES = re.compile(r"\n{3,}")


def html_to_text(field: str) -> str:
    """`a<br>b`, `<div>a</div><div>b</div>` → `a\\nb`; `&lt;x&gt;&nbsp;y` → `<x> y`."""
    out: list[str] = []
    hidden = ""
    last = 0

    def soft_break() -> None:
        if out and not out[-1].endswith("\n"):
            out.append("\n")

    for tag in _TAG.finditer(field):
        piece = field[last : tag.start()]
        # a line break between tags only lays out the source (`</p>\n<p>`)
        if not hidden and piece and (piece.strip() or "\n" not in piece):
            out.append(html.unescape(piece))
        last = tag.end()
        closing, name = tag.group(1), (tag.group(2) or "").lower()
        if hidden:
            hidden = "" if closing and name == hidden else hidden
        elif name in _HIDDEN and not closing:
            hidden = name
        elif name == "br":
            out.append("\n")
        elif name in _BLOCKS:
            soft_break()
    if not hidden:
        out.append(html.unescape(field[last:]))
    text = "".join(out).replace("\xa0", " ").replace("\r\n", "\n")
    lines = "\n".join(line.rstrip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", lines).strip()
