"""Export members as the planner's CSV (`id,lat,lon,gender,chapter,willing`).

Only what the planner needs: an opaque id, the city's point, gender, chapter and willingness.
No names, no emails. Treat the file as personal data all the same.
"""

import csv
import sys

from django.core.management.base import BaseCommand

from chapterhouse.organizations.models import Organization
from chapterhouse.planner.db_inputs import members_from_db


class Command(BaseCommand):
    help = "Write the members as the planner's members.csv (to --out or standard output)."

    def add_arguments(self, parser):
        parser.add_argument("--out", help="file to write (default: standard output)")

    def handle(self, *args, out: str | None, **options):
        members = members_from_db(Organization.objects.current().today)
        handle = open(out, "w", newline="", encoding="utf-8") if out else sys.stdout  # noqa: SIM115
        try:
            writer = csv.writer(handle)
            writer.writerow(["id", "lat", "lon", "gender", "chapter", "willing"])
            for i, member_id in enumerate(members.ids):
                writer.writerow([member_id, f"{members.lat[i]:.5f}", f"{members.lon[i]:.5f}",
                                 members.gender[i], members.chapter[i],
                                 "yes" if members.willing[i] else "no"])
        finally:
            if out:
                handle.close()
        if out:
            self.stderr.write(f"wrote {len(members.ids):,} members to {out}")
