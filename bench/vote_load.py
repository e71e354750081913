"""Load check: 300 voters vote in the last minute before a poll closes, through real HTTP.

    .venv/bin/python bench/vote_load.py [--voters 300] [--spawn-seconds 50]
                                        [--database-url postgres://...]

Against PostgreSQL (its own database, `chapterhouse_bench` by default, created and migrated
here), on loopback only. The script starts the site itself in a bounded thread-pool WSGI server
(2 processes x 16 threads sharing the port, a 1,024-connection backlog, persistent database
connections, warmed by one request), logs every voter in by a prepared session, and lets
locust (in its own process, vote_locust.py) start the voters over 50 s, in batches of
floor(voters / seconds) a second, against a poll that closes 60 s after the start. Each voter
opens the poll page and posts a secret ballot. Then the `close_polls` job freezes the result,
and the figures are printed.
Passes (exit 0) with 0 errors, 0 lost ballots (recorded = participations = frozen result =
voters) and p95 < 1 s.
Bounded: at most about two minutes. Not a unit test; `make bench` runs it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/chapterhouse_bench"
SPAWN_SECONDS = 50
CLOSES_AFTER = 60
THREADS = 16  # per server process
PROCESSES = 2  # server processes sharing the port (SO_REUSEPORT): the GIL is per process


def django_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ, DATABASE_URL=database_url, CONN_MAX_AGE="60", DEBUG="0",
               ALLOWED_HOSTS="127.0.0.1",
               EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
               DJANGO_SETTINGS_MODULE="chapterhouse.settings")
    env["PYTHONPATH"] = str(ROOT)
    return env


def _django():
    import django

    django.setup()


def setup(voters: int) -> None:
    """(child) Members, a poll closing in CLOSES_AFTER seconds, and a session per voter."""
    _django()
    import datetime

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from chapterhouse.decisions.models import Kind, Level, Option, Poll
    from chapterhouse.members.models import Member
    from chapterhouse.organizations.models import Organization

    Poll.objects.filter(title__startswith="Load check").delete()
    Member.objects.filter(email__endswith="@bench.example.org").delete()
    Session.objects.all().delete()
    organization = Organization.objects.current()
    password = make_password(None)
    members = Member.objects.bulk_create(
        Member(email=f"voter{i}@bench.example.org", display_name=f"Voter {i}",
               joined_on=datetime.date(2012, 3, 1), password=password)
        for i in range(voters))
    now = timezone.now()
    poll = Poll.objects.create(
        organization=organization, title="Load check", kind=Kind.SINGLE,
        level=Level.ORGANIZATION, secret=True, opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(seconds=CLOSES_AFTER), opening_sent_at=now,
        reminder_sent_at=now)
    options = Option.objects.bulk_create(Option(poll=poll, label=label, position=i)
                                         for i, label in enumerate(["Yes", "No", "Later"]))
    sessions = []
    backend = settings.AUTHENTICATION_BACKENDS[-1]
    for member in members:
        store = SessionStore()
        store[SESSION_KEY] = str(member.pk)
        store[BACKEND_SESSION_KEY] = backend
        store[HASH_SESSION_KEY] = member.get_session_auth_hash()
        store.create()
        sessions.append(store.session_key)
    print(json.dumps({"poll": poll.pk, "options": [o.pk for o in options],
                      "sessions": sessions, "closes_at": poll.closes_at.timestamp()}))


def verify(poll_id: int) -> None:
    """(child) What the database holds after the close."""
    _django()
    from chapterhouse.decisions.models import Ballot, Participation, Poll

    poll = Poll.objects.get(pk=poll_id)
    print(json.dumps({
        "ballots": Ballot.objects.filter(poll=poll).count(),
        "participations": Participation.objects.filter(poll=poll).count(),
        "closed": poll.closed_at is not None,
        "frozen_ballots": (poll.result or {}).get("ballots"),
        "tallies": (poll.result or {}).get("count", {}).get("rounds", [{}])[0].get("tallies"),
    }))


def serve(port: int) -> None:
    """(child) The site in a WSGI server with a bounded pool of worker threads."""
    _django()
    import socket
    from concurrent.futures import ThreadPoolExecutor
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

    from django.core.wsgi import get_wsgi_application

    class PooledServer(WSGIServer):
        request_queue_size = 1024
        pool = ThreadPoolExecutor(max_workers=THREADS)

        def server_bind(self):
            self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            super().server_bind()

        def process_request(self, request, client_address):
            self.pool.submit(self._handle, request, client_address)

        def _handle(self, request, client_address):
            try:
                self.finish_request(request, client_address)
            except Exception:
                self.handle_error(request, client_address)
            finally:
                self.shutdown_request(request)

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    application = get_wsgi_application()
    # A deployed site has served pages before the last minute of a vote: load the URLs,
    # templates and catalogues now rather than in the first voter's request.
    from django.test import Client

    Client(HTTP_HOST="127.0.0.1").get("/login/")
    server = PooledServer(("127.0.0.1", port), QuietHandler)
    server.set_app(application)
    server.serve_forever()


def run_load(site: str, prepared: dict, spawn_seconds: float) -> dict:
    """locust in a process of its own (see vote_locust.py); its figures."""
    with tempfile.NamedTemporaryFile("w", suffix=".json") as handle:
        json.dump(prepared, handle)
        handle.flush()
        out = _run([PYTHON, str(ROOT / "bench" / "vote_locust.py"), site, handle.name,
                    str(spawn_seconds), str(CLOSES_AFTER + 30)],
                   capture_output=True, text=True, timeout=CLOSES_AFTER + 90)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Only this interpreter, running Django or this script, with fixed arguments."""
    return subprocess.run(args, check=True, cwd=ROOT, **kwargs)  # noqa: S603


def ensure_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True, connect_timeout=5) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--voters", type=int, default=300)
    parser.add_argument("--spawn-seconds", type=float, default=SPAWN_SECONDS,
                        help=f"the voters arrive over this many seconds (<= {CLOSES_AFTER - 5})")
    parser.add_argument("--database-url", default=DEFAULT_DB)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--role", choices=["main", "setup", "serve", "verify"], default="main",
                        help=argparse.SUPPRESS)
    parser.add_argument("--poll", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.role == "setup":
        setup(args.voters)
        return 0
    if args.role == "serve":
        serve(args.port)
        return 0
    if args.role == "verify":
        verify(args.poll)
        return 0
    if not 0 < args.spawn_seconds <= CLOSES_AFTER - 5:
        parser.error(f"--spawn-seconds must be between 0 and {CLOSES_AFTER - 5}")
    if not args.database_url.startswith("postgres"):
        parser.error("the load check runs against PostgreSQL")
    env = django_env(args.database_url)
    me = [PYTHON, __file__, "--database-url", args.database_url]
    ensure_database(args.database_url)
    _run([PYTHON, "-m", "django", "migrate", "-v", "0", "--no-input"], env=env, timeout=300)
    prepared = json.loads(_run([*me, "--role", "setup", "--voters", str(args.voters)], env=env,
                               capture_output=True, text=True, timeout=120).stdout)
    servers = [subprocess.Popen([*me, "--role", "serve", "--port", str(args.port)],  # noqa: S603
                                env=env, cwd=ROOT) for _ in range(PROCESSES)]
    site = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(site + "/login/", timeout=2)  # noqa: S310 (loopback)
                break
            except OSError:
                time.sleep(0.2)
        figures = run_load(site, prepared, args.spawn_seconds)
        time.sleep(max(0.0, prepared["closes_at"] - time.time()) + 0.5)
        _run([PYTHON, "-m", "django", "close_polls"], env=env, timeout=60, capture_output=True)
        stored = json.loads(_run([*me, "--role", "verify", "--poll", str(prepared["poll"])],
                                 env=env, capture_output=True, text=True, timeout=60).stdout)
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)
    lost = args.voters - min(stored["ballots"], stored["participations"],
                             stored["frozen_ballots"] or 0, figures["votes_ok"])
    print(f"Load check: {args.voters} voters arriving over {args.spawn_seconds:g} s in the "
          f"last {CLOSES_AFTER} s before close, "
          f"PostgreSQL, HTTP on loopback ({PROCESSES} server processes x {THREADS} threads)")
    for key, value in {**figures, **stored, "lost_ballots": lost}.items():
        print(f"  {key:<16} {value}")
    ok = figures["errors"] == 0 and lost == 0 and figures["p95_ms"] < 1000 and stored["closed"]
    print("PASS" if ok else "FAIL", "(0 errors, 0 lost ballots, p95 < 1000 ms)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
