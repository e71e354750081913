"""`chapterhouse import_members FILE.csv [--commit]`: bring an organization's member list in.

A dry run by default: the report (problems by line, the members that would be created) and
nothing written. With --commit, the members are created all or none
(privacy.services.members_import) and wait for their invitation to choose a password
(members.services.import_invitations_send, run by
the scheduler at IMPORT_INVITATIONS_PER_MINUTE). Exit 0 when the file can be imported (or
was), 2 when it cannot, with every problem listed. The format: docs/import.md.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from chapterhouse.context import context_for
from chapterhouse.core.reasons import explain_english
from chapterhouse.core.reasons_csv import csv_error_english, line_explain
from chapterhouse.members.member_import import MemberFileError
from chapterhouse.privacy import selectors
from chapterhouse.privacy.services import members_import

MAX_FILE_BYTES = 200 * 1024 * 1024  # about a million members; a larger file is not a list


class Command(BaseCommand):
    help = ("Import members from a CSV file (email,name,city,languages,chapter,willing_to_meet,"
            "consent_date). A dry run unless --commit; all or nothing. See docs/import.md.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the member list (CSV, UTF-8)")
        parser.add_argument("--commit", action="store_true",
                            help="write the members (default: only report)")

    def handle(self, *args: Any, file: str, commit: bool = False, **options: Any) -> None:
        try:
            data = _read(Path(file))
            plan = selectors.member_list_check(data)
        except MemberFileError as error:
            self._refuse(f"{file}: {csv_error_english(error)}")
        except _Unreadable as error:
            self._refuse(f"{file}: {error}")
        with translation.override("en"):
            for line, why in plan.report():
                self.stdout.write(line_explain(line, why))
        self.stdout.write(explain_english(plan.summary()))
        if not plan.can_import:
            self._refuse("nothing was imported: correct the lines above and run again")
        if not commit:
            self.stdout.write("Dry run: nothing was written. Run again with --commit to import.")
            return
        created = members_import(context_for(), plan=plan, source=Path(file).name)
        self.stdout.write(f"Imported {created:,} members; their invitations to choose a "
                          "password go out at the rate IMPORT_INVITATIONS_PER_MINUTE.")

    def _refuse(self, message: str) -> NoReturn:
        self.stderr.write(f"import_members: {message}")
        sys.exit(2)


class _Unreadable(Exception):
    """The path given is not a file this command reads (the message says why, in English)."""


def _read(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise _Unreadable(f"larger than {MAX_FILE_BYTES // 1024 // 1024} MB")
        return path.read_bytes()
    except IsADirectoryError:
        raise _Unreadable("is a folder, not a file") from None
    except OSError as error:
        raise _Unreadable(f"cannot be read: {error.strerror or error}") from None
