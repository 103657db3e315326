"""Text as people type it with a Chinese input method, and the same in ASCII.

The files in tests/data/typed/ use full-width punctuation (：，；！？（）) as an
input method gives it. `pair(name)` returns that text and its twin written the
way the 大模型 source is (ASCII : , ; ! ? ( ), with 、 and 。 kept), so a test
can check a parser gives the same structure for both.
"""

from __future__ import annotations

from pathlib import Path

from studysite.chinese import ascii_twins

TYPED = Path(__file__).resolve().parent / "data" / "typed"
_AS_IN_THE_SOURCE = str.maketrans(
    {
        "\uff1a": ":",
        "\uff0c": ",",
        "\uff1b": ";",
        "\uff01": "!",
        "\uff1f": "?",
        "\uff08": "(",
        "\uff09": ")",
    }
)


def pair(name: str) -> tuple[str, str]:
    """(full-width text, the same text with ASCII punctuation)."""
    text = (TYPED / name).read_text(encoding="utf-8")
    ascii_text = text.translate(_AS_IN_THE_SOURCE)
    assert ascii_text != text, f"{name} has no full-width punctuation"
    return text, ascii_text


def folded(texts) -> list[str]:
    """Texts with every mark as its ASCII twin: equal when only the punctuation differs."""
    return [ascii_twins(text) for text in texts]
