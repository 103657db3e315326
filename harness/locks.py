"""Hold the database's write lock from another process, as a long backup or a
stuck admin job would, so tests can see what learners see meanwhile.

    python -m harness.locks DATABASE_URL SECONDS

prints "locked" once it holds the lock, then releases it after SECONDS.
"""

from __future__ import annotations

import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import dj_database_url

ROOT = Path(__file__).resolve().parents[1]
# What answering and rating write: on PostgreSQL, locking these blocks both.
TABLES = "quizzes_attempt, quizzes_answer, flashcards_cardstate, flashcards_reviewlog"


def hold(url: str, seconds: float) -> None:
    config = dj_database_url.parse(url)
    if config["ENGINE"].endswith("sqlite3"):
        import sqlite3

        connection = sqlite3.connect(config["NAME"], timeout=30, isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")  # the write lock; readers go on (WAL)
    else:
        import psycopg

        # Either connection: both have execute() and close().
        connection = psycopg.connect(  # type: ignore[assignment]
            dbname=config["NAME"],
            user=config["USER"],
            password=config["PASSWORD"] or None,
            host=config["HOST"],
            port=config["PORT"] or None,
        )
        connection.execute(f"LOCK TABLE {TABLES} IN EXCLUSIVE MODE")  # plain reads go on
    print("locked", flush=True)
    time.sleep(seconds)
    connection.close()  # closing rolls the open transaction back
    print("released", flush=True)


@contextmanager
def write_lock(url: str, seconds: float):
    """Run `hold` in another process; return once the lock is held. On leaving
    the block, wait until the other process has let go."""
    process = subprocess.Popen(
        [sys.executable, "-m", "harness.locks", url, str(seconds)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None  # stdout=PIPE
        line = process.stdout.readline()
        if line.strip() != "locked":
            raise RuntimeError(f"lock holder failed: {line!r}")
        yield process
    finally:
        process.wait(timeout=seconds + 30)


if __name__ == "__main__":
    hold(sys.argv[1], float(sys.argv[2]))
