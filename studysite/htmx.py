"""htmx plumbing shared by every app: the typed request and partial rendering."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.cache import patch_vary_headers
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class HtmxHttpRequest(HttpRequest):
    """An HttpRequest as HtmxMiddleware leaves it, for type checkers."""

    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    """The request of a view behind @login_required, whose user is signed in."""

    user: User


def refuse(
    request: HtmxHttpRequest,
    message: str,
    *,
    back: tuple[str, str],
    status: int,
    heading: str = "无法完成",
) -> TemplateResponse:
    """A clear 4xx: the message alone for htmx (the `refusal` partial), otherwise a
    page with it and a way `back` (url, label) to where the learner was."""
    name = "refused.html#refusal" if request.htmx else "refused.html"
    back_url, back_label = back
    context = {
        "message": message,
        "heading": heading,
        "back_url": back_url,
        "back_label": back_label,
    }
    return TemplateResponse(request, name, context, status=status)


def form_message(form) -> str:
    """All of a bound form's errors as one sentence for a refusal."""
    return " ".join(error for errors in form.errors.values() for error in errors)


def render_partial(
    request: HtmxHttpRequest,
    template_name: str,
    context: dict[str, Any],
    *,
    target: str,
    status: int = 200,
) -> TemplateResponse:
    """Render the whole page, or only the partial `target` when htmx swaps that id.

    A partial's name is the id of the element it renders, so the fragment an htmx
    request gets is exactly the element it targets.
    """
    name = template_name
    if request.htmx and request.htmx.target == target:
        name = f"{template_name}#{target}"
    response = TemplateResponse(request, name, context, status=status)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response
