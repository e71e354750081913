"""How long the dashboard's chapters-at-risk figure takes at ten thousand chapters (issue 13).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ch_risk_bench \\
        .venv/bin/python bench/risk_at_scale.py [--chapters 10000]

Writes into an empty database (migrated here) one organization and K chapters in four time
zones with three passing stored months each (meetings.ChapterMonth, as at scale); a third of
them held a meeting of four on the day (at risk). Then times `verdicts.risks.chapter_risks`
over all of them and `goals.snapshot.measure` (every dashboard figure, computed in the
background and cached) and counts their queries. Run again on the same database: times only.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chapterhouse.settings")


def seed(chapters: int) -> Any:
    from chapterhouse.chapters.models import Chapter
    from chapterhouse.meetings.models import ChapterMonth
    from chapterhouse.meetings.months import rule_key
    from chapterhouse.organizations.models import Organization
    from chapterhouse.places.models import Place

    organization = Organization.objects.create(
        name="Bench", founded_on=datetime.date(2012, 1, 1), at_risk_days=7,
        figures_as_of=datetime.date(2014, 2, 1), demo_clock=True)
    places = [Place.objects.from_gazetteer(g) for g in (5128581, 2761369, 2643743, 2147714)]
    made = Chapter.objects.bulk_create(
        Chapter(name=f"C{i}", slug=f"c{i}", place=places[i % 4],
                founded_on=datetime.date(2012, 6, 1)) for i in range(chapters))
    key = rule_key(organization.rule)
    rows = []
    for c in made:
        for k, month in enumerate((datetime.date(2013, 11, 1), datetime.date(2013, 12, 1),
                                   datetime.date(2014, 1, 1), datetime.date(2014, 2, 1))):
            if k == 3 and c.pk % 3:
                continue
            start = datetime.datetime.combine(month, datetime.time(9), tzinfo=datetime.UTC)
            attendees = 4 if k == 3 else 6
            rows.append(ChapterMonth(
                chapter=c, month=month, rule_key=key, zone=c.place.timezone, meetings=1,
                best_meeting=c.pk * 10 + k, best_start=start, best_attendees=attendees,
                best_counted=3, best_guests=0, enough_attendees=attendees >= 5,
                enough_women=True, attendees=attendees, counted=3, run=k + 1))
    ChapterMonth.objects.bulk_create(rows, batch_size=5000)
    return organization


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chapters", type=int, default=10000)
    args = parser.parse_args()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from chapterhouse.chapters.models import Chapter
    from chapterhouse.goals.snapshot import measure
    from chapterhouse.organizations.models import Organization
    from chapterhouse.verdicts.risks import chapter_risks, figures_moment

    call_command("migrate", verbosity=0)
    organization = (Organization.objects.get() if Chapter.objects.exists()
                    else seed(args.chapters))
    zones = dict(Chapter.objects.values_list("pk", "place__timezone"))
    for name, work in (
        ("chapter_risks", lambda: chapter_risks(
            zones, rule=organization.rule, now=figures_moment(organization.today),
            days=organization.at_risk_days)),
        ("measure (every dashboard figure)", lambda: measure(organization)),
    ):
        best = None
        for _ in range(3):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                result = work()
                took = time.perf_counter() - started
            best = took if best is None else min(best, took)
        found = len(result) if isinstance(result, dict) else result.at_risk_count
        print(f"{name}: {best * 1000:.0f} ms (best of 3), {len(queries)} queries, "
              f"{found} at risk of {len(zones)}")


if __name__ == "__main__":
    main()
