"""Importing a member list of 100,000 takes under a minute (issue 10, "Members in and out").

    .venv/bin/python bench/import_members.py [--rows 100000] [--database-url URL]

Makes a throw-away SQLite database in a temporary directory (or uses --database-url, which
must name an empty, throw-away database, e.g. postgres://postgres@127.0.0.1:5432/ch_bench, which
is left holding the members: drop it afterwards), migrates it,
makes 50 chapters and writes a member list of --rows rows (cities drawn from the 1,000 largest
of the gazetteer, a few languages, a chapter for half of them). Times `import_members` as a
dry run, then with --commit, in this process, and passes (exit 0) when the commit took under
a minute. Not a unit test: `make bench` runs it.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
LIMIT_SECONDS = 60.0


def member_list(rows: int, chapters: list[str], seed: int = 10) -> str:
    from chapterhouse.members.member_import import COLUMNS, city_for_export
    from chapterhouse.places import gazetteer

    rng = random.Random(seed)
    largest = sorted(gazetteer.cities().values(), key=lambda c: -c.population)[:1000]
    cells = [city_for_export(c.geonameid) for c in largest]
    languages = ["en", "es", "de en", "fr", "pt-br", "", "en ar"]
    out = io.StringIO()
    out.write(",".join(COLUMNS) + "\n")
    for i in range(rows):
        city = cells[rng.randrange(len(cells))]
        city = f'"{city}"' if "," in city else city
        chapter = chapters[rng.randrange(len(chapters))] if i % 2 else ""
        out.write(f"member{i}@example{i % 97}.org,Member {i},{city},"
                  f"{languages[i % len(languages)]},{chapter},{'yes' if i % 3 else 'no'},"
                  f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}\n")
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as var:
        os.environ.pop("REDIS_URL", None)
        if args.database_url:
            os.environ["DATABASE_URL"] = args.database_url
        else:
            os.environ.pop("DATABASE_URL", None)
        os.environ["CHAPTERHOUSE_VAR_DIR"] = var
        os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chapterhouse.settings")
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        from chapterhouse.chapters.models import Chapter
        from chapterhouse.members.models import Member
        from chapterhouse.organizations.models import Organization
        from chapterhouse.places.models import Place

        call_command("migrate", verbosity=0)
        if Member.objects.exists():
            print("the database is not empty: give an empty one")
            return 2
        Organization.objects.get_or_create(name="Bench Society", defaults={
            "founded_on": "2012-01-01", "figures_as_of": "2014-01-01"})
        vienna = Place.objects.from_gazetteer(2761369)
        names = [f"Chapter {i}" for i in range(50)]
        for name in names:
            Chapter.objects.create(name=name, place=vienna, founded_on="2013-01-01")
        path = Path(var) / "members.csv"
        path.write_text(member_list(args.rows, names), encoding="utf-8")
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        print(f"{args.rows:,} rows, {path.stat().st_size / 1e6:.1f} MB, on {engine}")
        timings = {}
        for label, options in (("dry run", ()), ("commit", ("--commit",))):
            out = io.StringIO()
            started, cpu = time.perf_counter(), time.process_time()
            call_command("import_members", str(path), *options, stdout=out)
            timings[label] = time.perf_counter() - started
            # The CPU time of this process: the wall time on a shared machine is longer.
            print(f"{label:8} {timings[label]:6.1f} s ({time.process_time() - cpu:5.1f} s of CPU, "
                  f"load {os.getloadavg()[0]:.0f})   ({out.getvalue().splitlines()[-1]})")
        created = Member.objects.count()
        print(f"members in the database: {created:,}")
    ok = created == args.rows and timings["commit"] < LIMIT_SECONDS
    print("pass" if ok else f"FAIL: the commit must take under {LIMIT_SECONDS:.0f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
