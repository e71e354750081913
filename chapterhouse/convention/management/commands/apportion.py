"""`chapterhouse apportion`: apportion seats among units (a CSV `unit,population`) by Hamilton,
Jefferson/D'Hondt, Webster/Sainte-Lague or Huntington-Hill, with a floor; print JSON or a table.

Needs no database: the file is the whole input. `run_apportion` does the work and returns
(exit code, text) so it is tested without the command machinery. Every bad input (an unknown
method, seats too few for the floor, a file problem naming its line) ends with a one-line
message and exit status 2, as argparse's own errors do, and prints nothing else.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chapterhouse.convention.units_csv import parse_units
from chapterhouse.core.reasons import explain_english
from chapterhouse.core.reasons_csv import csv_error_english
from chapterhouse.domain.apportionment import (
    ALIASES,
    Apportionment,
    ApportionmentError,
    Method,
    apportion,
    method_named,
)
from chapterhouse.domain.csvfiles import CsvError, read_lines

USAGE_ERROR = 2
METHOD_NAMES = [m.value for m in Method] + sorted(ALIASES)


class Command(BaseCommand):
    help = ("Apportion seats among units (FILE.csv with the header unit,population) by "
            "hamilton, jefferson (dhondt), webster (sainte-lague) or huntington-hill, each "
            "unit getting at least --floor seats.")
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--units", required=True, metavar="FILE.csv")
        parser.add_argument("--seats", required=True, metavar="N")
        parser.add_argument("--method", required=True, metavar="M",
                            help=", ".join(METHOD_NAMES))
        parser.add_argument("--floor", default="1", metavar="K",
                            help="seats every unit gets at least (default 1)")
        parser.add_argument("--format", choices=["json", "table"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        code, text = run_apportion(options)
        if code:
            raise CommandError(text, returncode=code)
        self.stdout.write(text, ending="")


def _whole(text: object, option: str) -> int:
    value = str(text).strip()
    if not value.isascii() or not value.isdigit() or len(value) > 9:
        raise ValueError(f"{option} must be a whole number from 0, not {value[:20]!r}")
    return int(value)


def run_apportion(options: dict[str, Any]) -> tuple[int, str]:
    """The whole command: (0, output) or (2, the error message)."""
    try:
        method = method_named(str(options.get("method") or ""))
    except ValueError:
        return USAGE_ERROR, f"--method must be one of {', '.join(METHOD_NAMES)}"
    try:
        seats = _whole(options.get("seats"), "--seats")
        floor = _whole(options.get("floor", "1"), "--floor")
    except ValueError as error:
        return USAGE_ERROR, str(error)
    path = options["units"]
    try:
        units = parse_units(read_lines(path))
        result = apportion(units, seats, method, floor)
    except CsvError as error:
        return USAGE_ERROR, f"{path}: {csv_error_english(error)}"
    except ApportionmentError as error:
        return USAGE_ERROR, explain_english(error.reason)
    if options.get("format") == "table":
        return 0, as_table(result)
    return 0, json.dumps(as_json(result), indent=2, ensure_ascii=False) + "\n"


def as_json(result: Apportionment) -> dict[str, Any]:
    return {
        "method": result.method.value,
        "seats": result.seats,
        "floor": result.floor,
        "tie_at_last_seat": result.tie,
        "units": [{"unit": s.name, "population": s.population, "seats": s.seats,
                   "quota": round(float(s.quota), 4)} for s in result.shares],
    }


def as_table(result: Apportionment) -> str:
    width = max(len("unit"), *(len(s.name) for s in result.shares))
    lines = [f"{result.method.value}: {result.seats} seats, floor {result.floor}",
             f"{'unit':<{width}}  {'population':>12}  {'quota':>10}  {'seats':>5}"]
    lines += [f"{s.name:<{width}}  {s.population:>12,}  {float(s.quota):>10.3f}  {s.seats:>5}"
              for s in result.shares]
    if result.tie:
        lines.append("the last seat was tied and went to the larger population "
                     "(then the unit listed first)")
    return "\n".join(lines) + "\n"
