"""The pages at the size Chapterhouse must serve, under gunicorn (issue 12, item 4).

    .venv/bin/python bench/pages_at_scale.py [--members 1000000 --chapters 10000]
        [--database-url postgres://postgres@127.0.0.1:5432/ch_scale_1000000] [--requests 30]

Builds the organization with `seed_demo --members N --chapters K` into a PostgreSQL database
(default `ch_scale_<members>` on 127.0.0.1, created if missing, reused when it already has that
many members and chapters: the million takes minutes), starts gunicorn with
deploy/gunicorn.conf.py (2 workers, DEBUG off, production settings from the environment but
plain HTTP on a free local port), and for each page makes 2 warm-up requests then `--requests`
sequential ones: p50 and p95 in ms, the HTML size, and the RSS of each worker after the run,
against the goals (p95 < 200 ms, RSS < 300 MB). A page whose first warm-up took longer than
`--slow` seconds is timed on 2 more requests only (the run stays bounded; its figure is far
above the goal anyway) and its queries are not counted. Then the number of SQL queries of
each page, from the same views run in this process with Django's test client
(CaptureQueriesContext).

Logged-in pages use sessions made here for the demo's personas: the NYC coordinator (a member)
for chapters near you, the demo admin past the second factor (staff) for the planner and the
admin. `make bench` runs it at 100,000 members / 1,000 chapters; the issue's size is
`--members 1000000 --chapters 10000` (about 10 minutes to build, then a few to measure).
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent

GOAL_P95_MS = 200
GOAL_RSS_MB = 300
WARMUPS = 2


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    who: str  # "visitor", "member" or "staff"


@dataclass
class Timing:
    page: Page
    statuses: set[int]
    p50: float
    p95: float
    size: int
    requests: int
    queries: int | None = None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env(database_url: str, secret: str) -> dict[str, str]:
    """Production settings (deploy/env.example) but for plain HTTP on 127.0.0.1."""
    return {
        **os.environ,
        "DATABASE_URL": database_url, "DEBUG": "0", "SECRET_KEY": secret,
        "ALLOWED_HOSTS": "127.0.0.1,localhost", "SITE_URL": "http://127.0.0.1",
        "CONN_MAX_AGE": "60", "LOG_LEVEL": "WARNING", "GUNICORN_LOG_LEVEL": "warning",
        "SECURE_SSL_REDIRECT": "0", "SECURE_COOKIES": "0", "SECURE_HSTS_SECONDS": "0",
        "DJANGO_SETTINGS_MODULE": "chapterhouse.settings",
    }


def ensure_database(url: str, members: int, chapters: int, env: dict[str, str]) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(url) as conn:
        try:
            shape = conn.execute("SELECT (SELECT count(*) FROM members_member), "
                                 "(SELECT count(*) FROM chapters_chapter)").fetchone()
        except psycopg.errors.UndefinedTable:
            shape = None
    if shape == (members, chapters):
        print(f"Reusing {name}: {members:,} members, {chapters:,} chapters.")
        subprocess.run([BIN / "chapterhouse", "migrate", "--no-input", "-v", "0"],  # noqa: S603
                       env=env, check=True)
        return
    print(f"Building {name}: {members:,} members, {chapters:,} chapters "
          f"(found {shape or 'no tables'})...", flush=True)
    started = time.monotonic()
    subprocess.run([BIN / "chapterhouse", "migrate", "--no-input", "-v", "0"],  # noqa: S603
                   env=env, check=True)
    subprocess.run([BIN / "chapterhouse", "seed_demo", "--members", str(members),  # noqa: S603
                    "--chapters", str(chapters)], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    print(f"  built in {time.monotonic() - started:.0f} s", flush=True)


def pages_and_sessions() -> tuple[list[Page], dict[str, str]]:
    """The pages to time, and a session cookie for each kind of viewer (made in this process,
    with the same SECRET_KEY as the server)."""
    from django.conf import settings
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from chapterhouse.chapters.models import Chapter
    from chapterhouse.decisions.models import Poll
    from chapterhouse.demo.seeding import ADMIN_EMAIL, COORDINATOR_EMAIL
    from chapterhouse.members.models import Member
    from tests.conftest import verify_second_factor

    # The largest chapter (most memberships): the heaviest chapter page.
    chapter = Chapter.objects.annotate(n=Count("memberships")).order_by("-n", "pk").first()
    poll = Poll.objects.order_by("-pk").first()
    if chapter is None or poll is None:
        raise SystemExit("The organization has no chapter or no poll: is it seeded?")
    pages = [
        Page("dashboard", reverse("dashboard"), "visitor"),
        Page("chapters near you", reverse("chapter_list"), "member"),
        Page(f"chapter page ({chapter.name})", reverse("chapter_detail", args=[chapter.slug]),
             "member"),
        Page("decisions list", reverse("polls"), "member"),
        Page("poll page", reverse("poll_detail", args=[poll.pk]), "member"),
        Page("planner page", reverse("planner"), "staff"),
        Page("admin: members", "/admin/members/member/", "staff"),
        Page("admin: chapters", "/admin/chapters/chapter/", "staff"),
        Page("admin: meetings", "/admin/meetings/meeting/", "staff"),
        Page("admin: attendance", "/admin/meetings/attendance/", "staff"),
    ]
    sessions = {"visitor": ""}
    member = Client()
    member.force_login(Member.objects.get(email=COORDINATOR_EMAIL))
    sessions["member"] = member.cookies[settings.SESSION_COOKIE_NAME].value
    staff = Client()
    admin = Member.objects.get(email=ADMIN_EMAIL)
    staff.force_login(admin)
    verify_second_factor(staff, admin)
    sessions["staff"] = staff.cookies[settings.SESSION_COOKIE_NAME].value
    return pages, sessions


def fetch(base: str, page: Page, cookie: str, cookie_name: str,
          timeout: float) -> tuple[int, int, float]:
    request = urllib.request.Request(base + page.url)  # noqa: S310 - http://127.0.0.1 only
    if cookie:
        request.add_header("Cookie", f"{cookie_name}={cookie}")
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        body, status = error.read(), error.code
    except TimeoutError:
        body, status = b"", 0
    return status, len(body), (time.perf_counter() - started) * 1000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def time_page(base: str, page: Page, cookie: str, cookie_name: str, requests: int,
              slow: float, timeout: float) -> Timing:
    first = fetch(base, page, cookie, cookie_name, timeout)
    if first[2] > slow * 1000:  # far over the goal: two more are enough to say how far
        count = 2
    else:
        fetch(base, page, cookie, cookie_name, timeout)
        count = requests
    runs = [fetch(base, page, cookie, cookie_name, timeout) for _ in range(count)]
    times = [ms for _s, _b, ms in runs]
    return Timing(page, {s for s, _b, _ms in runs}, statistics.median(times),
                  percentile(times, 0.95), max(b for _s, b, _ms in runs), count)


def workers_rss_mb(master: int) -> list[float]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    result = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                result.append(int(line.split()[1]) / 1024)
    return result


def count_queries(pages: list[Page], sessions: dict[str, str]) -> dict[str, int]:
    """The queries of each page, run through the same views in this process (the slow pages
    left out by the caller)."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    result = {}
    for page in pages:
        client = Client(HTTP_HOST="127.0.0.1")
        if sessions[page.who]:
            client.cookies[settings.SESSION_COOKIE_NAME] = sessions[page.who]
        client.get(page.url)  # warm: content types, the organization's settings
        with CaptureQueriesContext(connection) as queries:
            client.get(page.url)
        result[page.name] = len(queries)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--chapters", type=int, default=10_000)
    parser.add_argument("--database-url", default=None,
                        help="default postgres://postgres@127.0.0.1:5432/ch_scale_<members>")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--slow", type=float, default=5.0,
                        help="a page whose warm-up takes longer (s) is timed on 3 requests")
    parser.add_argument("--timeout", type=int, default=180,
                        help="gunicorn's worker timeout and the client's (s)")
    parser.add_argument("--pages", default="",
                        help="only the pages whose name contains this (e.g. admin)")
    parser.add_argument("--no-queries", action="store_true",
                        help="skip counting each page's SQL queries")
    args = parser.parse_args()
    url = args.database_url or f"postgres://postgres@127.0.0.1:5432/ch_scale_{args.members}"
    secret = secrets.token_urlsafe(50)
    env = server_env(url, secret)
    ensure_database(url, args.members, args.chapters, env)

    os.environ.update({k: v for k, v in env.items() if k not in os.environ or k in (
        "DATABASE_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "LOG_LEVEL",
        "SECURE_SSL_REDIRECT", "SECURE_COOKIES", "SECURE_HSTS_SECONDS")})
    import django

    django.setup()
    from django.conf import settings

    pages, sessions = pages_and_sessions()
    pages = [page for page in pages if args.pages in page.name]
    port = free_port()
    log = Path(tempfile.gettempdir()) / f"pages_at_scale_{port}.log"
    print(f"gunicorn's log: {log}")
    server = subprocess.Popen(  # noqa: S603
        [BIN / "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
         "chapterhouse.wsgi:application"],
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2",
             "GUNICORN_TIMEOUT": str(args.timeout)}, cwd=ROOT,
        stderr=log.open("w"), stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        print(f"\nPages at {args.members:,} members / {args.chapters:,} chapters, gunicorn "
              f"2 workers, {WARMUPS} warm-ups + {args.requests} sequential requests "
              f"(goal: p95 < {GOAL_P95_MS} ms)")
        print(f"{'page':40} {'viewer':8} {'status':8} {'n':>3} {'p50 ms':>9} {'p95 ms':>9} "
              f"{'HTML KB':>9}  goal")
        timings = []
        for page in pages:
            timing = time_page(base, page, sessions[page.who], settings.SESSION_COOKIE_NAME,
                               args.requests, args.slow, args.timeout)
            timings.append(timing)
            verdict = "ok" if timing.p95 < GOAL_P95_MS and timing.statuses == {200} else "OVER"
            statuses = ",".join(map(str, sorted(timing.statuses)))
            print(f"{page.name[:40]:40} {page.who:8} {statuses:8} "
                  f"{timing.requests:3} {timing.p50:9.0f} {timing.p95:9.0f} "
                  f"{timing.size / 1024:9.0f}  {verdict}", flush=True)
        rss = workers_rss_mb(server.pid)
        print(f"worker RSS after the run: {', '.join(f'{r:.0f} MB' for r in rss)} "
              f"(goal < {GOAL_RSS_MB} MB): "
              f"{'ok' if rss and max(rss) < GOAL_RSS_MB else 'OVER'}")
    finally:
        server.terminate()
        server.wait(timeout=60)
    if not args.no_queries:
        print("\nSQL queries per page (same views, Django's test client, this process):")
        quick = [t.page for t in timings if t.requests > 2]
        for name, count in count_queries(quick, sessions).items():
            print(f"  {name[:40]:40} {count:5}")
        for timing in timings:
            if timing.requests <= 2:
                print(f"  {timing.page.name[:40]:40} (not counted: over --slow)")


if __name__ == "__main__":
    main()
