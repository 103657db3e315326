"""Small request helpers shared by the apps."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request: HttpRequest, url: str | None, default: str = "") -> str:
    """`url` if it is a path on this site, else `default`: no open redirects, and
    nothing `redirect()` would mistake for a view name (say, "0")."""
    if (
        url
        and url.startswith("/")
        and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return url
    return default
