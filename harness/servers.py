"""Real app servers (gunicorn) for tests and benchmarks that cross process boundaries."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url() -> str:
    """The URL of the database this test run uses (the test database)."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("postgresql"):
        return f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return f"sqlite:///{db['NAME']}"


_collected = False


def collect_static(env: dict) -> None:
    """Production settings serve the hashed manifest: build it once per run."""
    global _collected
    if not _collected:
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        _collected = True


@contextmanager
def gunicorn(workers: int = 2, extra_env: dict | None = None):
    """Start gunicorn on a free loopback port against the test database; yield its
    URL and the master process. Its log (`process.log_path`) is a file, never a
    pipe: a full pipe would block the workers that write to it."""
    port = free_port()
    with tempfile.NamedTemporaryFile(prefix="gunicorn-", suffix=".log") as log:
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
        env.update({"DATABASE_URL": database_url(), "DJANGO_DEBUG": "0", **(extra_env or {})})
        collect_static(env)
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "studysite.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--log-level",
                "warning",
            ],  # fmt: skip
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        process.log_path = Path(log.name)  # type: ignore[attr-defined]  # for the callers
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        log_text = process.log_path.read_text()  # type: ignore[attr-defined]
                        raise RuntimeError(log_text[-2000:]) from None
                    time.sleep(0.2)
            yield url, process
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def session_for(user) -> str:
    """A logged-in session key, as Django's login would store it."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    assert store.session_key is not None  # create() made it
    return store.session_key


CSRF = "a" * 32


def post(url: str, session: str, data: dict, headers: dict | None = None, timeout: float = 30):
    """POST a form as a logged-in browser would (session + CSRF cookie and header)."""
    from urllib.parse import urlencode

    body = urlencode(data, doseq=True).encode()
    request = urllib.request.Request(
        url,
        data=body,
        headers={
            "Cookie": f"sessionid={session}; csrftoken={CSRF}",
            "X-CSRFToken": CSRF,
            "Content-Type": "application/x-www-form-urlencoded",
            **(headers or {}),
        },
    )
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
