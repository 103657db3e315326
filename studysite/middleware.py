"""Cross-cutting response headers."""

from __future__ import annotations

import logging

from django.db import OperationalError
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control

from studysite.htmx import refuse

logger = logging.getLogger(__name__)


class PrivatePagesNotStoredMiddleware:
    """A logged-in learner's pages hold their answers and scores: no cache, shared
    or in the browser, keeps a copy (Cache-Control: no-store, private)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


class MethodNotAllowedMiddleware:
    """Django's 405 (require_POST and friends) has an empty body: give it the
    site's refusal, in Chinese, keeping the Allow header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or response.content:
            return response
        allowed = response.get("Allow", "")
        refusal = refuse(
            request,
            f"这个地址不接受这种请求\uff08{request.method}\uff09\uff1b请从页面上的按钮或链接操作。",
            back=("/", "返回首页"),
            status=405,
            heading="无法完成",
        ).render()
        refusal["Allow"] = allowed
        return refusal


# PostgreSQL states worth a retry: lock_not_available, serialization_failure,
# deadlock_detected, too_many_connections, query_canceled (statement_timeout).
RETRYABLE_SQLSTATES = {"55P03", "40001", "40P01", "53300", "57014"}
RETRY_AFTER_SECONDS = 3


def database_busy(error: BaseException) -> bool:
    """Whether a database error means "busy, try again" rather than a bug."""
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    if getattr(cause, "sqlstate", None) in RETRYABLE_SQLSTATES:
        return True
    message = str(error).lower()
    return "database is locked" in message or "database table is locked" in message


class DatabaseBusyMiddleware:
    """Another writer held the database longer than the busy timeout: the view's
    transaction was rolled back, so nothing was saved. Say so with a 503 and
    Retry-After instead of a bare 500; the page (and the htmx error banner, which
    reads its alert) tells the learner "未保存，请重试"."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not database_busy(exception):
            return None
        return busy_response(request, exception)


def busy_response(request, exception: BaseException):
    """503 + Retry-After, never stored, with the "未保存，请重试" page."""
    logger.warning("Database busy (%s): 503 for %s %s", exception, request.method, request.path)
    response = TemplateResponse(request, "503.html", {}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    patch_cache_control(response, no_store=True)
    return response.render()
