"""make bench: throughput and latency of the main pages on gunicorn, driven by wrk
(a C load generator, keep-alive), against a stock bare Django view in the same
install (the ceiling), with the small 大模型 set and a generated large one.
Rounds are interleaved (ceiling, page, ceiling, page…) so machine noise hits
both, and the median ratio is reported. Writes bench/results.md. A benchmark,
not a test: figures depend on the machine; the ratios are what to compare.
wrk is installed from Debian when missing (as root), like .ci/run installs Chromium.

Usage: python bench/run.py [--seconds N] [--rounds R] [--smoke]
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
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
    from harness.factories import make_finished_attempt
    from notes.models import Note, StudySet
    from quizzes.models import Choice, Question

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
                f"- 术语{i}-{j}\uff1a这是第 {j} 条要点的解释\uff0c用来模拟一份很长的笔记。\n"
                for j in range(40)
            ),
        )
        for i in range(20)
    )
    questions = Question.objects.bulk_create(
        Question(
            study_set=large,
            position=i,
            kind=Question.Kind.SINGLE,
            prompt=f"第 {i + 1} 题\uff1a下列哪项正确\uff1f",
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
    from harness.servers import session_for

    return session_for(get_user_model().objects.get(username=username))


class Target:
    def __init__(
        self, name, method, path, body=None, headers=None, session_key=None, unique_field=None
    ):
        self.name, self.method, self.path, self.body = name, method, path, body
        self.headers = headers or {}
        self.session_key = session_key
        # A form field given a fresh UUID per request, for POSTs that must differ.
        self.unique_field = unique_field

    def request_headers(self) -> dict:
        headers = dict(self.headers)
        cookies = [f"csrftoken={CSRF}"]
        if self.session_key:
            cookies.append(f"sessionid={self.session_key}")
        headers["Cookie"] = "; ".join(cookies)
        if self.method == "POST":
            headers.update(
                {"Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": CSRF}
            )
        return headers

    def one_body(self) -> str | None:
        if self.unique_field:
            return f"{self.body}&{self.unique_field}={uuid.uuid4()}"
        return self.body


WRK_THREADS, WRK_CONNECTIONS = 2, 16
# Each wrk run gets a Lua script: the target's method, headers and body, and for
# a POST that must differ per request (a rating's review_id) a request() that
# makes a UUID unique to the run, the wrk thread and the request.
_WRK_LUA = """
wrk.method = {method}
wrk.body = {body}
{headers}
local run, n = "00000000", 0
tid = 0  -- a global: setup() sets it in each thread
local threads, made = 0, {{}}
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
  table.insert(made, thread)
end
function init(args)
  run = args[1] or run
end
unexpected, first = 0, ""
function response(status, headers, body)
  if status ~= 200 then
    unexpected = unexpected + 1
    if first == "" then first = tostring(status) end
  end
end
function done(summary, latency, requests)
  local total, status = 0, ""
  for _, thread in ipairs(made) do
    total = total + thread:get("unexpected")
    if status == "" then status = thread:get("first") end
  end
  io.write(string.format("Unexpected status: %d (first %s)\\n", total, status))
end
{request}
"""
_WRK_UNIQUE = """
function request()
  n = n + 1
  local id = string.format("%s-0000-4000-8000-%04x%08x", run, tid, n)
  return wrk.format(nil, nil, nil, {prefix} .. id)
end
"""


def ensure_wrk() -> str:
    """The path of wrk, installing the Debian package (as root) when it is missing."""
    found = shutil.which("wrk")
    if found is None and os.geteuid() == 0 and shutil.which("apt-get"):
        print("installing wrk (Debian package)…", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        install = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "wrk"]
        if subprocess.run(install, env=env, capture_output=True).returncode != 0:
            subprocess.run(["apt-get", "update", "-qq"], env=env, check=True)
            subprocess.run(install, env=env, check=True, capture_output=True)
        found = shutil.which("wrk")
    if found is None:
        sys.exit("make bench needs wrk (apt-get install wrk, brew install wrk).")
    return found


def _lua(value: str) -> str:
    return "[==[" + value + "]==]"


def wrk_script(target: Target) -> str:
    request = ""
    if target.unique_field:
        request = _WRK_UNIQUE.format(prefix=_lua(f"{target.body}&{target.unique_field}="))
    headers = target.request_headers()
    return _WRK_LUA.format(
        method=_lua(target.method),
        body=_lua(target.body) if target.body is not None else "nil",
        headers="\n".join(f"wrk.headers[ {_lua(k)} ] = {_lua(v)}" for k, v in headers.items()),
        request=request,
    )


_DURATION = re.compile(r"([\d.]+)(us|ms|s)\b")


def _found(match: re.Match[str] | None, what: str) -> re.Match[str]:
    """A line wrk (and our Lua script) always print: missing, the run is broken."""
    if match is None:
        raise RuntimeError(f"wrk printed no {what}")
    return match


def _ms(text: str) -> float:
    number, unit = _found(_DURATION.fullmatch(text.strip()), "duration").groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def load(wrk: str, port: int, target: Target, seconds: float) -> dict:
    """One wrk run (keep-alive connections) against the target."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(wrk_script(target))
    try:
        out = subprocess.run(
            [
                wrk, f"-t{WRK_THREADS}", f"-c{WRK_CONNECTIONS}", f"-d{max(1, round(seconds))}s",
                "--latency", "-s", script.name, f"http://127.0.0.1:{port}{target.path}",
                "--", uuid.uuid4().hex[:8],
            ],
            capture_output=True, text=True, check=True, timeout=seconds + 60,
        ).stdout  # fmt: skip
    finally:
        os.unlink(script.name)
    percentile = dict(re.findall(r"^\s+(50|99)(?:\.0+)?%\s+(\S+)", out, re.MULTILINE))
    # Anything but 200 is an error: a redirect to the login page is not a page view.
    bad = _found(re.search(r"Unexpected status: (\d+) \(first (\w*)\)", out), "status count")
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rps": float(_found(re.search(r"Requests/sec:\s+([\d.]+)", out), "Requests/sec").group(1)),
        "p50": _ms(percentile["50"]),
        "p99": _ms(percentile["99"]),
        "first_error": bad.group(2),
        "errors": int(bad.group(1)) + (sum(int(n) for n in socket.groups()) if socket else 0),
        "requests": int(_found(re.search(r"(\d+) requests in", out), "request count").group(1)),
    }


def page_size(port: int, target: Target) -> int:
    """The gzip-compressed size of one response body."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(
            target.method, target.path, body=target.one_body(), headers=target.request_headers()
        )
        return len(gzip.compress(conn.getresponse().read()))
    finally:
        conn.close()


def interleaved(wrk: str, port: int, ceiling: Target, target: Target, seconds, rounds) -> dict:
    """Ceiling, page, ceiling, page…: machine noise hits both; report medians."""
    pairs = [
        (load(wrk, port, ceiling, seconds), load(wrk, port, target, seconds)) for _ in range(rounds)
    ]
    pages = [page for _ceiling, page in pairs]
    return {
        "rps": statistics.median(p["rps"] for p in pages),
        "ceiling": statistics.median(c["rps"] for c, _p in pairs),
        "ratio": statistics.median(p["rps"] / c["rps"] for c, p in pairs if c["rps"]),
        "p50": statistics.median(p["p50"] for p in pages),
        "p99": statistics.median(p["p99"] for p in pages),
        "errors": sum(p["errors"] for p in pages),
        "first_error": next((p["first_error"] for p in pages if p["errors"]), ""),
    }


def queries(target: Target) -> int:
    """Queries one request of this target makes, counted in-process with the test client."""
    from django.test import Client

    client = Client(enforce_csrf_checks=False)
    if target.session_key:
        client.cookies["sessionid"] = target.session_key
    path, body = target.path, target.one_body()
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
    from learners.visitor import Visitor

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
    attempt = Attempt.start(Visitor(user), study_set, questions)
    item = attempt.item_list[0]
    token = attempt.option_token(next(o.id for o in item.options if o.correct))
    answer_path = f"/sets/{slug}/quiz/{attempt.pk}/questions/{item.question_id}/answer/"
    card = Card.objects.filter(study_set=study_set).first()
    assert card is not None, f"{slug} has no cards to rate"

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
            f"/sets/{slug}/flashcards/{card.pk}/review/",
            "rating=3",
            htmx_cards,
            key,
            unique_field="review_id",
        ),
        Target("/me/", "GET", "/me/", session_key=key),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="tiny data, one second per page")
    args = parser.parse_args()
    seconds, rounds = (1.0, 1) if args.smoke else (args.seconds, args.rounds)
    wrk = ensure_wrk()
    print("building the benchmark database…", flush=True)
    build(args.smoke)
    sets = [
        ("da-mo-xing", "learner0", "small (大模型)"),
        (LARGE, "learner1", "large (2,000 questions)" if not args.smoke else "large (smoke)"),
    ]
    all_targets = {label: targets_for(slug, user) for slug, user, label in sets}
    query_counts = {label: {t.name: queries(t) for t in ts} for label, ts in all_targets.items()}

    from harness.servers import gunicorn

    ceiling = Target("ceiling", "GET", "/bench/ceiling")
    with gunicorn(workers=2) as (url, _process):
        port = int(url.rsplit(":", 1)[1])
        rows = []
        for label, targets in all_targets.items():
            for target in targets:
                result = interleaved(wrk, port, ceiling, target, seconds, rounds)
                result["gzip"] = page_size(port, target)
                rows.append((label, target.name, result, query_counts[label][target.name]))
                print(
                    f"{label:28} {target.name:26} {result['rps']:7.0f} req/s "
                    f"(ceiling {result['ceiling']:5.0f}, ×{result['ratio']:.2f})  "
                    f"p50 {result['p50']:6.1f} ms  p99 {result['p99']:6.1f} ms  errors {result['errors']} {result['first_error']}",
                    flush=True,
                )
    write(rows, seconds, rounds, args.smoke)
    if any(result["errors"] for _label, _name, result, _q in rows):
        sys.exit("some requests failed: see the errors column")


# Issue 21's baseline (× ceiling, this measure, before the work) and its bars.
# Rating and /me/ had to reach three times their requests per second; against
# the interleaved ceiling that is three times the ratio. Large-set pages: within
# 1.5× of the small set's latency.
BEFORE = {
    ("small", "home"): 0.13, ("small", "notes"): 0.14, ("small", "quiz page"): 0.12,
    ("small", "answer POST (htmx)"): 0.10, ("small", "flashcard rating (htmx)"): 0.04,
    ("small", "/me/"): 0.03,
    ("large", "home"): 0.13, ("large", "notes"): 0.05, ("large", "quiz page"): 0.08,
    ("large", "answer POST (htmx)"): 0.06, ("large", "flashcard rating (htmx)"): 0.04,
    ("large", "/me/"): 0.03,
}  # fmt: skip
BARS = {
    "home": 0.25, "notes": 0.25, "quiz page": 0.15, "answer POST (htmx)": 0.08,
    "flashcard rating (htmx)": 3 * 0.04, "/me/": 3 * 0.03,
}  # fmt: skip
LARGE_WITHIN = 1.5


def verdict(ratio: float, bar: float | None, versus: float | None) -> str:
    """✓ when the page meets its bar (and, for the large set, the 1.5× bound)."""
    met = (bar is None or ratio >= bar) and (versus is None or versus <= LARGE_WITHIN)
    return "✓" if met else "✗"


def write(rows, seconds: float, rounds: int, smoke: bool) -> None:
    import platform

    small = {name: result for label, name, result, _q in rows if label.startswith("small")}
    ceilings = [result["ceiling"] for _label, _name, result, _q in rows]
    lines = [
        "# Benchmark results" + (" (smoke run: tiny data, not comparable)" if smoke else ""),
        "",
        f"gunicorn, 2 sync workers, SQLite (WAL); load from wrk ({WRK_THREADS} threads, "
        f"{WRK_CONNECTIONS} keep-alive connections) on loopback; {os.cpu_count()} cores, "
        f"Python {platform.python_version()}.",
        f"Each page ran {rounds} round(s) of {seconds:.0f} s, each right after a round of the "
        "ceiling (a stock bare Django view, same install and middleware), so machine noise "
        "hits both; the figures are medians and × ceiling is the median of the per-round ratios.",
        f"Ceiling: {statistics.median(ceilings):.0f} req/s (median over all rounds).",
        "",
        "| set | page | req/s | p50 ms | p99 ms | × ceiling | before | bar | large ÷ small latency | met | queries | gzip bytes | errors |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|:-:|---:|---:|---:|",
    ]
    for label, name, result, query_count in rows:
        versus = None
        if not label.startswith("small") and name in small and small[name]["p50"]:
            versus = result["p50"] / small[name]["p50"]
        before = BEFORE.get((label.split()[0], name))
        bar = BARS.get(name)
        lines.append(
            f"| {label} | {name} | {result['rps']:.0f} | {result['p50']:.1f} | {result['p99']:.1f} "
            f"| {result['ratio']:.2f} | {'' if before is None else f'{before:.2f}'} "
            f"| {'' if bar is None else f'{bar:.2f}'} | {'' if versus is None else f'{versus:.2f}'} "
            f"| {verdict(result['ratio'], bar, versus)} | {query_count} | {result['gzip']} | {result['errors']} |"
        )
    lines += [
        "",
        "Bars (issue 21, this measure): home ≥ 0.25, notes ≥ 0.25, quiz page ≥ 0.15, answer POST ≥ 0.08; "
        "flashcard rating and /me/ three times their requests per second before the work (here: three "
        "times the ratio, 0.12 and 0.09); large-set pages within 1.5× of small. *before* is the ratio "
        "measured the same way before issue 21. Every page is driven by wrk (a rating's review_id is "
        "made unique per request by the Lua script), none by a Python client.",
        "Queries are counted per request in-process; gzip bytes are one response body compressed.",
    ]
    out = ROOT / "bench" / ("results-smoke.md" if smoke else "results.md")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
