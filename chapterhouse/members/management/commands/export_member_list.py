"""`chapterhouse export_member_list [--out FILE] [--with-gender]`: the member list in the format
`import_members` reads (docs/import.md), so it can be kept, corrected and imported elsewhere.

Named apart from the planner's `export_members`, which writes something else on purpose: the
planner's anonymous points (fresh random ids, coordinates, no names or emails). This one holds
names and addresses: the file is written readable by its owner only and the export is audited.
Gender only with --with-gender (and then only into a file); `import_members` never reads it.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chapterhouse.audit.services import audit_record
from chapterhouse.context import context_for
from chapterhouse.members.member_import import COLUMNS
from chapterhouse.planner.management.commands.export_members import _system_user, _write_private
from chapterhouse.privacy.selectors import member_list_rows


class Command(BaseCommand):
    help = ("Write the members as import_members reads them (to --out or standard output). "
            "Gender only with --with-gender and --out.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", help="file to write, readable by you only "
                                          "(default: standard output)")
        parser.add_argument("--with-gender", action="store_true",
                            help="add each member's gender (needs --out)")

    def handle(self, *args: Any, out: str | None, with_gender: bool = False,
               **options: Any) -> None:
        if with_gender and not out:
            raise CommandError("--with-gender writes only to a file readable by you alone: "
                               "give --out FILE.")
        path = Path(out) if out else None
        if path is not None and (not path.parent.is_dir() or path.is_dir()):
            raise CommandError(f"{path} cannot be written: its folder is missing or it is a "
                               "folder")
        header = [*COLUMNS, *(["gender"] if with_gender else [])]
        count = 0

        def write(handle: IO[str]) -> None:
            nonlocal count
            writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
            writer.writeheader()
            for row in member_list_rows(context_for(), with_gender=with_gender):
                writer.writerow(row)
                count += 1

        if path is None:
            write(sys.stdout)
        else:
            _write_private(path, write)
        audit_record(action="export_member_list", changes={
            "members": count, "with_gender": with_gender,
            "file": str(path.resolve()) if path else "standard output",
            "system_user": _system_user()})
        if path is not None:
            self.stderr.write(f"wrote {count:,} members to {path}"
                              + (" with their gender" if with_gender else ""))
