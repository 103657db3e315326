"""The one Markdown pipeline: python-markdown renders, nh3 sanitises.

Everything that shows learner- or staff-written Markdown (notes, explanations)
goes through `render_markdown`, so there is one place to reason about safety.
Raw HTML in the source is shown as text, never parsed: ids, classes and the
glossary markup in the output come only from this module, and nh3 then keeps
nothing outside its allow-list.

The module is pure (no ORM, no cache); `notes.models` caches its output.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Iterable
from dataclasses import dataclass, field

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor

from studysite.chinese import COLON, COMMA, FULL_STOP, none_of, one_of

# Bump when the output for the same input changes, so cached HTML is rebuilt.
PIPELINE_VERSION = 4

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em",
    "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "mark", "ol", "p",
    "pre", "s", "span", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead",
    "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "aria-describedby"},
    "abbr": {"title"},
    "img": {"src", "alt", "title"},
    "span": {"id", "role"},
    "li": {"id"},
    "p": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
    "td": {"align"},
    "th": {"align"},
}
ALLOWED_CLASSES = {"a": {"term"}, "span": {"term-tip"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

# Where a glossary term is never linked: inside a link, code or a heading.
_NO_GLOSSARY = {"a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6"}
# "术语:释义" and "术语：释义" bullets get the term as their id; longer leads are not terms.
_TERM_LEAD = re.compile(rf"^\s*({none_of(COLON, FULL_STOP, COMMA)}{{1,24}})\s*{one_of(COLON)}")


@dataclass(frozen=True)
class GlossaryTerm:
    """A flashcard term to link where it first occurs in each notes section."""

    term: str
    href: str
    definition: str


@dataclass(frozen=True)
class TocEntry:
    """A place in the rendered notes that the table of contents links to."""

    anchor: str
    title: str
    level: int


@dataclass(frozen=True)
class Passage:
    """A block of text (heading, bullet, paragraph) with the id that links to it."""

    anchor: str
    text: str


@dataclass
class Rendered:
    """A section's sanitised HTML, its contents entries and its searchable passages."""

    html: str
    toc: list[TocEntry] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)

    @property
    def safe_html(self) -> SafeString:
        return mark_safe(self.html)  # nh3 output: only allow-listed markup


def heading_id(title: str) -> str:
    """A readable, stable id for a heading; Chinese stays Chinese (概念 → 概念)."""
    return slugify_unicode(title, "-") or "section"


def _keep_attribute(element: str, attribute: str, value: str) -> str | None:
    """nh3 attribute filter: a `role` may only say tooltip."""
    if attribute == "role" and value != "tooltip":
        return None
    return value


def sanitize(html: str) -> str:
    """Strip everything outside the allow-list; idempotent."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        attribute_filter=_keep_attribute,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def _text_of(element: etree.Element) -> str:
    return "".join(element.itertext())


def _own_text(element: etree.Element) -> str:
    """An element's text without the lists nested in it."""
    parts = [element.text or ""]
    for child in element:
        if child.tag not in {"ul", "ol"}:
            parts.append(_text_of(child))
        parts.append(child.tail or "")
    return "".join(parts).strip()


class _Anchors(Treeprocessor):
    """Give headings, bullets and paragraphs stable ids; link glossary terms."""

    def __init__(self, md: markdown.Markdown, prefix: str, glossary: tuple[GlossaryTerm, ...]):
        super().__init__(md)
        self.prefix = prefix
        self.glossary = glossary
        # What run() found, read back by render_markdown (a Treeprocessor only returns
        # the tree); empty when Markdown skips the processors (blank text).
        self.toc: list[TocEntry] = []
        self.passages: list[Passage] = []

    def run(self, root: etree.Element) -> None:
        self.used: set[str] = set()
        self.next_suffix: dict[str, int] = {}
        self.toc = []
        self.passages = []
        self.unlinked = {entry.term: entry for entry in self.glossary}
        self.tips = 0
        counter = 0
        for element in root.iter():
            if element.tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
                # The page owns h1 and each section's h2: body headings start at h3.
                level = min(6, int(element.tag[1]) + 2)
                element.tag = f"h{level}"
                title = _text_of(element).strip()
                anchor = self._unique(heading_id(title))
                element.set("id", anchor)
                self.toc.append(TocEntry(anchor, title, level))
                self.passages.append(Passage(anchor, title))
            elif element.tag in {"li", "p"}:
                counter += 1
                lead = _TERM_LEAD.match(element.text or "")
                slug = heading_id(lead.group(1)) if lead else f"p{counter}"
                anchor = self._unique(slug)
                element.set("id", anchor)
                # A bullet that ends in a colon heads the bullets nested under it.
                if element.tag == "li" and (element.text or "").rstrip().endswith(tuple(COLON)):
                    self.toc.append(TocEntry(anchor, lead.group(1) if lead else "", 3))
                self.passages.append(Passage(anchor, _own_text(element)))
        if self.unlinked:
            self._link_terms(root, inside_excluded=False)

    def _unique(self, slug: str) -> str:
        base = f"{self.prefix}-{slug}" if self.prefix else slug
        # Resume counting where this base stopped: 9,000 bullets with the same
        # term would otherwise probe 1 + 2 + … + 9,000 anchors.
        n = self.next_suffix.get(base, 1)
        anchor = base if n == 1 else f"{base}-{n}"
        while anchor in self.used:
            n += 1
            anchor = f"{base}-{n}"
        self.next_suffix[base] = n
        self.used.add(anchor)
        return anchor

    def _link_terms(self, element: etree.Element, inside_excluded: bool) -> None:
        excluded = inside_excluded or element.tag in _NO_GLOSSARY
        if not excluded:
            self._link_in_slot(element, None)
        for child in list(element):
            self._link_terms(child, excluded)
            if not excluded:
                self._link_in_slot(element, child)

    def _link_in_slot(self, parent: etree.Element, after: etree.Element | None) -> None:
        """Link terms in parent.text (after=None) or in after.tail, left to right."""
        while self.unlinked:
            text = (parent.text if after is None else after.tail) or ""
            found = self._earliest(text)
            if found is None:
                return
            start, entry = found
            del self.unlinked[entry.term]
            self.tips += 1
            tip_id = f"tip-{self.prefix}-{self.tips}" if self.prefix else f"tip-{self.tips}"
            link = etree.Element(
                "a", {"class": "term", "href": entry.href, "aria-describedby": tip_id}
            )
            link.text = entry.term
            tip = etree.Element("span", {"class": "term-tip", "role": "tooltip", "id": tip_id})
            tip.text = entry.definition
            tip.tail = text[start + len(entry.term) :]
            if after is None:
                parent.text = text[:start]
                index = 0
            else:
                after.tail = text[:start]
                index = list(parent).index(after) + 1
            parent.insert(index, link)
            parent.insert(index + 1, tip)
            parent, after = parent, tip

    def _earliest(self, text: str) -> tuple[int, GlossaryTerm] | None:
        best: tuple[int, int, GlossaryTerm] | None = None
        for entry in self.unlinked.values():
            start = text.find(entry.term)
            if start >= 0 and (best is None or (start, -len(entry.term)) < best[:2]):
                best = (start, -len(entry.term), entry)
        return (best[0], best[2]) if best else None


class _StudyNotesExtension(Extension):
    def __init__(self, prefix: str, glossary: tuple[GlossaryTerm, ...]):
        super().__init__()
        self.prefix = prefix
        self.glossary = glossary

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (the API's name)
        # Raw HTML becomes text: nothing in the source can add tags or attributes.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_Anchors(md, self.prefix, self.glossary), "study_anchors", 4)


def render_markdown(
    text: str, *, id_prefix: str = "", glossary: Iterable[GlossaryTerm] = ()
) -> Rendered:
    """Render Markdown to sanitised HTML with stable ids and glossary links.

    `id_prefix` keeps ids unique when several sections share a page; each
    glossary term is linked at its first occurrence only.
    """
    md = markdown.Markdown(
        extensions=[
            "tables",
            "fenced_code",
            "def_list",
            "sane_lists",
            _StudyNotesExtension(id_prefix, tuple(glossary)),
        ],
        output_format="html",
    )
    html = md.convert(text)
    anchors = md.treeprocessors["study_anchors"]
    assert isinstance(anchors, _Anchors)  # registered by _StudyNotesExtension
    return Rendered(html=sanitize(html), toc=list(anchors.toc), passages=list(anchors.passages))


def render_safe(text: str) -> SafeString:
    """Render Markdown where only the HTML is wanted (explanations, card backs)."""
    return mark_safe(render_markdown(text).html)  # nh3 output: only allow-listed markup
