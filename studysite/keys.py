"""The secret key: from the environment, or made once per install and kept in var/.

No key is ever written in the code, so no deployment can run on a key that
everyone can read on GitHub.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

MIN_LENGTH = 50


def secret_key(environ: Mapping[str, str], path: Path) -> str:
    """DJANGO_SECRET_KEY if set; else the key in `path`, made at first start.

    Made with a hard link from a private temporary file, so workers starting
    together agree on one key and none ever reads a half-written file.
    """
    if key := environ.get("DJANGO_SECRET_KEY", "").strip():
        return key
    try:
        if not path.exists():
            _make(path)
        mode = path.stat().st_mode & 0o777
        key = path.read_text().strip()
    except OSError as error:
        raise ImproperlyConfigured(
            f"Cannot keep a secret key in {path} ({error.strerror}): set DJANGO_SECRET_KEY."
        ) from error
    if mode & 0o077:
        raise ImproperlyConfigured(
            f"{path} can be read by other users (mode {mode:o}): "
            f"`chmod 600 {path}`, or set DJANGO_SECRET_KEY."
        )
    if len(key) < MIN_LENGTH or len(set(key)) < 5:
        raise ImproperlyConfigured(
            f"{path} holds no usable secret key: delete it to have one made, "
            "or set DJANGO_SECRET_KEY."
        )
    return key


def _make(path: Path) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.unlink(missing_ok=True)  # a leftover of a crashed start, or a planted link
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(get_random_secret_key())
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass  # another worker made it first: use theirs
    finally:
        temporary.unlink()
