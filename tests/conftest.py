"""Shared fixtures: fast test settings, the 大模型 set, and Chromium for browser tests."""

from __future__ import annotations

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM
# calls from such a thread unless told that this is deliberate.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_available() -> bool:
    return bool(shutil.which(CHROMIUM))


def pytest_collection_modifyitems(config, items):
    """Browser tests are slow (a real Chromium per test). Skip them without Chromium,
    except in CI, where that is a failure."""
    browser_items = [item for item in items if item.get_closest_marker("browser")]
    for item in browser_items:
        item.add_marker(pytest.mark.slow)
    if not browser_items or chromium_available():
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(
            f"CI=true but Chromium is missing at {CHROMIUM}: browser tests must run in CI. "
            "Install it with `apt-get install chromium` (see .ci/run)."
        )
    skip = pytest.mark.skip(
        reason=f"Chromium not found at {CHROMIUM}: `apt-get install chromium` "
        "(or set CHROMIUM_PATH) to run the browser tests"
    )
    for item in browser_items:
        item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch Debian's Chromium; Playwright cannot download its own build here."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
        "headless": True,
    }


@pytest.fixture(autouse=True)
def _fast_test_settings(settings):
    """Tests need no collectstatic, no scan of the collected static files by every
    test client's WhiteNoise (0.1–0.4 s a test) and no slow password hashing."""
    settings.WHITENOISE_AUTOREFRESH = True
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def da_mo_xing(db):
    """The 大模型 set, stored from its fixture as `loaddata` stores it (faster)."""
    from tests.factories import load_da_mo_xing

    return load_da_mo_xing()


@pytest.fixture
def learner(db, django_user_model):
    return django_user_model.objects.create_user(username="xiaoming", password="s3cret-pass-学习")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
