"""`chapterhouse count`: count a CSV of ballots by one method, as JSON or a table.

Needs no database: the file is the whole input. `run_count` does the work and returns
(exit code, text) so it can be tested without installing the app; `Command` only wraps it.
"""

from __future__ import annotations

import dataclasses
import json
from fractions import Fraction
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chapterhouse.decisions.ballots_csv import (
    METHODS,
    BallotsError,
    parse_choice_ballots,
    parse_score_ballots,
    read_lines,
)
from chapterhouse.decisions.counting import (
    Ballot,
    Result,
    count_approval,
    count_irv,
    count_plurality,
    count_score,
    count_stv,
)
from chapterhouse.decisions.counting.report import as_table

FILE_ERROR, USAGE_ERROR = 1, 2


class Command(BaseCommand):
    help = ("Count ballots (FILE.csv with the header ballot,choices) by plurality, approval, "
            "irv, stv or score; print winners, rounds and invalid ballots.")
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--ballots", required=True, metavar="FILE.csv")
        parser.add_argument("--method", required=True, choices=METHODS)
        parser.add_argument("--seats", type=int, default=1)
        parser.add_argument("--format", choices=["json", "table"], default="json")
        parser.add_argument("--options", metavar="A,B,C",
                            help="the options on the ballot; others named are invalid")
        parser.add_argument("--seed", help="seed for the last-resort tie-break order "
                                           "(default: alphabetical)")
        parser.add_argument("--max-score", metavar="N", help="highest allowed score")

    def handle(self, *args: Any, **options: Any) -> None:
        code, text = run_count(options)
        if code:
            raise CommandError(text, returncode=code)
        self.stdout.write(text, ending="")


def run_count(options: dict[str, Any]) -> tuple[int, str]:
    """The whole command: (0, output) or (exit code, error message)."""
    method = options.get("method")
    seats = options.get("seats")
    seats = 1 if seats is None else seats
    if method not in METHODS:
        return USAGE_ERROR, f"--method must be one of {', '.join(METHODS)}"
    if seats < 1:
        return USAGE_ERROR, "--seats must be at least 1"
    if method == "irv" and seats != 1:
        return USAGE_ERROR, "irv elects one winner; use --method stv for several seats"
    names = options.get("options")
    choices = [n.strip() for n in names.split(",") if n.strip()] if names else None
    seed = options.get("seed")
    path = options["ballots"]
    try:
        lines = read_lines(path)
        if method == "score":
            scored = parse_score_ballots(lines)
            parsed_invalid, order = scored.invalid, scored.lines
            result = count_score(scored.ballots, options=choices, seats=seats, seed=seed,
                                 max_score=_score(options.get("max_score")))
        else:
            parsed = parse_choice_ballots(lines, method)
            parsed_invalid, order = parsed.invalid, parsed.lines
            result = _count(method, parsed.ballots, choices, seats, seed)
    except BallotsError as error:
        return FILE_ERROR, f"{path}: {error}"
    except ValueError as error:
        return USAGE_ERROR, str(error)
    # Unreadable marks and uncountable ballots are reported together, in file order.
    invalid = sorted((*parsed_invalid, *result.invalid), key=lambda i: order[i.ballot])
    result = dataclasses.replace(result, invalid=tuple(invalid))
    if options.get("format") == "table":
        return 0, as_table(result) + "\n"
    return 0, json.dumps(result.to_json(), indent=2, ensure_ascii=False) + "\n"


def _count(method: str, ballots: list[Ballot], choices: list[str] | None, seats: int,
           seed: str | None) -> Result:
    if method == "irv":
        return count_irv(ballots, options=choices, seed=seed)
    if method == "stv":
        return count_stv(ballots, seats=seats, options=choices, seed=seed)
    counter = count_approval if method == "approval" else count_plurality
    return counter(ballots, options=choices, seats=seats, seed=seed)


def _score(text: str | None) -> Fraction | None:
    if text is None:
        return None
    try:
        return Fraction(text)
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"--max-score {text!r} is not a number") from None
