import functools
from datetime import timedelta

from django import template
from django.conf import settings
from django.template.backends.utils import csrf_input
from django.template.loader import render_to_string
from django.urls import get_urlconf
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def duration(value: timedelta | None) -> str:
    """A time span as a learner reads it: 1 小时 5 分, 3 分 20 秒, 45 秒."""
    if value is None:
        return ""
    seconds = max(0, int(value.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours} 小时 {minutes} 分"
    if minutes:
        return f"{minutes} 分 {seconds} 秒"
    return f"{seconds} 秒"


@register.filter
def clock(seconds: float | None) -> str:
    """Seconds as a player shows them: 7:35, 1:02:03."""
    if seconds is None:
        return ""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


# Where the logout form's CSRF input goes in the remembered navigation.
_CSRF_SLOT = "<!-- csrf -->"
_NAV_CURRENT = {
    "home",
    "progress:today",
    "progress:me",
}  # the pages the navigation marks as current


@register.simple_tag(takes_context=True)
def site_nav(context: template.Context) -> str:
    """The header's navigation. Every page draws it, and it depends only on who is
    visiting, whether this is home or 我的学习, and (for the 登录 link) the path:
    rendered once per such state and process, then reused; only the logout form's
    token, which is per request, is put in afresh."""
    request = context["request"]
    # While developing, templates reload on every request, so the navigation must too.
    navigation = _navigation.__wrapped__ if settings.DEBUG else _navigation
    match = request.resolver_match
    current = match.view_name if match and match.view_name in _NAV_CURRENT else ""
    if request.user.is_authenticated:
        html = navigation(request.user.get_username(), current, "", get_urlconf())
        return mark_safe(html.replace(_CSRF_SLOT, csrf_input(request), 1))
    return mark_safe(navigation("", current, request.get_full_path(), get_urlconf()))


@functools.lru_cache(maxsize=1024)
def _navigation(username: str, current: str, next_path: str, urlconf: str | None) -> str:
    return render_to_string(
        "_site_nav.html",
        {
            "username": username,
            "current": current,
            "next_path": next_path,
            "csrf_slot": mark_safe(_CSRF_SLOT),
        },
    )
