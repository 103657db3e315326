"""Site-wide views: the home page, sign-up and the health check."""

from __future__ import annotations

import sys

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from notes.models import StudySet
from progress.reports import home_progress
from studysite.forms import LoginForm, SignupForm
from studysite.http import safe_next_url
from studysite.middleware import busy_response, database_busy


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400: a request Django refused before any view (too big, too many
    fields, a forged header) gets a page in Chinese that says why. Nothing was saved."""
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024
        reason = f"提交的内容太大（最多 {limit} KB）。"
    elif isinstance(exception, (TooManyFieldsSent, TooManyFilesSent)):
        reason = "表单的字段或文件太多。"
    else:
        reason = "这个请求的格式不对。"
    return render(request, "400.html", {"reason": reason}, status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500. A busy database outside a view (a session saved on the way
    out, a middleware's write) gets the same 503 as inside one; anything else
    is the plain 500 page."""
    error = sys.exc_info()[1]  # Django calls this while handling the exception
    if error is not None and database_busy(error):
        return busy_response(request, error)
    return defaults.server_error(request)


class LoginView(auth_views.LoginView):
    """Log in with the form whose errors are in plain Chinese."""

    authentication_form = LoginForm


class LogoutView(auth_views.LogoutView):
    """Log out (POST), and ask the browser to drop anything it kept of this site."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A stale or missing CSRF token (say, after logging in in another tab): a
    friendly page, and for htmx a full refresh that fetches a fresh token
    instead of a broken fragment. Nothing was saved."""
    response = TemplateResponse(request, "403_csrf.html", {}, status=403)
    if request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@require_GET
def home(request: HttpRequest) -> TemplateResponse:
    """The study sets; for a learner, a dashboard: per set what is open, due and
    wrong, the best score, and one next step."""
    study_sets = StudySet.objects.listed_for(request.user).counted()
    if request.user.is_authenticated:
        home_progress(request.user, study_sets)
    return TemplateResponse(request, "studysite/home.html", {"study_sets": study_sets})


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Create an account and log the new learner in."""
    next_url = safe_next_url(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.is_authenticated:
        return redirect(next_url or "home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(next_url or "home")
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(
        request, "registration/signup.html", {"form": form, "next": next_url}, status=status
    )


def ceiling(request: HttpRequest) -> HttpResponse:
    """The benchmark's bare view: what Django itself costs (enabled by STUDYSITE_BENCH)."""
    return HttpResponse("ok")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Report ok once the database answers a query."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})
