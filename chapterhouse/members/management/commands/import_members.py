"""`chapterhouse import_members FILE.csv [--commit]`: bring an organization's member list in.

A dry run by default: the report (problems by line, the members that would be created) and
nothing written. With --commit, the members are created all or none (services.members_import)
and wait for their invitation to choose a password (services.import_invitations_send, run by
the scheduler at IMPORT_INVITATIONS_PER_MINUTE). Exit 0 when the file can be imported (or
was), 2 when it cannot, with every problem listed. The format: docs/import.md.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from chapterhouse.members import selectors, services
from chapterhouse.members.member_import import MemberFileError, check_member_rows, read_member_file

MAX_FILE_BYTES = 200 * 1024 * 1024  # about a million members; a larger file is not a list


class Command(BaseCommand):
    help = ("Import members from a CSV file (email,name,city,languages,chapter,willing_to_meet,"
            "consent_date). A dry run unless --commit; all or nothing. See docs/import.md.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="the member list (CSV, UTF-8)")
        parser.add_argument("--commit", action="store_true",
                            help="write the members (default: only report)")

    def handle(self, *args: Any, file: str, commit: bool = False, **options: Any) -> None:
        try:
            data = _read(Path(file))
            header, rows = read_member_file(data)
        except MemberFileError as error:
            self._refuse(f"{file}: {error}")
        plan = check_member_rows(header, rows,
                                 selectors.import_context(timezone.localdate()))
        for line in plan.report_lines():
            self.stdout.write(line)
        self.stdout.write(plan.summary())
        if not plan.can_import:
            self._refuse("nothing was imported: correct the lines above and run again")
        if not commit:
            self.stdout.write("Dry run: nothing was written. Run again with --commit to import.")
            return
        created = services.members_import(plan=plan, source=Path(file).name)
        self.stdout.write(f"Imported {created:,} members; their invitations to choose a "
                          "password go out at the rate IMPORT_INVITATIONS_PER_MINUTE.")

    def _refuse(self, message: str) -> None:
        self.stderr.write(f"import_members: {message}")
        sys.exit(2)


def _read(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise MemberFileError(f"larger than {MAX_FILE_BYTES // 1024 // 1024} MB")
        return path.read_bytes()
    except IsADirectoryError:
        raise MemberFileError("is a folder, not a file") from None
    except OSError as error:
        raise MemberFileError(f"cannot be read: {error.strerror or error}") from None
