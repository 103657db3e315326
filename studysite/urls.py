import os

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from progress import views as progress_views
from studysite import views
from studysite.forms import ChangePasswordForm

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(form_class=ChangePasswordForm),
        name="password-change",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("sets/", include("generator.urls")),
    path("sets/", include("notes.urls")),
    path("sets/", include("quizzes.urls")),
    path("sets/", include("flashcards.urls")),
    path("sets/", include("podcasts.urls")),
    path("sets/<slug:slug>/stats/", progress_views.stats, name="set-stats"),
    path("search/", include("search.urls")),
    path("me/", include("progress.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "studysite.views.bad_request"
handler500 = "studysite.views.server_error"

if os.environ.get("STUDYSITE_BENCH"):
    # The benchmark's ceiling: a bare Django view in the same install.
    urlpatterns.append(path("bench/ceiling", views.ceiling))
