"""A worker killed with SIGKILL while it sends an email: its claim expires, the next delivery
takes the message again, and the email arrives exactly once. The real `chapterhouse db_worker`
runs in a subprocess, on its own SQLite file, with an email backend that writes one file per
message sent after a pause long enough to kill the worker in."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-m", "chapterhouse.cli"]


def chapterhouse(*args: str, env: dict) -> None:
    subprocess.run([*CLI, *args], env=env, check=True, timeout=600, cwd=ROOT)  # noqa: S603 - our own CLI, fixed arguments


def state_of(database: Path) -> str | None:
    with sqlite3.connect(database, timeout=30) as connection:
        row = connection.execute("SELECT state FROM outbox_outboxmessage").fetchone()
    return row[0] if row else None


@pytest.fixture
def site(tmp_path) -> dict:
    mails = tmp_path / "mails"
    mails.mkdir()
    environ = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
               "CHAPTERHOUSE_VAR_DIR": str(tmp_path), "PYTHONPATH": str(ROOT),
               "EMAIL_BACKEND": "tests.outbox.backends.SlowFileBackend",
               "OUTBOX_TEST_DIR": str(mails), "OUTBOX_LEASE_SECONDS": "3", "DEBUG": "1"}
    chapterhouse("migrate", "--no-input", "-v", "0", env=environ)
    return {"env": environ, "db": tmp_path / "db.sqlite3", "mails": mails}


def test_a_worker_killed_mid_send_leaves_the_email_to_be_sent_exactly_once(site):
    # Queued as a request would (autocommit: the delivery task is enqueued at once).
    chapterhouse("shell", "-c", "from chapterhouse.outbox.services import message_queue; "
                 "message_queue(to='ana@example.org', subject='Welcome Ana', body='Hi')",
                 env=site["env"])
    worker = subprocess.Popen(  # noqa: S603 - our own CLI, fixed arguments
        [*CLI, "db_worker", "--no-startup-delay", "--no-reload", "--interval", "0.2"],
        env={**site["env"], "OUTBOX_TEST_SLOW": "120"}, cwd=ROOT, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 240
        while state_of(site["db"]) != "claimed":
            assert worker.poll() is None, "the worker stopped on its own"
            assert time.monotonic() < deadline, "the worker never claimed the message"
            time.sleep(0.2)
        time.sleep(0.5)  # inside the slow send
    finally:
        os.killpg(worker.pid, signal.SIGKILL)  # the worker and any child it started
        worker.wait(timeout=30)
    assert worker.returncode == -signal.SIGKILL
    assert list(site["mails"].iterdir()) == []  # killed before the server had it
    assert state_of(site["db"]) == "claimed"

    time.sleep(3.5)  # the lease (3 s) runs out
    for _ in range(2):  # a second delivery finds nothing left to send
        chapterhouse("deliver_outbox", env=site["env"])
    [sent] = list(site["mails"].iterdir())
    assert sent.name.startswith("Welcome Ana")
    assert "ana@example.org" in sent.read_text()
    assert state_of(site["db"]) == "sent"
