"""A real worker killed with SIGKILL in the middle of a planner run: after the leases sweep and
a restarted worker, the run completes exactly once (one result, status done)."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from chapterhouse.context import context_for
from chapterhouse.planner import services
from tests.conftest import make_organizer

pytestmark = pytest.mark.django_db(transaction=True)
CHAPTERHOUSE = str(Path(sys.executable).with_name("chapterhouse"))
LEASE_SECONDS = 2


@pytest.fixture
def shared_database(transactional_db, tmp_path):
    """The test database, where subprocesses can reach it: PostgreSQL's test database as is;
    SQLite's in-memory one copied to a file (call `share()` after writing the fixtures)."""
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        url = (f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
               f"{db['PORT'] or 5432}/{db['NAME']}")

        def query(sql, params=()):
            with connection.cursor() as cursor:
                cursor.execute(sql.replace("?", "%s"), params)
                return cursor.fetchall()

        return url, (lambda: None), query
    path = tmp_path / "shared.sqlite3"

    def share():
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()

    def query(sql, params=()):
        with sqlite3.connect(path, timeout=10) as db:
            return db.execute(sql, params).fetchall()

    return f"sqlite:///{path}", share, query


def run_state(query, run_id):
    [row] = query("SELECT status, attempts, result IS NOT NULL FROM planner_planrun "
                  "WHERE id = ?", (run_id,))
    return row


def wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"waited {seconds}s for {what}")


def test_a_run_whose_worker_is_killed_completes_once_after_a_restart(
        shared_database, organization, olivia, tmp_path, monkeypatch):
    url, share, query = shared_database
    monkeypatch.setattr(services, "INLINE_LIMIT", -1)  # the run goes to the worker
    make_organizer(olivia)
    run = services.plan_run_request(context_for(olivia), radius_km=25, min_size=5)
    share()
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "worker-kill-test",
           "SITE_URL": "http://testserver", "CHAPTERHOUSE_VAR_DIR": str(tmp_path),
           "PLANNER_LEASE_SECONDS": str(LEASE_SECONDS),
           "CHAPTERHOUSE_PLANNER_SLOW_SECONDS": "8"}  # time to kill it mid-run
    worker_command = [CHAPTERHOUSE, "db_worker", "--no-reload", "--no-startup-delay",
                      "--interval", "0.2", "-v", "0"]

    worker = subprocess.Popen(  # noqa: S603 - our own console script, fixed arguments
        worker_command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: run_state(query, run.pk)[0] == "running", 60, "the worker to start")
        time.sleep(1.5)  # mid-run: it has heartbeaten at least once
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert run_state(query, run.pk) == ("running", 1, 0)  # as the killed worker left it

    time.sleep(LEASE_SECONDS + 0.5)  # the lease runs out
    sweep = subprocess.run(  # noqa: S603 - our own console script, fixed arguments
        [CHAPTERHOUSE, "sweep_leases"], env=env, capture_output=True, text=True, timeout=120,
        check=True)
    assert sweep.stdout.startswith("1 plan run(s) queued again"), sweep.stderr
    restarted = {**env, "CHAPTERHOUSE_PLANNER_SLOW_SECONDS": "0"}  # no one kills this one
    subprocess.run([*worker_command, "--batch"], env=restarted,  # noqa: S603 - as above
                   capture_output=True, timeout=180, check=True)

    assert run_state(query, run.pk) == ("done", 2, 1)
    assert query("SELECT COUNT(*) FROM planner_planrun") == [(1,)]
    outcomes = sorted(query("SELECT status, return_value FROM django_tasks_database_dbtaskresult"
                            " WHERE task_path LIKE ?", ("%.plan_run_work",)))
    # The killed attempt's task row stays RUNNING (django-tasks-db cannot know it died); the
    # run itself was finished once, by the second attempt.
    assert [status for status, _ in outcomes] == ["RUNNING", "SUCCESSFUL"]
    assert outcomes[1][1] in ('"done"', "done")  # JSON text (SQLite) or decoded (psycopg)
