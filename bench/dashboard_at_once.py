"""Twenty visitors open the dashboard at the same moment, under gunicorn on PostgreSQL (issue 12).

    .venv/bin/python bench/dashboard_at_once.py [--members 20000 --chapters 200]
        [--database-url postgres://postgres@127.0.0.1:5432/ch_at_once_<members>] [--people 20]

Builds (or reuses) the organization with `seed_demo --members N --chapters K` in a PostgreSQL
database (bench/pages_at_scale.py's `ensure_database`), starts gunicorn with
deploy/gunicorn.conf.py (2 workers, DEBUG off), and sends `--people` anonymous GETs of the
dashboard released together by a barrier, three times:
1. cold: no figures in the cache (their rows deleted): one request computes them, the others
   wait for its result (goals/snapshot.py);
2. stale: after a write (the figures' version replaced): the last figures are served at once,
   marked "being updated", and one recomputation is queued, however many requests;
3. current: after the queued task ran (the database worker, in this process).
Prints per round the statuses, whether the pages were identical (less their CSRF tokens), the
recomputation tasks queued, and the latencies (p50, p95, slowest), against the goals: every
answer 200 and the same page, at most one task queued per round, the slowest of the warm
rounds under 5 s (twenty pages queued on two workers; one page alone is timed too, for
comparison). Exit 1 when a goal is missed. The assertions without the timing are the
test tests/concurrency/test_dashboard_at_once.py (SQLite and PostgreSQL runs of the suite).
Skipped (exit 0) when PostgreSQL is not reachable.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from pages_at_scale import BIN, ensure_database, free_port, server_env  # noqa: E402

TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')
GOAL_SLOWEST_S = 5.0  # no request waits for a recomputation: 20 pages queued on 2 workers


def at_once(url: str, people: int, timeout: float) -> list[tuple[int, bytes, float]]:
    """`people` GETs of `url` released together: (status, page less CSRF tokens, seconds)."""
    barrier = threading.Barrier(people)
    got: list[tuple[int, bytes, float]] = []
    lock = threading.Lock()

    def visit() -> None:
        barrier.wait()
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310
                status, body = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, body = error.code, error.read()
        except OSError as error:
            status, body = 0, repr(error).encode()
        taken = time.perf_counter() - started
        with lock:
            got.append((status, TOKEN.sub(b"", body), taken))

    threads = [threading.Thread(target=visit) for _ in range(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return got


def refresh_tasks() -> int:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path__endswith=".measurement_refresh_work").count()


def report(name: str, got: list[tuple[int, bytes, float]], tasks: int, *, warm: bool) -> bool:
    statuses = sorted({status for status, _, _ in got})
    pages = len({page for _, page, _ in got})
    times = sorted(t for _, _, t in got)
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    ok = statuses == [200] and pages == 1 and tasks <= 1 and (
        not warm or times[-1] < GOAL_SLOWEST_S)
    print(f"{name:8} {','.join(map(str, statuses)):8} {pages:6} {tasks:6} "
          f"{1000 * statistics.median(times):8.0f} {1000 * p95:8.0f} {1000 * times[-1]:8.0f}"
          f"  {'ok' if ok else 'MISSED'}", flush=True)
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--chapters", type=int, default=200)
    parser.add_argument("--database-url", default=None,
                        help="default postgres://postgres@127.0.0.1:5432/ch_at_once_<members>")
    parser.add_argument("--people", type=int, default=20)
    parser.add_argument("--timeout", type=int, default=60, help="the client's and gunicorn's (s)")
    args = parser.parse_args()
    url = args.database_url or f"postgres://postgres@127.0.0.1:5432/ch_at_once_{args.members}"
    try:
        import psycopg

        psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", connect_timeout=5).close()
    except Exception as error:  # any reason: say it and skip
        print(f"dashboard at once: skipped, PostgreSQL not reachable at {url} ({error})")
        return 0
    env = server_env(url, secrets.token_urlsafe(50))
    ensure_database(url, args.members, args.chapters, env)
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "DEBUG", "SECRET_KEY",
                                           "ALLOWED_HOSTS", "SITE_URL", "LOG_LEVEL",
                                           "DJANGO_SETTINGS_MODULE")})
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    import io

    from django.core.management import call_command
    from django.db import connection
    from django.urls import reverse

    from chapterhouse.organizations.figures import figures_changed

    with connection.cursor() as cursor:  # round 1 starts from no figures at all
        cursor.execute("DELETE FROM chapterhouse_cache WHERE cache_key LIKE %s", ["%figures%"])
    port = free_port()
    log = Path(tempfile.gettempdir()) / f"dashboard_at_once_{port}.log"
    server = subprocess.Popen(  # noqa: S603
        [BIN / "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
         "chapterhouse.wsgi:application"],
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2",
             "GUNICORN_TIMEOUT": str(args.timeout)}, cwd=ROOT,
        stderr=log.open("w"), stdout=subprocess.DEVNULL)
    page = f"http://127.0.0.1:{port}{reverse('dashboard')}"
    ok = True
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        print(f"\nDashboard, {args.people} visitors at once, {args.members:,} members / "
              f"{args.chapters:,} chapters, gunicorn 2 workers, PostgreSQL "
              f"(load {os.getloadavg()[0]:.1f}; gunicorn's log: {log})")
        print(f"{'round':8} {'status':8} {'pages':>6} {'tasks':>6} {'p50 ms':>8} {'p95 ms':>8} "
              f"{'max ms':>8}  goal")
        tasks = refresh_tasks()
        cold = at_once(page, args.people, args.timeout)
        ok &= report("cold", cold, refresh_tasks() - tasks, warm=False)
        alone = sorted(at_once(page, 1, args.timeout)[0][2] for _ in range(5))
        print(f"{'alone':8} {'':8} {'':>6} {'':>6} {1000 * alone[2]:8.0f} {'':>8} "
              f"{1000 * alone[-1]:8.0f}  (one request at a time, 5 of them)")
        figures_changed()  # as a write does: the figures are out of date
        tasks = refresh_tasks()
        stale = at_once(page, args.people, args.timeout)
        ok &= report("stale", stale, refresh_tasks() - tasks, warm=True)
        ok &= b"being updated" in stale[0][1]
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "-v", "0",
                     stdout=io.StringIO())
        tasks = refresh_tasks()
        current = at_once(page, args.people, args.timeout)
        ok &= report("current", current, refresh_tasks() - tasks, warm=True)
        ok &= b"being updated" not in current[0][1]
    finally:
        server.terminate()
        server.wait(timeout=60)
    print(f"goals (every answer 200 and the same page, at most one task a round, slowest warm "
          f"request < {GOAL_SLOWEST_S:.0f} s): {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
