"""`chapterhouse seed_demo`: replace the database's contents with the demo organization.

It refuses a database holding anything it did not make (issue 10), unless told
`--replace-everything`: `make demo` seeds its own file, var/demo.sqlite3."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from tqdm import tqdm

from chapterhouse.demo.members import DEMO_BACKUP_CODES, demo_otpauth_url, demo_totp_secret
from chapterhouse.demo.seeding import DEMO_PASSWORD, DemoSpec, generate_demo
from chapterhouse.organizations.selectors import rows_not_made_by_the_demo


class Command(BaseCommand):
    help = ("Fill an empty database (or replace a previous demo) with a seeded demo organization "
            "shaped like the letter's (3,443 members in 90 countries, 8 qualifying chapters). "
            "Refuses a database holding data the demo did not make.")

    def add_arguments(self, parser: CommandParser) -> None:
        defaults = DemoSpec()
        parser.add_argument("--members", type=int, default=defaults.members,
                            help="How many members (default %(default)s).")
        parser.add_argument("--chapters", type=int, default=None,
                            help="Build an organization of this many chapters (at least 11, at "
                                 "most members / 5), with meetings and attendance in proportion; "
                                 "default: the letter's 11 chapters.")
        parser.add_argument("--seed", type=int, default=defaults.seed,
                            help="Random seed; the same seed gives the same demo.")
        parser.add_argument("--no-organizing-stages", action="store_true",
                            help="Without the demo plan and its forming chapters at every "
                                 "organizing stage (the letter's figures only).")
        parser.add_argument("--replace-everything", action="store_true",
                            help="Also delete data the demo did not make (a real "
                                 "organization's members, chapters, meetings, polls...).")

    def handle(self, *args: Any, **options: Any) -> None:
        spec = DemoSpec(members=options["members"], seed=options["seed"],
                        chapters=options["chapters"],
                        organizing_stages=not options["no_organizing_stages"])
        if (problem := spec.problem()) is not None:
            raise CommandError(problem)
        if not options["replace_everything"] and (foreign := rows_not_made_by_the_demo()):
            found = ", ".join(f"{kind}: {count:,}" for kind, count in foreign.items())
            raise CommandError(
                f"Refusing to seed: this database holds data the demo did not make ({found}). "
                "Point DATABASE_URL at an empty database, or pass --replace-everything to "
                "delete all of it.")
        started = time.monotonic()
        # The bar goes to stderr so the summary on stdout stays clean for scripts.
        with tqdm(total=spec.members, unit="row", desc="Seeding demo", leave=False) as bar:
            def progress(done: int, total: int) -> None:
                bar.total = total
                bar.update(done - bar.n)

            result = generate_demo(spec, progress=progress)
            bar.set_description("Analyzing")
            with connection.cursor() as cursor:  # fresh statistics for the planner
                cursor.execute("ANALYZE")
        elapsed = time.monotonic() - started
        lines = [
            f"Demo organization seeded in {elapsed:.1f} s (seed {spec.seed}, as of {spec.today}).",
            f"  members:            {result.members:,}",
            f"  countries:          {result.countries}",
            f"  chapters:           {result.chapters}",
            f"  unaffiliated:       {result.unaffiliated:,}",
            f"  meetings:           {result.meetings:,}",
            f"  attendance records: {result.attendance:,}",
            "Log in as:",
            f"  admin:           {result.admin_email} / {DEMO_PASSWORD}, then a code:",
            f"    from an authenticator app given the key {demo_totp_secret()}",
            f"      ({demo_otpauth_url()}),",
            f"    or a single-use backup code: {', '.join(DEMO_BACKUP_CODES[:3])}, ...",
            f"  NYC coordinator: {result.coordinator_email} / {DEMO_PASSWORD}",
        ]
        self.stdout.write("\n".join(lines))
