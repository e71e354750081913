"""How long one run of the digest job takes when many members have a digest due (issue 13).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ch_digest_bench \\
        .venv/bin/python bench/digests_at_scale.py [--members 100000] [--lines 3]

Writes into an empty database (migrated here) one organization and N members in four time
zones, each with L daily digest lines written the evening before. Then runs
`notices.services.digests_send` once, at an hour when every member's morning slot has passed,
and prints its time, its queries per member, and the outbox rows it wrote. The job runs every
10 minutes (jobs/schedule.py); a run that takes longer is not a fault (each member's digest is
its own transaction, and a second run at once skips the rows the first has locked), but it is
the figure that says when the digests need more than one worker.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chapterhouse.settings")
os.environ.setdefault("SITE_URL", "http://127.0.0.1:8000")  # the emailed links

UTC = datetime.UTC
WRITTEN = datetime.datetime(2026, 12, 1, 12, tzinfo=UTC)  # before 07:00 in Sydney on the 2nd
RUN_AT = datetime.datetime(2026, 12, 2, 16, tzinfo=UTC)  # after 07:00 in every zone below


def seed(members: int, lines: int) -> None:
    from chapterhouse.members.models import Member
    from chapterhouse.notices.kinds import Frequency
    from chapterhouse.notices.models import DigestEntry
    from chapterhouse.organizations.models import Organization
    from chapterhouse.places.models import Place

    Organization.objects.create(name="Bench", founded_on=datetime.date(2012, 1, 1))
    places = [Place.objects.from_gazetteer(g) for g in (5128581, 2761369, 2643743, 2147714)]
    batch = 5000
    for start in range(0, members, batch):
        Member.objects.bulk_create(
            Member(email=f"m{i}@example.org", display_name=f"Member {i}",
                   place=places[i % 4], password="!",  # noqa: S106 (unusable)
                   joined_on=datetime.date(2013, 1, 1))
            for i in range(start, min(members, start + batch)))
    ids = list(Member.objects.values_list("pk", flat=True))
    kinds = [("polls", "poll_opening", "Poll open: Budget"),
             ("meetings", "meeting_scheduled", "New meeting: Saturday"),
             ("chapter", "join_request", "Someone asked to join")]
    for start in range(0, len(ids), batch):
        DigestEntry.objects.bulk_create(
            DigestEntry(member_id=pk, category=kinds[k % 3][0], kind=kinds[k % 3][1],
                        frequency=Frequency.DAILY, subject=kinds[k % 3][2],
                        link="http://127.0.0.1:8000/decisions/", created_at=WRITTEN)
            for pk in ids[start:start + batch] for k in range(lines))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--lines", type=int, default=3)
    args = parser.parse_args()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from chapterhouse.members.models import Member
    from chapterhouse.notices.services import digests_send
    from chapterhouse.outbox.models import OutboxMessage

    call_command("migrate", verbosity=0)
    if Member.objects.exists():
        sys.exit("Run it on an empty database: it writes its own members.")
    seeded = time.perf_counter()
    seed(args.members, args.lines)
    print(f"seeded {args.members} members x {args.lines} lines in "
          f"{time.perf_counter() - seeded:.0f} s")
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        sent = digests_send(now=RUN_AT)
        took = time.perf_counter() - started
    print(f"digests_send: {sent.digests} digests carrying {sent.entries} lines in {took:.1f} s "
          f"({took / max(sent.digests, 1) * 1000:.1f} ms a member, "
          f"{len(queries) / max(sent.digests, 1):.1f} queries a member); "
          f"{OutboxMessage.objects.count()} emails in the outbox")
    started = time.perf_counter()
    again = digests_send(now=RUN_AT)
    print(f"a second run at once after: {again.digests} digests in "
          f"{time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
