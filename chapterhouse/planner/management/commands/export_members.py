"""Export members as the planner's CSV (`id,lat,lon,chapter,willing`, and `gender` on request).

Only what the planner needs: an id made fresh for each export (random, never the member's key,
so two exports cannot be joined to each other or to the database), the city's point, chapter and
willingness; gender only with `--with-gender`, and then only into a file. No names, no emails.
The file is created readable by its owner only (mode 0600 from the start) and every export is
recorded in the audit log. Treat it as personal data all the same.
"""

import csv
import getpass
import os
import secrets
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chapterhouse.audit.services import audit_record
from chapterhouse.context import context_for
from chapterhouse.planner.db_inputs import members_from_db
from chapterhouse.planner.management.commands.plan import USAGE_ERROR, check_target


def fresh_ids(count: int) -> list[str]:
    """`count` distinct random ids (48 bits each), unrelated to any key."""
    ids: set[str] = set()
    while len(ids) < count:
        ids.add(secrets.token_hex(6))
    return list(ids)


def _write_private(path: Path, write: Callable[[IO[str]], None]) -> None:
    """Write through a temporary file created with mode 0600 in the same directory, then move
    it into place: the data is never readable by others, even for a moment, whatever the
    umask, and an existing file at `path` is replaced, not rewritten with its old mode."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "w", newline="", encoding="utf-8") as handle:
            write(handle)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class Command(BaseCommand):
    help = ("Write the members as the planner's members.csv (to --out or standard output), with "
            "ids made fresh for this export. Gender only with --with-gender and --out; without "
            "it the planner counts no women.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", help="file to write, readable by you only "
                                          "(default: standard output)")
        parser.add_argument("--with-gender", action="store_true",
                            help="add each member's gender (needs --out)")

    def handle(self, *args: Any, out: str | None, with_gender: bool = False,
               **options: Any) -> None:
        if with_gender and not out:
            raise CommandError("--with-gender writes only to a file readable by you alone: "
                               "give --out FILE.", returncode=USAGE_ERROR)
        path = Path(out) if out else None
        if path is not None:
            check_target(path, "--out")
        members = members_from_db(context_for().today())
        ids = fresh_ids(len(members.ids))
        header = ["id", "lat", "lon", *(["gender"] if with_gender else []), "chapter", "willing"]

        def write(handle: IO[str]) -> None:
            writer = csv.writer(handle)
            writer.writerow(header)
            for i, export_id in enumerate(ids):
                writer.writerow([export_id, f"{members.lat[i]:.5f}", f"{members.lon[i]:.5f}",
                                 *([members.gender[i]] if with_gender else []),
                                 members.chapter[i], "yes" if members.willing[i] else "no"])

        if path is None:
            write(sys.stdout)
        else:
            try:
                _write_private(path, write)
            except OSError as error:
                raise CommandError(f"--out {path}: cannot write ({error.strerror or error})",
                                   returncode=USAGE_ERROR) from error
        audit_record(action="export_members", changes={
            "members": len(ids), "with_gender": with_gender,
            "file": str(path.resolve()) if path else "standard output",
            "system_user": _system_user()})
        if path is not None:
            self.stderr.write(f"wrote {len(ids):,} members to {path}"
                              + (" with their gender" if with_gender else ""))


def _system_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container)
        return str(os.getuid())
