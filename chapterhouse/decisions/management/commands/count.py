"""`chapterhouse count`: count a CSV of ballots by one method, as JSON or a table.

Needs no database: the file is the whole input. `run_count` does the work and returns
(exit code, text) so it can be tested without installing the app; `Command` only wraps it.
Every bad input (an option out of range, a file problem naming its line) ends with a one-line
message and exit status 2, as argparse's own errors do. A ballot with unreadable marks is not
bad input: it is reported as invalid by its id and the count goes on, as with paper.
"""

from __future__ import annotations

import dataclasses
import json
import os
from fractions import Fraction
from importlib import import_module
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chapterhouse.core.reasons import explain_english
from chapterhouse.core.reasons_csv import csv_error_english
from chapterhouse.decisions.ballots_csv import (
    METHODS,
    BallotsError,
    parse_choice_ballots,
    parse_score_ballots,
    read_lines,
)
from chapterhouse.decisions.counting import (
    ConsentRules,
    Position,
    count_choices,
    count_score,
    decide_proposal,
)
from chapterhouse.decisions.reasons import sentences_english
from chapterhouse.decisions.report import as_json, as_table, proposal_table
from chapterhouse.domain.csvfiles import NumberError, bounded_fraction, shown
from chapterhouse.domain.reasons import reason

FILE_ERROR = USAGE_ERROR = 2
ALL_METHODS = (*METHODS, "consent")
# More seats than any election fills: beyond it --seats is a typing mistake.
MAX_SEATS = 1_000
# More options than any ballot a person fills in; also a bound on the time: settling STV's ties
# by earlier rounds grows with the cube of the options (300 tied options took 40 s).
MAX_OPTIONS = 100


class Command(BaseCommand):
    help = ("Count ballots (FILE.csv with the header ballot,choices) by plurality, approval, "
            "irv, stv or score, or decide a proposal (consent: agree, abstain, disagree, "
            "block); print winners, rounds and invalid ballots.")
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--ballots", required=True, metavar="FILE.csv")
        parser.add_argument("--method", required=True, choices=ALL_METHODS)
        parser.add_argument("--seats", type=int, default=1)
        parser.add_argument("--format", choices=["json", "table"], default="json")
        parser.add_argument("--options", metavar="A,B,C",
                            help="the options on the ballot; others named are invalid")
        parser.add_argument("--seed", help="seed for the last-resort tie-break order "
                                           "(default: alphabetical)")
        parser.add_argument("--max-score", metavar="N", help="highest allowed score")
        parser.add_argument("--eligible", type=int, metavar="N",
                            help="consent: eligible voters, for the quorum (default: ballots)")
        parser.add_argument("--quorum", default="0", metavar="SHARE",
                            help="consent: share of eligible voters who must take part")
        parser.add_argument("--threshold", default="1/2", metavar="SHARE",
                            help="consent: agree / (agree + disagree) needed, e.g. 2/3")
        parser.add_argument("--max-blocks", type=int, default=0, metavar="N",
                            help="consent: most blocks allowed (default 0)")

    def handle(self, *args: Any, **options: Any) -> None:
        code, text = run_count(options)
        if code:
            raise CommandError(text, returncode=code)
        self.stdout.write(text, ending="")


def run_without_apps(argv: list[str]) -> None:
    """`chapterhouse count ARGS` as `execute_from_command_line` runs it, but with the settings
    alone and no installed app: the words it needs (the counting's and the CSV errors', which
    the core and decisions apps register when ready) are registered here. Same output, same
    exit statuses, under half the start-up (bench/counting_speed.py)."""
    import logging.config

    from django.apps import apps
    from django.conf import settings

    from chapterhouse.core.reasons import reasons_register
    from chapterhouse.core.reasons_csv import WORDS as CSV_WORDS
    from chapterhouse.decisions.reasons import WORDS

    module = import_module(os.environ["DJANGO_SETTINGS_MODULE"])
    values = {name: getattr(module, name) for name in dir(module) if name.isupper()}
    settings.configure(**{**values, "INSTALLED_APPS": []})
    # What django.setup() does, less what a count of a file never uses and costs most of
    # the start-up: importing django.urls (and with it the ORM), and mailing the admins of
    # errors logged by Django (its handler imports the debug views); lines go to stderr.
    logging.captureWarnings(True)
    logging.config.dictConfig(_without_mail(settings.LOGGING))
    apps.populate(settings.INSTALLED_APPS)
    reasons_register(CSV_WORDS)
    reasons_register(WORDS)
    Command().run_from_argv(argv)


def _without_mail(config: dict[str, Any]) -> dict[str, Any]:
    mailers = {name for name, handler in config.get("handlers", {}).items()
               if handler.get("class") == "django.utils.log.AdminEmailHandler"}
    loggers = {name: {**logger, "handlers": [h for h in logger.get("handlers", [])
                                             if h not in mailers]}
               for name, logger in config.get("loggers", {}).items()}
    handlers = {name: handler for name, handler in config.get("handlers", {}).items()
                if name not in mailers}
    return {**config, "handlers": handlers, "loggers": loggers}


def run_count(options: dict[str, Any]) -> tuple[int, str]:
    """The whole command: (0, output) or (exit code, error message)."""
    method = options.get("method")
    seats = options.get("seats")
    seats = 1 if seats is None else seats
    if method not in ALL_METHODS:
        return USAGE_ERROR, f"--method must be one of {', '.join(ALL_METHODS)}"
    if method == "consent":
        return run_consent(options)
    if not 1 <= seats <= MAX_SEATS:
        return USAGE_ERROR, f"--seats must be between 1 and {MAX_SEATS:,}"
    if method == "irv" and seats != 1:
        return USAGE_ERROR, "irv elects one winner; use --method stv for several seats"
    names = options.get("options")
    choices = [n.strip() for n in names.split(",") if n.strip()] if names else None
    if choices is not None and len(set(choices)) > MAX_OPTIONS:
        return USAGE_ERROR, f"--options names {len(set(choices)):,} options; at most {MAX_OPTIONS}"
    seed = options.get("seed")
    path = options["ballots"]
    try:
        max_score = _score(options.get("max_score")) if method == "score" else None
    except ValueError as error:
        return USAGE_ERROR, str(error)
    try:
        lines = read_lines(path)
        if method == "score":
            scored = parse_score_ballots(lines)
            parsed_invalid, order = scored.invalid, scored.lines
            _check_options_count([[name for name, _ in b.scores] for b in scored.ballots],
                                 [order[b.id] for b in scored.ballots])
            result = count_score(scored.ballots, options=choices, seats=seats, seed=seed,
                                 max_score=max_score)
        else:
            parsed = parse_choice_ballots(lines, method)
            parsed_invalid, order = parsed.invalid, parsed.lines
            _check_options_count([b.choices for b in parsed.ballots],
                                 [order[b.id] for b in parsed.ballots])
            result = count_choices(method, parsed.ballots, options=choices, seats=seats,
                                       seed=seed)
    except BallotsError as error:
        return FILE_ERROR, f"{path}: {csv_error_english(error)}"
    except ValueError as error:
        return USAGE_ERROR, str(error)
    # Unreadable marks and uncountable ballots are reported together, in file order.
    invalid = sorted((*parsed_invalid, *result.invalid), key=lambda i: order[i.ballot])
    result = dataclasses.replace(result, invalid=tuple(invalid))
    if options.get("format") == "table":
        return 0, as_table(result) + "\n"
    return 0, json.dumps(as_json(result), indent=2, ensure_ascii=False) + "\n"


def _check_options_count(marks: list[list[str]] | list[tuple[str, ...]],
                         lines: list[int]) -> None:
    seen: set[str] = set()
    for names, line in zip(marks, lines, strict=True):
        seen.update(names)
        if len(seen) > MAX_OPTIONS:
            raise BallotsError(reason("ballot.csv.too_many_options", most=MAX_OPTIONS), line)


def _score(text: str | None) -> Fraction | None:
    if text is None:
        return None
    try:
        highest = bounded_fraction(text)
    except NumberError as problem:
        raise ValueError(f"--max-score {shown(text)} {explain_english(problem.reason)}") from None
    if highest <= 0:
        raise ValueError(f"--max-score must be above 0, not {shown(text)}")
    return highest


def run_consent(options: dict[str, Any]) -> tuple[int, str]:
    """A proposal from paper: one row per ballot, choices agree, abstain, disagree or block.
    An unknown position is reported by ballot id and not counted."""
    path = options["ballots"]
    eligible = options.get("eligible")
    max_blocks = options.get("max_blocks") or 0
    try:
        threshold = _share(options.get("threshold") or "1/2", "--threshold")
        quorum = _share(options.get("quorum") or "0", "--quorum")
    except ValueError as error:
        return USAGE_ERROR, str(error)
    if max_blocks < 0:
        return USAGE_ERROR, "--max-blocks cannot be negative"
    if eligible is not None and eligible < 0:
        return USAGE_ERROR, "--eligible cannot be negative"
    try:
        rules = ConsentRules(pass_threshold=threshold, quorum=quorum, max_blocks=max_blocks)
        parsed = parse_choice_ballots(read_lines(path), "plurality")
    except BallotsError as error:
        return FILE_ERROR, f"{path}: {csv_error_english(error)}"
    positions = [Position(b.id, ";".join(b.choices)) for b in parsed.ballots]
    positions += [Position(i.ballot, "") for i in parsed.invalid]
    try:
        decided = decide_proposal(positions, eligible=len(positions) if eligible is None
                                  else eligible, rules=rules)
    except ValueError as error:
        return USAGE_ERROR, f"--eligible {eligible}: {error}"
    if options.get("format") == "table":
        return 0, proposal_table(decided) + "\n"
    counts = {stance.value: n for stance, n in decided.counts.items()}
    data = {
        "method": "consent", "passed": decided.passed,
        "winners": ["agree"] if decided.passed else [],
        "rounds": [{"round": 1, "tallies": counts, "elected": [], "excluded": [],
                    "exhausted": 0, "explanation": sentences_english(decided.explanation)}],
        "counts": counts,
        "support": None if decided.support is None else round(float(decided.support), 6),
        "turnout": round(float(decided.turnout), 6), "quorum_met": decided.quorum_met,
        "reasons": [explain_english(why) for why in decided.reasons],
        "invalid": [{"ballot": voter, "reason": explain_english(why)}
                    for voter, why in decided.invalid],
    }
    return 0, json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _share(text: str, flag: str) -> Fraction:
    try:
        share = bounded_fraction(text)
    except ValueError:
        share = None
    if share is None or not 0 <= share <= 1:
        raise ValueError(f"{flag} {shown(text)} is not a share (write 0.5 or 2/3, "
                         "between 0 and 1)")
    return share
