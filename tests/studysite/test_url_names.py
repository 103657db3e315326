"""URL names are kebab-case, like element ids and partial names (issue 20 §4)."""

from __future__ import annotations

import re

from django.contrib.auth import urls as auth_urls
from django.urls import URLPattern, URLResolver, get_resolver, reverse

KEBAB = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
# Django's auth URLconf keeps its own names: its views reverse them
# (PasswordChangeView's success_url is "password_change_done").
DJANGOS_OWN = {p.name for p in auth_urls.urlpatterns if isinstance(p, URLPattern)}


def our_names(patterns=None, namespace=""):
    """(namespace, name) of every named URL the project defines: not admin's, not
    the URLs `django.contrib.auth.urls` brings."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin" or entry.urlconf_module is auth_urls:
                continue
            yield from our_names(entry.url_patterns, entry.namespace or namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace, entry.name


def test_every_url_name_and_namespace_is_kebab_case():
    names = list(our_names())
    assert len(names) > 30
    wrong = [
        (ns, name) for ns, name in names if not all(KEBAB.fullmatch(x) for x in (ns or "x", name))
    ]
    assert wrong == []


def test_the_project_does_not_reuse_a_name_django_defines_for_itself():
    assert {name for _ns, name in our_names() if not _ns} & DJANGOS_OWN <= {"login", "logout"}


def test_password_change_keeps_its_path_under_its_kebab_name():
    assert reverse("password-change") == "/accounts/password_change/"
