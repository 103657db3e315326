"""Cross-cutting response headers."""

from __future__ import annotations

from django.utils.cache import patch_cache_control


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
