"""The history's computation (goals/history.py) at scale, against the dashboard's own figures
(goals/snapshot.measure) on the same database, and the four charts drawn.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ch_scale_1000000 \\
        .venv/bin/python bench/history_at_scale.py [--runs 3]

Build the database first with `chapterhouse seed_demo --members 1000000 --chapters 10000`
(or let bench/pages_at_scale.py build it). Both computations run in a background task after a
write (stale-while-revalidate), never in a dashboard request once the cache is warm; this
measures what that task costs, and the number of queries.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chapterhouse.settings")
os.environ.setdefault("DEBUG", "1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from chapterhouse.goals.history import history_compute
    from chapterhouse.goals.history_page import goal_charts
    from chapterhouse.goals.selectors import goal_set_current
    from chapterhouse.goals.snapshot import measure
    from chapterhouse.meetings.models import ChapterMonth
    from chapterhouse.members.models import Member
    from chapterhouse.organizations.models import Organization

    organization = Organization.objects.current()
    print(f"{Member.objects.count():,} members, {ChapterMonth.objects.count():,} stored months")
    timings, dashboard = [], []
    for _ in range(args.runs):
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            history = history_compute(organization)
        timings.append(time.perf_counter() - start)
        start = time.perf_counter()
        snapshot = measure(organization).snapshot
        dashboard.append(time.perf_counter() - start)
    last = history.last
    assert last is not None
    print(f"history: {len(history.points)} points, {len(queries.captured_queries)} queries, "
          f"median {statistics.median(timings) * 1000:.0f} ms "
          f"(the dashboard's figures: median {statistics.median(dashboard) * 1000:.0f} ms)")
    print(f"last point {last.members:,} members, {last.chapters:,} chapters, "
          f"{last.continents} continents; dashboard {snapshot.members:,}, {snapshot.chapters:,}, "
          f"{snapshot.continents}")
    start = time.perf_counter()
    goal_charts(history, goal_set_current(organization))
    print(f"four charts drawn: {(time.perf_counter() - start) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
