"""A study set's slug: made from its title, checked against the URLs. Pure, no ORM.

Every path that makes or accepts a slug (the generator, import, admin) goes
through here, so `/sets/<slug>/` can always be reversed and never shadows one
of the app's own pages.
"""

from __future__ import annotations

import re
import secrets

from pypinyin import lazy_pinyin

MAX_LENGTH = 80  # StudySet.slug's column
FALLBACK = "ji-he"  # 集合, for a title with nothing to spell
# The app's own words under /sets/ (and a few it may grow), never a set's slug.
RESERVED = frozenset(
    {"new", "shared", "import", "export", "search", "stats", "admin", "api", "static", "media"}
)
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_WORD = re.compile(r"[A-Za-z0-9]+")


def problem(slug: str) -> str | None:
    """Why `slug` cannot name a set, in Chinese; None when it can."""
    if not slug:
        return "网址名不能为空。"
    if len(slug) > MAX_LENGTH:
        return f"网址名太长：最多 {MAX_LENGTH} 个字符，这里有 {len(slug)} 个。"
    if not _SLUG.fullmatch(slug):
        return f"网址名 {slug[:40]!r} 只能由小写字母、数字和连字符组成（如 da-mo-xing）。"
    if slug in RESERVED:
        return f"网址名 {slug} 是本站页面的保留字，请换一个。"
    return None


def from_title(title: str, *, room: int = 0) -> str:
    """A readable ASCII slug from a (Chinese) title, 大模型 → da-mo-xing, always valid:
    `room` characters are left free for a suffix."""
    # pypinyin takes a list from `errors` (its docs); its stub allows only a str.
    words = lazy_pinyin(title, errors=lambda chunk: _WORD.findall(chunk))  # type: ignore[arg-type,return-value]
    slug = "-".join(word.lower() for word in words if _WORD.fullmatch(word))
    slug = slug[: MAX_LENGTH - room].strip("-") or FALLBACK
    return f"{slug}-ji" if slug in RESERVED else slug


def private_from_title(title: str) -> str:
    """A slug for a private set: the title's, plus a random suffix, so that whether
    someone else's private set has the same title cannot be learnt from it."""
    return f"{from_title(title, room=7)}-{secrets.token_hex(3)}"
