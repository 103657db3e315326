"""make reliability: nothing a learner sends is lost or stored twice, whatever
happens to the server. Real gunicorn (4 sync workers) on loopback, real clients
that retry the way a browser's 未保存，请重试 does, checks read from the database.

Scenarios: concurrent load (every answer and rating sent twice at once, a
double click), the database locked by another process for 2 s and for 8 s, five
workers killed with SIGKILL mid-load, a graceful reload (SIGHUP) mid-load, and
on SQLite a negative control with DEFERRED transactions that must fail.

Database: a fresh SQLite file under var/, or, when DATABASE_URL names a
PostgreSQL server, a fresh database `studysite_reliability` on that server.
Writes bench/reliability-<vendor>.md; exits non-zero if any bar is missed.

Usage: python bench/reliability.py
"""

from __future__ import annotations

import http.client
import os
import signal
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SERVER_URL = os.environ.get("DATABASE_URL", "")
VENDOR = "postgresql" if SERVER_URL.startswith(("postgres://", "postgresql://")) else "sqlite"
DB = ROOT / "var" / "reliability.sqlite3"


def fresh_database() -> str:
    """The URL of an empty database for this run."""
    if VENDOR == "sqlite":
        DB.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DB}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{DB}"
    import psycopg

    parts = urlsplit(SERVER_URL)
    with psycopg.connect(SERVER_URL, autocommit=True) as admin:
        admin.execute("DROP DATABASE IF EXISTS studysite_reliability WITH (FORCE)")
        admin.execute("CREATE DATABASE studysite_reliability")
    return parts._replace(path="/studysite_reliability").geturl()


os.environ["DATABASE_URL"] = fresh_database()
os.environ["DJANGO_SETTINGS_MODULE"] = "studysite.settings"
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402

from flashcards.models import Card, CardState, ReviewLog  # noqa: E402
from harness.locks import write_lock  # noqa: E402
from harness.servers import CSRF, database_url, gunicorn, session_for  # noqa: E402
from quizzes.models import Answer, Attempt  # noqa: E402

SLUG = "reliability"
LEARNERS = 20
QUESTIONS = 25
CARDS = 10
WORKERS = 4
KILLS = 5
HTMX_ANSWER = {"HX-Request": "true", "HX-Target": "answer-result"}
HTMX_CARDS = {"HX-Request": "true", "HX-Target": "flashcard-area"}
TIMEOUT = settings.DATABASE_LOCK_TIMEOUT


# ---------------------------------------------------------------- the clients


@dataclass
class Outcome:
    status: int | None  # None: the connection was lost (no response at all)
    seconds: float
    body: str = ""
    retry_after: str | None = None


@dataclass
class Traffic:
    """Every response the clients saw, first tries and retries alike."""

    outcomes: list[Outcome] = field(default_factory=list)  # list.append is thread-safe
    retried: list[Outcome] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)
    ended: float = 0.0

    @property
    def retries(self) -> int:
        return len(self.retried)

    def count(self, predicate) -> int:
        return sum(1 for o in self.outcomes if predicate(o))

    @property
    def server_errors(self) -> int:
        return self.count(lambda o: o.status is not None and o.status >= 500)

    @property
    def lost(self) -> int:
        return self.count(lambda o: o.status is None)

    @property
    def p95_ms(self) -> float:
        times = sorted(o.seconds for o in self.outcomes)
        return 1000 * times[int(0.95 * (len(times) - 1))] if times else 0.0

    @property
    def rate(self) -> float:
        return len(self.outcomes) / max(self.ended - self.started, 1e-9)


class Client:
    def __init__(self, base: str, session: str, traffic: Traffic):
        parts = urlsplit(base)
        assert parts.hostname is not None, base  # http://127.0.0.1:port
        self.host, self.port = parts.hostname, parts.port
        self.session = session
        self.traffic = traffic

    def post_once(self, path: str, data: dict, headers: dict) -> Outcome:
        began = time.monotonic()
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            conn.request(
                "POST",
                path,
                body=urlencode(data, doseq=True),
                headers={
                    "Cookie": f"sessionid={self.session}; csrftoken={CSRF}",
                    "X-CSRFToken": CSRF,
                    "Content-Type": "application/x-www-form-urlencoded",
                    **headers,
                },
            )
            response = conn.getresponse()
            outcome = Outcome(
                response.status,
                time.monotonic() - began,
                response.read().decode(),
                response.getheader("Retry-After"),
            )
        except (OSError, http.client.HTTPException):
            outcome = Outcome(None, time.monotonic() - began)
        finally:
            conn.close()
        self.traffic.outcomes.append(outcome)
        return outcome

    def deliver(self, path: str, data: dict, headers: dict, *, tries: int = 30) -> Outcome:
        """Send until the server answers with something other than "try again",
        as a learner pressing 提交 again after 未保存，请重试 would."""
        for attempt in range(tries):
            outcome = self.post_once(path, data, headers)
            if outcome.status is not None and outcome.status != 503:
                return outcome
            self.traffic.retried.append(outcome)
            time.sleep(min(float(outcome.retry_after or 0.2), 0.5) * (1 + attempt / 10))
        return outcome

    def double_click(self, path: str, data: dict, headers: dict) -> None:
        """The same submission twice at once."""
        other = threading.Thread(target=self.deliver, args=(path, data, headers))
        other.start()
        self.deliver(path, data, headers)
        other.join()


# ---------------------------------------------------------------- the data


def build() -> list:
    """The schema, one set of 25 questions and 10 cards, and 20 learners."""
    from harness.factories import make_card, make_note, make_question
    from notes.models import StudySet

    call_command("migrate", verbosity=0)
    study_set = StudySet.objects.create(slug=SLUG, title="可靠性测试集")
    note = make_note(study_set, title="要点", body="- 要点")
    for n in range(QUESTIONS):
        make_question(study_set, note=note, position=n, prompt=f"第 {n + 1} 题")
    for n in range(CARDS):
        make_card(study_set, position=n, front=f"术语 {n}", back=f"解释 {n}")
    users = get_user_model().objects
    return [users.create_user(f"learner{n}", password="unused-pass-1") for n in range(LEARNERS)]


def start_attempts(base: str, sessions: dict) -> dict[int | None, Attempt]:
    """Every learner starts a fresh quiz (abandoning any open one)."""
    for session in sessions.values():
        outcome = Client(base, session, Traffic()).deliver(
            f"/sets/{SLUG}/quiz/start/", {"mode": "all"}, {}
        )
        assert outcome.status == 302, outcome
    return {a.user_id: a for a in Attempt.objects.filter(status="in_progress")}


def answer_job(attempt: Attempt, item) -> tuple[str, dict]:
    """Right on even positions, wrong on odd: both verdicts are stored."""
    options = [o for o in item.options if o.correct == (item.position % 2 == 0)]
    path = f"/sets/{SLUG}/quiz/{attempt.pk}/questions/{item.question_id}/answer/"
    return path, {"choices": attempt.option_token(options[0].id)}


def learner_load(client: Client, attempt: Attempt, cards: list[Card], review_ids: list) -> None:
    """A whole quiz, then a rating for each card, every submission double-clicked."""
    for item in attempt.item_list:
        client.double_click(*answer_job(attempt, item), HTMX_ANSWER)
    for card in cards:
        review_id = str(uuid.uuid4())
        review_ids.append(review_id)
        client.double_click(
            f"/sets/{SLUG}/flashcards/{card.pk}/review/",
            {"rating": 3, "review_id": review_id},
            HTMX_CARDS,
        )


def run_load(base: str, sessions: dict, attempts: dict, traffic: Traffic) -> dict[int, list]:
    cards = list(Card.objects.filter(study_set__slug=SLUG).order_by("position"))
    review_ids: dict[int, list[int]] = {user_id: [] for user_id in sessions}
    traffic.started = time.monotonic()
    with ThreadPoolExecutor(max_workers=LEARNERS) as pool:
        futures = [
            pool.submit(
                learner_load,
                Client(base, sessions[user_id], traffic),
                attempts[user_id],
                cards,
                review_ids[user_id],
            )
            for user_id in sessions
        ]
        for future in futures:
            future.result()
    traffic.ended = time.monotonic()
    return review_ids


# ---------------------------------------------------------------- the checks


def stored(attempts: dict, review_ids: dict) -> dict:
    """What the database holds for this load: missing, duplicated, inconsistent rows."""
    expected_right = sum(1 for n in range(QUESTIONS) if n % 2 == 0)
    missing = duplicated = inconsistent = 0
    for attempt in Attempt.objects.filter(pk__in=[a.pk for a in attempts.values()]):
        per_question = dict(
            attempt.answers.values("question_id")
            .annotate(n=Count("id"))
            .values_list("question_id", "n")
        )
        missing += attempt.question_count - len(per_question)
        duplicated += sum(n - 1 for n in per_question.values())
        right = attempt.answers.filter(is_correct=True).count()
        if (
            attempt.status != "finished"
            or attempt.finished_at is None
            or attempt.correct_count != right
            or right != expected_right
        ):
            inconsistent += 1
    ids = [i for user_ids in review_ids.values() for i in user_ids]
    logged = ReviewLog.objects.filter(review_id__in=ids).count()
    missing += len(ids) - logged
    # A card's state must have taken every logged review: reps equals the log count.
    logs = {
        (row["user_id"], row["card_id"]): row["n"]
        for row in ReviewLog.objects.values("user_id", "card_id").annotate(n=Count("id"))
    }
    for user_id, card_id, reps in CardState.objects.values_list("user_id", "card_id", "reps"):
        if logs.pop((user_id, card_id), 0) != reps:
            inconsistent += 1
    inconsistent += len(logs)  # logs without a card state
    return {
        "answers": sum(a.question_count for a in attempts.values()),
        "reviews": len(ids),
        "missing": missing,
        "duplicated": duplicated,
        "inconsistent": inconsistent,
    }


def integrity() -> str:
    """SQLite's own check; on PostgreSQL, amcheck over the learner tables' heap
    and every B-tree index on them (each index entry must match a heap row)."""
    with connection.cursor() as cursor:
        if VENDOR == "sqlite":
            cursor.execute("PRAGMA integrity_check")
            return cursor.fetchone()[0]
        cursor.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
        tables = [
            "quizzes_attempt",
            "quizzes_answer",
            "flashcards_cardstate",
            "flashcards_reviewlog",
        ]
        problems = 0
        for table in tables:
            cursor.execute("SELECT count(*) FROM verify_heapam(%s::regclass)", [table])
            problems += cursor.fetchone()[0]
            cursor.execute(
                "SELECT bt_index_check(indexrelid, true) FROM pg_index "
                "WHERE indrelid = %s::regclass",
                [table],
            )
            cursor.fetchall()  # raises on a corrupt index
        return "ok" if problems == 0 else f"{problems} problems"


def locked_in_log(process) -> int:
    """Lock errors and crashes the workers logged (the 503 middleware logs each
    lock error with its cause: "database is locked", "lock timeout", ...)."""
    log = process.log_path.read_text(errors="replace")
    return log.count("Database busy") + log.count("Traceback")


def workers_of(process) -> list[int]:
    path = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    return [int(pid) for pid in path.read_text().split()]


# ---------------------------------------------------------------- the report


class Report:
    def __init__(self):
        self.rows: list[tuple[str, str, str, str, bool]] = []

    def check(self, scenario: str, figure: str, value, bar: str, ok: bool) -> None:
        self.rows.append((scenario, figure, str(value), bar, bool(ok)))
        mark = "ok " if ok else "MISSED"
        print(f"  [{mark}] {scenario}: {figure} = {value} (bar: {bar})", flush=True)

    def note(self, scenario: str, figure: str, value) -> None:
        self.rows.append((scenario, figure, str(value), "—", True))
        print(f"        {scenario}: {figure} = {value}", flush=True)

    @property
    def passed(self) -> bool:
        return all(ok for *_, ok in self.rows)

    def write(self, seconds: float) -> Path:
        import platform

        lines = [
            f"# Reliability report ({VENDOR})",
            "",
            f"`make reliability` on gunicorn with {WORKERS} sync workers, {LEARNERS} learners, "
            f"{QUESTIONS} answers and {CARDS} ratings each (every submission sent twice at once); "
            f"database lock timeout {TIMEOUT} s; {os.cpu_count()} cores, Python "
            f"{platform.python_version()}; loopback only; whole run {seconds:.0f} s.",
            "",
            "| scenario | figure | value | bar | met |",
            "|---|---|---:|---|:-:|",
        ]
        lines += [
            f"| {scenario} | {figure} | {value} | {bar} | {'✓' if ok else '✗'} |"
            for scenario, figure, value, bar, ok in self.rows
        ]
        lines += ["", f"**{'Every bar met.' if self.passed else 'Some bars missed.'}**"]
        out = ROOT / "bench" / f"reliability-{VENDOR}.md"
        out.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return out


def report_load(report: Report, name: str, traffic: Traffic, result: dict) -> None:
    report.note(name, "requests (incl. retries)", len(traffic.outcomes))
    report.note(name, "throughput", f"{traffic.rate:.0f} req/s")
    report.note(name, "p95 latency", f"{traffic.p95_ms:.0f} ms")
    report.note(name, "answers sent (each twice)", result["answers"])
    report.note(name, "ratings sent (each twice)", result["reviews"])
    report.check(name, "missing rows", result["missing"], "0", result["missing"] == 0)
    report.check(name, "duplicate rows", result["duplicated"], "0", result["duplicated"] == 0)
    report.check(
        name,
        "partial rows (counters ≠ answers, reps ≠ logs)",
        result["inconsistent"],
        "0",
        result["inconsistent"] == 0,
    )


# ---------------------------------------------------------------- the scenarios


def concurrent(report: Report, base: str, process, sessions: dict) -> None:
    name = "concurrent load"
    attempts = start_attempts(base, sessions)
    traffic = Traffic()
    review_ids = run_load(base, sessions, attempts, traffic)
    report_load(report, name, traffic, stored(attempts, review_ids))
    report.check(name, "5xx responses", traffic.server_errors, "0", traffic.server_errors == 0)
    report.check(name, "connections lost", traffic.lost, "0", traffic.lost == 0)
    locked = locked_in_log(process)
    report.check(name, "lock errors or tracebacks in the worker log", locked, "0", locked == 0)


def short_and_long_locks(report: Report, base: str, sessions: dict) -> None:
    attempts = start_attempts(base, sessions)
    clients = {u: Client(base, s, Traffic()) for u, s in sessions.items()}

    def send_all(position: int) -> list[Outcome]:
        with ThreadPoolExecutor(max_workers=LEARNERS) as pool:
            return list(
                pool.map(
                    lambda u: clients[u].post_once(
                        *answer_job(attempts[u], attempts[u].item_list[position]), HTMX_ANSWER
                    ),
                    sessions,
                )
            )

    name = "locked 2 s"
    with write_lock(database_url(), seconds=2):
        outcomes = send_all(0)
    ok = sum(1 for o in outcomes if o.status == 200)
    longest = max(o.seconds for o in outcomes)
    report.check(
        name, "answers that waited and succeeded", f"{ok}/{LEARNERS}", "all", ok == LEARNERS
    )
    report.check(
        name, "longest wait", f"{longest:.1f} s", f"≥ 1 s, < {TIMEOUT} s", 1 <= longest < TIMEOUT
    )
    stored_once = Answer.objects.filter(attempt__in=attempts.values(), position=0).count()
    report.check(name, "answers stored", stored_once, str(LEARNERS), stored_once == LEARNERS)

    # With 4 workers, the first 4 answers wait out the timeout and are refused;
    # the rest queue behind them and reach a worker after the lock has gone.
    name = f"locked {TIMEOUT + 3} s"
    with write_lock(database_url(), seconds=TIMEOUT + 3):
        outcomes = send_all(1)
    refused = {u for u, o in zip(sessions, outcomes, strict=True) if o.status == 503}
    served = sum(1 for o in outcomes if o.status == 200)
    report.check(
        name,
        "503 responses (one per busy worker at least)",
        len(refused),
        f"≥ {WORKERS}",
        len(refused) >= WORKERS,
    )
    report.note(name, "answers that reached a worker after the lock", served)
    report.check(
        name,
        "every answer refused or served",
        len(refused) + served,
        str(LEARNERS),
        len(refused) + served == LEARNERS,
    )
    bad = [
        o
        for o in outcomes
        if o.status == 503 and not (o.retry_after and "未保存\uff0c请重试" in o.body)
    ]
    report.check(name, '503s without Retry-After or "未保存\uff0c请重试"', len(bad), "0", not bad)
    wait = min((o.seconds for o in outcomes if o.status == 503), default=0)
    report.check(
        name,
        "time to the 503",
        f"{wait:.1f} s",
        f"≈ {TIMEOUT} s",
        TIMEOUT - 0.5 <= wait <= TIMEOUT + 1.5,
    )
    early = Answer.objects.filter(
        attempt__user__in=refused, attempt__in=attempts.values(), position=1
    ).count()
    report.check(name, "refused answers stored anyway", early, "0", early == 0)
    retried = send_all(1)  # everyone presses 提交 again; the served ones are replays
    ok = sum(1 for o in retried if o.status == 200)
    report.check(name, "retries that succeeded", f"{ok}/{LEARNERS}", "all", ok == LEARNERS)
    once = Answer.objects.filter(attempt__in=attempts.values(), position__in=[0, 1]).count()
    report.check(
        name,
        "answers stored (2 per learner, once each)",
        once,
        str(2 * LEARNERS),
        once == 2 * LEARNERS,
    )


def killed_workers(report: Report, base: str, process, sessions: dict) -> None:
    name = f"SIGKILL × {KILLS}"
    attempts = start_attempts(base, sessions)
    traffic = Traffic()
    killed: list[int] = []

    def killer():
        time.sleep(0.5)
        while len(killed) < KILLS:
            alive = [pid for pid in workers_of(process) if pid not in killed]
            if alive:
                os.kill(alive[0], signal.SIGKILL)
                killed.append(alive[0])
            time.sleep(0.5)

    thread = threading.Thread(target=killer)
    thread.start()
    review_ids = run_load(base, sessions, attempts, traffic)
    thread.join()
    report.check(
        name,
        "workers killed mid-load (distinct PIDs)",
        len(set(killed)),
        str(KILLS),
        len(set(killed)) == KILLS,
    )
    report.note(name, "requests cut off and retried", traffic.lost)
    report_load(report, name, traffic, stored(attempts, review_ids))
    check = integrity()
    what = "PRAGMA integrity_check" if VENDOR == "sqlite" else "amcheck (heap and indexes)"
    report.check(name, what, check, "ok", check == "ok")


def graceful_reload(report: Report, base: str, process, sessions: dict) -> None:
    name = "graceful reload (SIGHUP)"
    attempts = start_attempts(base, sessions)
    traffic = Traffic()
    before = set(workers_of(process))

    def reload():
        time.sleep(1.0)
        os.kill(process.pid, signal.SIGHUP)

    thread = threading.Thread(target=reload)
    thread.start()
    review_ids = run_load(base, sessions, attempts, traffic)
    thread.join()
    deadline = time.monotonic() + 10
    while set(workers_of(process)) & before and time.monotonic() < deadline:
        time.sleep(0.2)
    replaced = not (set(workers_of(process)) & before)
    report.check(name, "every worker replaced", replaced, "True", replaced)
    report_load(report, name, traffic, stored(attempts, review_ids))
    report.check(
        name,
        "requests dropped (lost or 5xx)",
        traffic.lost + traffic.server_errors,
        "0",
        traffic.lost + traffic.server_errors == 0,
    )
    report.check(name, "retries needed", traffic.retries, "0", traffic.retries == 0)


def negative_control(report: Report, sessions: dict) -> None:
    name = "negative control (DEFERRED)"
    env = {"DJANGO_SETTINGS_MODULE": "harness.deferred_settings"}
    with gunicorn(workers=WORKERS, extra_env=env) as (base, process):
        attempts = start_attempts(base, sessions)
        traffic = Traffic()
        run_load(base, sessions, attempts, traffic)
        locked = process.log_path.read_text(errors="replace").count("database is locked")
    report.check(
        name,
        "5xx responses the harness saw",
        traffic.server_errors,
        "> 0 (it can see them)",
        traffic.server_errors > 0,
    )
    report.check(name, '"database is locked" errors in the worker log', locked, "> 0", locked > 0)


def main() -> None:
    began = time.monotonic()
    print(f"reliability on {VENDOR}: building…", flush=True)
    users = build()
    sessions = {user.pk: session_for(user) for user in users}
    report = Report()
    with gunicorn(workers=WORKERS) as (base, process):
        concurrent(report, base, process, sessions)
        short_and_long_locks(report, base, sessions)
        killed_workers(report, base, process, sessions)
        graceful_reload(report, base, process, sessions)
    if VENDOR == "sqlite":
        negative_control(report, sessions)
    out = report.write(time.monotonic() - began)
    print(f"wrote {out.relative_to(ROOT)} in {time.monotonic() - began:.0f} s")
    sys.exit(0 if report.passed else 1)


if __name__ == "__main__":
    main()
