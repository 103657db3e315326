from django import template
from django.utils.safestring import SafeString

from notes.rendering import render_safe

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    """Render Markdown through the one pipeline (python-markdown, then nh3)."""
    return render_safe(text or "")
