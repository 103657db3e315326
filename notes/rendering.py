"""The one Markdown pipeline: python-markdown renders, nh3 sanitises.

Everything that shows learner- or staff-written Markdown (notes, explanations)
goes through `render_markdown`, so there is one place to reason about safety.
"""

from __future__ import annotations

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown.extensions.toc import slugify_unicode

# Only what study notes need; anything else (scripts, styles, event handlers,
# iframes, forms, hx-* attributes) is dropped by nh3.
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "mark", "ol", "p",
    "pre", "s", "span", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead",
    "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
    "td": {"align"},
    "th": {"align"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def heading_id(title: str) -> str:
    """A readable, stable id for a heading; Chinese stays Chinese (概念 → 概念)."""
    return slugify_unicode(title, "-") or "section"


def sanitize(html: str) -> str:
    """Strip everything outside the allow-list; idempotent."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def render_markdown(text: str) -> SafeString:
    """Render Markdown to sanitised HTML that templates may output as is."""
    html = markdown.markdown(
        text,
        extensions=["extra", "sane_lists", "toc"],
        extension_configs={"toc": {"slugify": slugify_unicode, "permalink": False}},
        output_format="html",
    )
    return mark_safe(sanitize(html))  # nh3 output: only allow-listed markup
