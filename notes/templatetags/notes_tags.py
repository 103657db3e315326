from functools import lru_cache

from django import template
from django.utils.safestring import SafeString

from notes.rendering import render_safe

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    """Render Markdown through the one pipeline (python-markdown, then nh3).

    Explanations repeat on every answer and results page: the pipeline is a pure
    function of the text, so each distinct text is rendered once per process.
    """
    return _rendered(text or "")


@lru_cache(maxsize=4096)
def _rendered(text: str) -> SafeString:
    return render_safe(text)
