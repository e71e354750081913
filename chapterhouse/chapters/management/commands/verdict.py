"""`chapterhouse verdict`: apply the qualification rule to attendance in a CSV file.

Needs no database: the file is the whole input, so it works before any data is imported.
Every bad input (an option out of range, a file problem naming its line) ends with a one-line
message and exit status 2, as argparse's own errors do.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chapterhouse.chapters.attendance_csv import (
    EARLIEST,
    GENDERS,
    LATEST,
    AttendanceError,
    read_attendance,
)
from chapterhouse.core.reasons import explain_english
from chapterhouse.core.reasons_csv import csv_error_english
from chapterhouse.domain import qualification
from chapterhouse.domain.csvfiles import shown
from chapterhouse.domain.disclosure import WomenFigure, women_figure
from chapterhouse.domain.qualification import MeetingCount, MonthCheck, Rule, Verdict

USAGE_ERROR = 2
# Ten years of months and a crowd no chapter meets in: beyond them an option is a typing mistake.
MAX_MONTHS = 120
MAX_ATTENDEES = 100_000


class Command(BaseCommand):
    help = (
        "Say which chapters qualify on a date, from a CSV file of attendance "
        "(chapter,meeting,start,timezone,member,gender)."
    )
    # No system checks: they would need a configured database, and this command uses none.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--attendance", required=True, metavar="FILE.csv",
                            help="one row per attendee per meeting")
        parser.add_argument("--on", required=True, metavar="YYYY-MM-DD",
                            help="the date of the verdict; the whole months before it count")
        parser.add_argument("--min-attendees", type=int, default=5)
        parser.add_argument("--min-women-share", default="0.3", metavar="SHARE",
                            help="between 0 and 1, e.g. 0.3 for 30%%")
        parser.add_argument("--months", type=int, default=3)
        parser.add_argument("--counted-genders", default="woman", metavar="LIST",
                            help="comma-separated genders that count toward the share")
        parser.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        on = _date(options["on"])
        rule = _rule(options)
        try:
            chapters = read_attendance(options["attendance"])
        except AttendanceError as error:
            raise CommandError(f"{options['attendance']}: {csv_error_english(error)}",
                               returncode=USAGE_ERROR) from error
        verdicts = {
            name: qualification.verdict(found.meetings, rule, on, found.zone)
            for name, found in chapters.items()
        }
        if options["format"] == "json":
            self.stdout.write(json.dumps(as_json(verdicts), indent=2, ensure_ascii=False))
        else:
            self.stdout.write(as_table(verdicts, qualification.window(on, rule.months)))


def _refuse(message: str) -> CommandError:
    return CommandError(message, returncode=USAGE_ERROR)


def _date(text: str) -> datetime.date:
    try:
        on = datetime.date.fromisoformat(text)
    except ValueError as error:
        raise _refuse(f"--on {shown(text)} is not a date in the form YYYY-MM-DD") from error
    if not EARLIEST <= on <= LATEST:
        raise _refuse(f"--on {text} is not between {EARLIEST} and {LATEST}")
    return on


def _rule(options: dict[str, Any]) -> Rule:
    text = str(options["min_women_share"])
    try:
        share = Decimal(text) if len(text) <= 40 else None
    except InvalidOperation:
        share = None
    if share is None:
        raise _refuse(f"--min-women-share {shown(text)} is not a number")
    if not share.is_finite() or not 0 <= share <= 1:
        raise _refuse(f"--min-women-share must be between 0 and 1, not {share}")
    _check_range("--min-attendees", options["min_attendees"], MAX_ATTENDEES)
    _check_range("--months", options["months"], MAX_MONTHS)
    genders = {word.strip().lower() for word in options["counted_genders"].split(",")} - {""}
    if not genders or not genders <= GENDERS:
        raise _refuse(
            f"--counted-genders {shown(options['counted_genders'])}: use words among "
            f"{', '.join(sorted(GENDERS))}, separated by commas"
        )
    return Rule(options["min_attendees"], share, options["months"], frozenset(genders))


def _check_range(flag: str, value: int, highest: int) -> None:
    if value < 1:
        raise _refuse(f"{flag} must be at least 1")
    if value > highest:
        raise _refuse(f"{flag} must be at most {highest:,}")


def _month_json(check: MonthCheck, rule: Rule) -> dict[str, Any]:
    # A month without a meeting reads as a best meeting of nobody: 0 attendees, 0 women.
    # Women are counted only for a meeting of at least the rule's minimum (chapters.disclosure):
    # "women" is null below it.
    best = check.best
    return {
        "month": check.month.strftime("%Y-%m"),
        "ok": check.ok,
        "attendees": best.attendees if best else 0,
        "women": _women(best, rule).count if best else None,
    }


def _women(best: MeetingCount, rule: Rule) -> WomenFigure:
    return women_figure(best.attendees, best.counted, minimum=rule.min_attendees,
                        required_share=rule.share, guests=best.guests)


def as_json(verdicts: dict[str, Verdict]) -> dict[str, Any]:
    return {
        "chapters": [
            {
                "chapter": name,
                "status": result.status.value,
                "reasons": [explain_english(r) for r in result.reasons],
                "months": [_month_json(check, result.rule) for check in result.months],
            }
            for name, result in sorted(verdicts.items())
        ]
    }


def _cell(check: MonthCheck, rule: Rule) -> str:
    if check.best is None:
        return "none"
    women = _women(check.best, rule).count
    return f"{check.best.attendees}/{'-' if women is None else women} {'ok' if check.ok else 'no'}"


def as_table(verdicts: dict[str, Verdict], months: list[datetime.date]) -> str:
    """An aligned table (attendees/women at each month's best meeting), then the reasons."""
    header = ["chapter", "status", *(month.strftime("%Y-%m") for month in months)]
    rows = [
        [name, result.status.value, *(_cell(check, result.rule) for check in result.months)]
        for name, result in sorted(verdicts.items())
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
             for row in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append("")
    lines.append("Cells: attendees/counted women at the month's best meeting (women only for "
                 "meetings of the rule's minimum attendees or more, else -).")
    for name, result in sorted(verdicts.items()):
        lines.append("")
        lines.append(f"{name}:")
        lines.extend(f"  {explain_english(reason)}" for reason in result.reasons)
    return "\n".join(lines)
