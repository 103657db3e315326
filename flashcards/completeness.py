"""Is a card complete enough to publish? The one rule, for admin, the
generator's review and every import. Pure: plain values in, problems out in Chinese."""

from __future__ import annotations


def card_problems(front: str, back: str) -> list[str]:
    """What keeps a card from being published; [] when it may be. Whitespace is empty."""
    problems = [] if front.strip() else ["卡片正面是空的。"]
    if not back.strip():
        problems.append("卡片背面是空的\uff1a请填写释义。")
    return problems
