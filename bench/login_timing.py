"""Failed logins take the same time whatever the account's state (issue 9, attack 6).

    .venv/bin/python bench/login_timing.py [--attempts 20]

Makes a throw-away SQLite database in a temporary directory, migrates it, makes a confirmed,
an unconfirmed and an inactive account (argon2, the site's settings), and posts a wrong
password to /login/ `--attempts` times for each of them and for an unknown email (each attempt
from its own network, so that no rate limit cuts it short), then a right password for the
unconfirmed account. Prints the median and spread of each case, and passes (exit 0) when every
median is within 25 % of the unknown email's. Not a unit test: `make bench` runs it; the unit
tests assert the cause instead (the hasher runs once per attempt, in
tests/members/test_login_and_reset.py).
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as var:
        os.environ.pop("DATABASE_URL", None)
        os.environ.pop("REDIS_URL", None)
        os.environ["CHAPTERHOUSE_VAR_DIR"] = var
        os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chapterhouse.settings")
        import django

        django.setup()
        logging.disable(logging.WARNING)  # axes logs every failure
        from django.core.management import call_command
        from django.test import Client

        from chapterhouse.members.models import Member

        call_command("migrate", verbosity=0)
        password = "correct horse battery staple"  # noqa: S105
        for email, fields in (("confirmed@example.org", {}),
                              ("unconfirmed@example.org", {"email_confirmed": False}),
                              ("inactive@example.org", {"is_active": False})):
            Member.objects.create_user(email, password, display_name=email, **fields)
        cases = [("confirmed, wrong password", "confirmed@example.org", "wrong"),
                 ("unconfirmed, wrong password", "unconfirmed@example.org", "wrong"),
                 ("unconfirmed, right password", "unconfirmed@example.org", password),
                 ("inactive, wrong password", "inactive@example.org", "wrong"),
                 ("inactive, right password", "inactive@example.org", password),
                 ("unknown email", "nobody@example.org", "wrong")]
        client = Client()
        client.post("/login/", {"username": "warm@example.org", "password": "x"},
                    REMOTE_ADDR="192.0.2.1")
        times: dict[str, list[float]] = {name: [] for name, _email, _typed in cases}
        for attempt in range(args.attempts):  # the cases in turn, so load hits each alike
            for index, (name, email, typed) in enumerate(cases):
                started = time.perf_counter()
                response = client.post("/login/", {"username": email, "password": typed},
                                       REMOTE_ADDR=f"10.{index}.{attempt}.1")
                times[name].append(time.perf_counter() - started)
                assert response.status_code == 200, (name, response.status_code)
        medians = {}
        for name, taken in times.items():
            medians[name] = statistics.median(taken)
            print(f"{name:30} median {medians[name] * 1000:7.1f} ms   "
                  f"min {min(taken) * 1000:7.1f}   max {max(taken) * 1000:7.1f}")
    reference = medians["unknown email"]
    worst = max(abs(m - reference) / reference for m in medians.values())
    print(f"largest difference from the unknown email's median: {worst:.0%}")
    return 0 if worst <= 0.25 else 1


if __name__ == "__main__":
    sys.exit(main())
