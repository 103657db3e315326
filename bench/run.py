"""make bench: throughput and latency of the main pages on gunicorn, against a bare
Django view in the same install (the ceiling), with the small 大模型 set and a
generated large one. Writes bench/results.md. A benchmark, not a test: figures
depend on the machine; the ratios to the ceiling are what to compare.

Usage: python bench/run.py [--seconds N] [--smoke]
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import os
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DB = ROOT / "var" / "bench.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
os.environ["DJANGO_SETTINGS_MODULE"] = "studysite.settings"
os.environ["STUDYSITE_BENCH"] = "1"
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

CSRF = "b" * 32
LARGE = "bench-large"


def build(smoke: bool) -> None:
    """A fresh database: 大模型, and a large set (2,000 questions, 500 cards, 200 learners)."""
    from flashcards.models import Card, CardState
    from notes.models import Note, StudySet
    from quizzes.models import Choice, Question
    from tests.factories import make_finished_attempt

    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB}{suffix}").unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    call_command(
        "collectstatic", interactive=False, verbosity=0
    )  # production storage needs the manifest
    call_command("loaddata", "da-mo-xing", verbosity=0)
    n_questions, n_cards, n_learners = (100, 50, 10) if smoke else (2000, 500, 200)
    large = StudySet.objects.create(slug=LARGE, title="大型基准学习集")
    notes = Note.objects.bulk_create(
        Note(
            study_set=large,
            position=i,
            title=f"第 {i + 1} 章",
            body="".join(
                f"- 术语{i}-{j}:这是第 {j} 条要点的解释,用来模拟一份很长的笔记。\n"
                for j in range(40)
            ),
        )
        for i in range(20)
    )
    questions = Question.objects.bulk_create(
        Question(
            study_set=large,
            position=i,
            kind="single",
            prompt=f"第 {i + 1} 题:下列哪项正确?",
            explanation="依据笔记。",
            note=notes[i % 20],
        )
        for i in range(n_questions)
    )
    Choice.objects.bulk_create(
        Choice(question=q, position=j, text=f"选项 {j} · {q.pk}", is_correct=j == 0)
        for q in questions
        for j in range(4)
    )
    cards = Card.objects.bulk_create(
        Card(
            study_set=large,
            position=i,
            front=f"大术语{i}",
            back=f"大术语{i}的解释。",
            note=notes[i % 20],
        )
        for i in range(n_cards)
    )
    User = get_user_model()
    learners = User.objects.bulk_create(
        User(username=f"learner{i}", password="!") for i in range(n_learners)
    )
    small = StudySet.objects.get(slug="da-mo-xing")
    from django.utils import timezone

    now = timezone.now()
    for i, user in enumerate(learners[:40] if not smoke else learners):
        make_finished_attempt(user, small, wrong={201 + i % 10})
    # The large set's history, in bulk: attempts would take minutes to build one by one.
    from datetime import timedelta

    from quizzes.models import Answer, Attempt

    for i, user in enumerate(learners[: (20 if smoke else 200)]):
        attempt = Attempt.objects.create(
            user=user,
            study_set=large,
            status="finished",
            items=[],
            question_count=50,
            correct_count=40,
            finished_at=now,
        )
        Answer.objects.bulk_create(
            Answer(
                attempt=attempt,
                question=q,
                position=p,
                chosen=[],
                is_correct=p % 5 != 0,
                answered_at=now - timedelta(days=p % 30),
                seconds=20,
            )
            for p, q in enumerate(questions[i % 10 * 50 : i % 10 * 50 + 50])
        )
        CardState.objects.bulk_create(
            CardState(
                user=user,
                card=c,
                state=2,
                stability=5,
                difficulty=5,
                due=now + timedelta(days=k % 7),
                last_review=now,
                reps=3,
            )
            for k, c in enumerate(cards[:50])
        )


def session(username: str) -> str:
    from tests.reliability.servers import session_for

    return session_for(get_user_model().objects.get(username=username))


class Target:
    def __init__(self, name, method, path, body=None, headers=None, session_key=None, prepare=None):
        self.name, self.method, self.path, self.body = name, method, path, body
        self.headers = headers or {}
        self.session_key = session_key
        self.prepare = prepare  # returns (path, body) per request, for POSTs that must differ

    def request(self, conn: http.client.HTTPConnection) -> tuple[int, bytes]:
        path, body = self.prepare() if self.prepare else (self.path, self.body)
        headers = dict(self.headers)
        cookies = [f"csrftoken={CSRF}"]
        if self.session_key:
            cookies.append(f"sessionid={self.session_key}")
        headers["Cookie"] = "; ".join(cookies)
        if body is not None:
            headers.update(
                {"Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": CSRF}
            )
        conn.request(self.method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()


def load(url_port: int, target: Target, seconds: float, clients: int = 4) -> dict:
    latencies: list[float] = []
    errors = 0
    sample = b""
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker():
        nonlocal errors, sample
        conn = http.client.HTTPConnection("127.0.0.1", url_port, timeout=30)
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                status, body = target.request(conn)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", url_port, timeout=30)
                status, body = 0, b""
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if status >= 400 or status == 0:
                    errors += 1
                elif not sample:
                    sample = body
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "rps": len(latencies) / wall,
        "p50": statistics.median(latencies) * 1000 if latencies else 0,
        "p99": latencies[int(len(latencies) * 0.99) - 1] * 1000 if latencies else 0,
        "errors": errors,
        "requests": len(latencies),
        "gzip": len(gzip.compress(sample)) if sample else 0,
    }


def queries(target: Target) -> int:
    """Queries one request of this target makes, counted in-process with the test client."""
    from django.test import Client

    client = Client(enforce_csrf_checks=False)
    if target.session_key:
        client.cookies["sessionid"] = target.session_key
    path, body = target.prepare() if target.prepare else (target.path, target.body)
    with CaptureQueriesContext(connection) as captured:
        if target.method == "GET":
            client.get(path, headers=target.headers)
        else:
            client.post(
                path,
                data=body,
                content_type="application/x-www-form-urlencoded",
                headers=target.headers,
            )
    return len(captured)


def targets_for(slug: str, username: str) -> list[Target]:
    from flashcards.models import Card
    from quizzes.models import Attempt, Question
    from studysite.htmx import HtmxHttpRequest  # noqa: F401 (the app's own code paths)

    key = session(username)
    user = get_user_model().objects.get(username=username)
    from django.test import RequestFactory

    request = RequestFactory().post("/")
    request.user = user
    request.session = {}
    questions = list(
        Question.objects.filter(study_set__slug=slug, is_draft=False)
        .prefetch_related("choices")
        .select_related("note__study_set")[:200]
    )
    from notes.models import StudySet

    study_set = StudySet.objects.get(slug=slug)
    Attempt.objects.filter(user=user, study_set=study_set, status="in_progress").update(
        status="abandoned"
    )
    attempt = Attempt.start(request, study_set, questions)
    item = attempt.item_list[0]
    token = attempt.option_token(next(o.id for o in item.options if o.correct))
    answer_path = f"/sets/{slug}/quiz/{attempt.pk}/questions/{item.question_id}/answer/"
    card = Card.objects.filter(study_set=study_set).first()

    def rating():
        return f"/sets/{slug}/flashcards/{card.pk}/review/", urlencode(
            {"rating": 3, "review_id": str(uuid.uuid4())}
        )

    htmx_answer = {"HX-Request": "true", "HX-Target": "answer-result"}
    htmx_cards = {"HX-Request": "true", "HX-Target": "flashcard-area"}
    return [
        Target("home", "GET", "/"),
        Target("notes", "GET", f"/sets/{slug}/notes/"),
        Target("quiz page", "GET", f"/sets/{slug}/quiz/", session_key=key),
        Target(
            "answer POST (htmx)",
            "POST",
            answer_path,
            urlencode({"choices": token}),
            htmx_answer,
            key,
        ),
        Target(
            "flashcard rating (htmx)",
            "POST",
            "",
            headers=htmx_cards,
            session_key=key,
            prepare=rating,
        ),
        Target("/me/", "GET", "/me/", session_key=key),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--smoke", action="store_true", help="tiny data, one second per page")
    args = parser.parse_args()
    seconds = 1.0 if args.smoke else args.seconds
    print("building the benchmark database…", flush=True)
    build(args.smoke)
    sets = [
        ("da-mo-xing", "learner0", "small (大模型)"),
        (LARGE, "learner1", "large (2,000 questions)" if not args.smoke else "large (smoke)"),
    ]
    all_targets = {label: targets_for(slug, user) for slug, user, label in sets}
    query_counts = {label: {t.name: queries(t) for t in ts} for label, ts in all_targets.items()}

    from tests.reliability.servers import gunicorn

    with gunicorn(workers=2) as (url, _process):
        port = int(url.rsplit(":", 1)[1])
        ceiling = load(port, Target("ceiling", "GET", "/bench/ceiling"), seconds)
        print(f"ceiling: {ceiling['rps']:.0f} req/s", flush=True)
        rows = []
        for label, targets in all_targets.items():
            for target in targets:
                result = load(port, target, seconds)
                rows.append((label, target.name, result, query_counts[label][target.name]))
                print(
                    f"{label:28} {target.name:26} {result['rps']:7.0f} req/s  p50 {result['p50']:6.1f} ms  p99 {result['p99']:6.1f} ms  errors {result['errors']}",
                    flush=True,
                )
    write(ceiling, rows, seconds, args.smoke)


def write(ceiling: dict, rows, seconds: float, smoke: bool) -> None:
    import platform

    small = {name: result for label, name, result, _q in rows if label.startswith("small")}
    lines = [
        "# Benchmark results" + (" (smoke run: tiny data, not comparable)" if smoke else ""),
        "",
        f"gunicorn, 2 sync workers, SQLite (WAL); 4 keep-alive clients per page for {seconds:.0f} s on loopback; "
        f"{os.cpu_count()} cores, Python {platform.python_version()}.",
        f"Ceiling (a bare Django view, same install): **{ceiling['rps']:.0f} req/s**, p50 {ceiling['p50']:.1f} ms.",
        "",
        "| set | page | req/s | p50 ms | p99 ms | × ceiling | large ÷ small latency | queries | gzip bytes | errors |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, name, result, query_count in rows:
        ratio = result["rps"] / ceiling["rps"] if ceiling["rps"] else 0
        versus = ""
        if not label.startswith("small") and name in small and small[name]["p50"]:
            versus = f"{result['p50'] / small[name]['p50']:.2f}"
        lines.append(
            f"| {label} | {name} | {result['rps']:.0f} | {result['p50']:.1f} | {result['p99']:.1f} | {ratio:.2f} | {versus} | {query_count} | {result['gzip']} | {result['errors']} |"
        )
    lines += [
        "",
        "Bars (PRODUCT.md): quiz page and answer POST ≥ 0.30 × ceiling, notes ≥ 0.40; large-set pages within 1.5× of small.",
        "Queries are counted per request in-process; gzip bytes are the body compressed (whitenoise compresses static files; pages are sent as is).",
    ]
    out = ROOT / "bench" / ("results-smoke.md" if smoke else "results.md")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
