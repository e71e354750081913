"""The site's pages at the size Chapterhouse must serve (issue 12, item 4): time and queries of
each page, against the goal of p95 under 200 ms in a number of queries that does not grow.

    .venv/bin/python bench/pages_test_client.py [--chapters 10000] [--members 100000]
        [--months 12] [--attendees 8] [--requests 30] [--database-url postgres://...]
        [--keep]

Builds, in a throw-away SQLite database (or an empty PostgreSQL database given with
--database-url, whose tables it fills), the most populous cities of the gazetteer, members
spread over them (four in five in a chapter), chapters with a meeting a month and their
attendance, stored month results, and a few polls; then requests each page through Django's
test client `--requests` times and prints its median and p95, its queries and its size, and
the process's peak memory. The dashboard is timed twice: from the cache, and "after a write"
(an attendance recorded before each request: the request serves the last figures and queues
their recomputation, timed apart as "figures task", which a worker runs).

This is the test client in one process, not gunicorn (bench/pages_at_scale.py serves the
pages with gunicorn): it shows each page's queries and its own CPU time beside the wall
clock, which on a shared machine is the steadier figure. With --existing it measures the
organization `seed_demo --members N --chapters K` built in --database-url.
"""

from __future__ import annotations

import argparse
import datetime
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
GOAL_MS = 200


def build(args: argparse.Namespace) -> dict:
    from django.contrib.auth.hashers import make_password

    from chapterhouse.chapters.models import Chapter, ChapterMembership
    from chapterhouse.decisions.models import Kind, Level, Option, Poll
    from chapterhouse.meetings.models import Attendance, Meeting
    from chapterhouse.meetings.months import chapter_months_rebuild
    from chapterhouse.meetings.signals import months_suspended
    from chapterhouse.members.models import Member
    from chapterhouse.organizations.models import Organization
    from chapterhouse.places import gazetteer
    from chapterhouse.places.models import Place

    organization = Organization.objects.create(
        name="Bench", founded_on=datetime.date(2010, 1, 1),
        figures_as_of=datetime.date(2014, 2, 1), demo_clock=True, dashboard_public=True)
    cities = sorted(gazetteer.cities().values(), key=lambda c: -c.population)[:2000]
    places = Place.objects.bulk_create(
        Place(pk=c.geonameid, name=c.name, country_code=c.country_code,
              country_name=c.country_name, continent_code=c.continent_code,
              timezone=c.timezone, latitude=c.latitude, longitude=c.longitude,
              population=c.population) for c in cities)
    started = time.perf_counter()
    with months_suspended():  # bulk writes; every chapter's months rebuilt at the end
        password = make_password("bench password")
        members = Member.objects.bulk_create(
            (Member(email=f"m{i}@example.org", display_name=f"Member {i}", password=password,
                    place=places[i % len(places)] if i % 50 else None,
                    gender="woman" if i % 3 == 0 else "man", email_confirmed=True,
                    willing_to_meet=True, joined_on=datetime.date(2010, 1, 1))
             for i in range(args.members)), batch_size=5000)
        chapters = Chapter.objects.bulk_create(
            (Chapter(name=f"Chapter {i}", slug=f"chapter-{i}", place=places[i % len(places)],
                     founded_on=datetime.date(2010, 1, 1)) for i in range(args.chapters)),
            batch_size=5000)
        ChapterMembership.objects.bulk_create(
            (ChapterMembership(chapter=chapters[i % args.chapters], member=m,
                               joined_on=datetime.date(2010, 1, 1))
             for i, m in enumerate(members) if i % 5), batch_size=5000)
        position = {c.pk: i for i, c in enumerate(chapters)}
        rows = 0
        last = datetime.date(2014, 1, 1)
        for start in range(0, args.chapters, 500):
            batch = chapters[start:start + 500]
            meetings = Meeting.objects.bulk_create(
                Meeting(chapter=c, venue="Library", starts_at=datetime.datetime(
                    (last.year * 12 + last.month - 1 - k) // 12,
                    (last.year * 12 + last.month - 1 - k) % 12 + 1, 10, 18,
                    tzinfo=datetime.UTC))
                for c in batch for k in range(-1, args.months))  # k=-1: next month's
            attendance = []
            for m in meetings:
                people = members[position[m.chapter_id]::args.chapters][:args.attendees]
                attendance += [Attendance(meeting=m, member=p)
                               for p in people[:len(people) - (m.pk % 4 == 0)]]
            Attendance.objects.bulk_create(attendance, batch_size=5000)
            rows += len(attendance)
        chapter_months_rebuild()  # also at months_suspended's end; here to time it apart
    print(f"built {args.members:,} members, {args.chapters:,} chapters, "
          f"{args.chapters * (args.months + 1):,} meetings, {rows:,} attendance rows "
          f"in {time.perf_counter() - started:.0f} s")
    polls = []
    now = organization.clock.now()
    for i in range(30):
        poll = Poll.objects.create(
            organization=organization, title=f"Question {i}", kind=Kind.SINGLE,
            level=Level.ORGANIZATION, opens_at=now - datetime.timedelta(days=1),
            closes_at=now + datetime.timedelta(days=7 + i))
        Option.objects.bulk_create(Option(poll=poll, label=label, position=j)
                                   for j, label in enumerate(("Yes", "No", "Later")))
        polls.append(poll)
    staff = Member.objects.create_superuser("staff@example.org", "bench password",
                                            display_name="Staff")
    member = members[1]  # in a chapter, in the most populous city
    return {"organization": organization, "member": member, "staff": staff,
            "chapter": chapters[1], "poll": polls[0]}


def existing() -> dict:
    """The organization already in the database (`seed_demo --members N --chapters K`): a
    member of its biggest chapter, that chapter, its newest poll, and a staff account made for
    the bench if there is none."""
    from django.db.models import Count

    from chapterhouse.chapters.models import Chapter, ChapterMembership
    from chapterhouse.decisions.models import Poll
    from chapterhouse.members.models import Member

    chapter = (Chapter.objects.annotate(n=Count("memberships")).order_by("-n").first())
    membership = ChapterMembership.objects.filter(chapter=chapter).select_related("member")[0]
    staff = (Member.objects.filter(is_superuser=True).first()
             or Member.objects.create_superuser("bench-staff@example.org", "bench password",
                                                display_name="Bench staff"))
    return {"member": membership.member, "staff": staff, "chapter": chapter,
            "poll": Poll.objects.order_by("-pk").first()}


def timed_requests(client, url: str, count: int, before=None
                   ) -> tuple[list[float], list[float], int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, cpu, queries, size = [], [], 0, 0
    for _ in range(count):
        if before is not None:
            before()
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries, size = len(captured), len(response.content)
    return times, cpu, queries, size


def report(name: str, times: list[float], cpu: list[float], queries: int, size: int) -> None:
    """Wall-clock median and p95, and the median CPU time of this process (on a shared
    machine the CPU time is the steadier figure; on PostgreSQL it leaves out the server's)."""
    times = sorted(times)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    verdict = "ok" if p95 < GOAL_MS else "OVER"
    print(f"{name:<34} median {statistics.median(times):7.1f} ms  p95 {p95:7.1f} ms  "
          f"cpu {statistics.median(cpu):6.1f} ms  {queries:3d} queries  {size / 1024:5.0f} KB"
          f"  (goal p95 < {GOAL_MS} ms: {verdict})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapters", type=int, default=10_000)
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--attendees", type=int, default=8)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--database-url")
    parser.add_argument("--existing", action="store_true",
                        help="Measure the organization already in --database-url (seed_demo's).")
    args = parser.parse_args()
    var = tempfile.mkdtemp(prefix="pages-test-client-")
    os.environ.pop("REDIS_URL", None)
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["CHAPTERHOUSE_VAR_DIR"] = var
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chapterhouse.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from chapterhouse.meetings.months import chapter_months_refresh

    settings.ALLOWED_HOSTS = ["*"]
    if args.existing:
        built = existing()
    else:
        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)
        built = build(args)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    visitor, member, staff = Client(), Client(), Client()
    member.force_login(built["member"])
    staff.force_login(built["staff"])
    device, _new = TOTPDevice.objects.get_or_create(user=built["staff"], name="bench",
                                                    defaults={"confirmed": True})
    session = staff.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    n = args.requests
    chapter, poll = built["chapter"], built["poll"]
    print(f"pages ({connection.vendor}, test client, {n} requests each):")

    def written() -> None:  # an attendance write: the figures must be computed again
        chapter_months_refresh([chapter.pk])

    dashboard = reverse("dashboard")
    timed_requests(visitor, dashboard, 1)
    report("dashboard (figures cached)", *timed_requests(visitor, dashboard, n))
    report("dashboard after a write", *timed_requests(visitor, dashboard, max(5, n // 3),
                                                      before=written))
    try:  # since stale-while-revalidate: the recomputation a write queues, done by the task
        from chapterhouse.goals.snapshot import measurement_refresh_work
        from chapterhouse.organizations.models import Organization
    except ImportError:
        pass
    else:
        def recompute() -> None:
            measurement_refresh_work.call(Organization.objects.current().pk)

        task_times, task_cpu = [], []
        for _ in range(3):
            written()
            started, started_cpu = time.perf_counter(), time.process_time()
            recompute()
            task_times.append((time.perf_counter() - started) * 1000)
            task_cpu.append((time.process_time() - started_cpu) * 1000)
        print(f"{'figures task (in the worker)':<34} median {statistics.median(task_times):7.1f}"
              f" ms  cpu {statistics.median(task_cpu):6.1f} ms  (no visitor waits for it)")
    report("dashboard search ?q=chapter 12", *timed_requests(visitor, dashboard + "?q=chapter+12",
                                                              n))
    report("dashboard ?page=150", *timed_requests(visitor, dashboard + "?page=150", n))
    report("chapters near you (member)", *timed_requests(member, reverse("chapter_list"), n))
    url = reverse("chapter_detail", args=[chapter.slug])
    report("a chapter page (visitor)", *timed_requests(visitor, url, n))
    report("a chapter page (member)", *timed_requests(member, url, n))
    report("decisions list (member)", *timed_requests(member, reverse("polls"), n))
    report("a poll page (member)", *timed_requests(member, reverse("poll_detail",
                                                                   args=[poll.pk]), n))
    for model in ("members/member", "chapters/chapter", "chapters/chaptermembership",
                  "meetings/meeting", "meetings/attendance"):
        report(f"admin {model}", *timed_requests(staff, f"/admin/{model}/", max(5, n // 3)))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak:.0f} MB (includes building the data; goal for a "
          "worker < 300 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
