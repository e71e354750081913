"""Verdicts read from stored month results against verdicts recomputed from attendance
(issue 12, item 4).

    .venv/bin/python bench/verdict_months.py [--chapters 1000] [--months 36] [--attendees 10]
                                             [--database-url postgres://...]

Builds, in a throw-away SQLite database (or an empty PostgreSQL database given with
--database-url, whose tables it fills), chapters with one meeting a month and that many
attendees each; then times rebuilding every chapter's stored months
(`chapterhouse verdicts_rebuild`), every chapter's verdict read from the stored months
(what the pages do now), the same verdicts recomputed from every attendance row (what they
did before), and the dashboard through Django's test client, with its queries.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def timed(action):
    started = time.perf_counter()
    result = action()
    return result, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapters", type=int, default=1000)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--attendees", type=int, default=10)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    var = tempfile.mkdtemp(prefix="verdict-months-")
    os.environ.pop("REDIS_URL", None)
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["CHAPTERHOUSE_VAR_DIR"] = var
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chapterhouse.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from chapterhouse.chapters.models import Chapter
    from chapterhouse.meetings.models import Attendance, Meeting
    from chapterhouse.meetings.months import chapter_months_rebuild
    from chapterhouse.members.models import Member
    from chapterhouse.organizations.models import Organization
    from chapterhouse.places.models import Place
    from chapterhouse.verdicts.selectors import chapter_verdicts, chapter_verdicts_recomputed

    call_command("migrate", verbosity=0)
    organization = Organization.objects.create(
        name="Bench", founded_on=datetime.date(2010, 1, 1),
        figures_as_of=datetime.date(2014, 2, 1))
    place = Place.objects.from_gazetteer(5128581)  # New York City
    people = Member.objects.bulk_create(
        Member(email=f"p{i}@example.org", display_name=f"P{i}", place=place,
               gender="woman" if i % 3 == 0 else "man", joined_on=datetime.date(2010, 1, 1))
        for i in range(args.attendees * 4))
    chapters = Chapter.objects.bulk_create(
        Chapter(name=f"Chapter {i}", slug=f"chapter-{i}", place=place,
                founded_on=datetime.date(2010, 1, 1)) for i in range(args.chapters))
    first = datetime.date(2014, 1, 1)
    rows = 0
    for chunk in range(0, len(chapters), 100):
        meetings = Meeting.objects.bulk_create(
            Meeting(chapter=c, starts_at=datetime.datetime(
                (first.year * 12 + first.month - 1 - k) // 12,
                (first.year * 12 + first.month - 1 - k) % 12 + 1, 10, 18, tzinfo=datetime.UTC))
            for c in chapters[chunk:chunk + 100] for k in range(args.months))
        attendance = [Attendance(meeting=m, member=people[(m.pk + j) % len(people)])
                      for m in meetings
                      for j in range(args.attendees - (m.pk % 3 == 0) * (args.attendees // 2))]
        Attendance.objects.bulk_create(attendance, batch_size=5000)
        rows += len(attendance)
    print(f"{args.chapters:,} chapters, {args.chapters * args.months:,} meetings, "
          f"{rows:,} attendance rows ({connection.vendor})")
    (_chapters, months), rebuild = timed(chapter_months_rebuild)
    print(f"rebuild every chapter's months: {rebuild:8.2f} s ({months:,} month rows)")
    rule, on = organization.rule, organization.today
    every = Chapter.objects.select_related("place")
    stored, read = timed(lambda: chapter_verdicts(every, rule=rule, on=on))
    recomputed, recompute = timed(lambda: chapter_verdicts_recomputed(every, rule=rule, on=on))
    assert stored == recomputed
    print(f"every verdict from stored months: {read * 1000:8.0f} ms")
    print(f"every verdict from attendance:    {recompute * 1000:8.0f} ms (before; same verdicts)")
    client = Client()
    client.get(reverse("dashboard"))
    with CaptureQueriesContext(connection) as queries:
        response, page = timed(lambda: client.get(reverse("dashboard")))
    print(f"dashboard: {page * 1000:8.0f} ms, {len(queries)} queries, "
          f"{len(response.content) / 1024:.0f} KB (goal: p95 under 200 ms at 10,000 chapters "
          "under gunicorn; queries constant)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
