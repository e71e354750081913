"""Read ballots from CSV: a header `ballot,choices`, one row per ballot.

The choices column is written per method: a ranking `A>B>C` (irv, stv), a set `A;B`
(approval), one option `A` (plurality) or scores `A=4;B=2` (score). Problems with one ballot's
marks (a score that is not a number, an empty name between separators) make that ballot invalid
with a reason, reported by its id; the counting modules add the rest (an option twice, an empty
ballot, two options on a plurality ballot). Problems with the file itself (no header, a missing
or repeated ballot id, a row with too many fields) raise `BallotsError` naming the line, since
no honest count can be made from it. Pure: text in, ballots out.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Generic, TypeVar

from chapterhouse.decisions.counting.result import Ballot, Invalid, ScoreBallot

B = TypeVar("B", Ballot, ScoreBallot)
COLUMNS = ("ballot", "choices")
SEPARATORS = {"irv": ">", "stv": ">", "approval": ";", "plurality": ";"}
METHODS = (*SEPARATORS, "score")


class BallotsError(ValueError):
    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(f"line {line}: {message}" if line is not None else message)
        self.line = line


@dataclass
class ParsedBallots(Generic[B]):
    ballots: list[B] = field(default_factory=list)
    invalid: list[Invalid] = field(default_factory=list)  # unreadable marks, by ballot id
    lines: dict[str, int] = field(default_factory=dict)  # ballot id -> line, for ordering


def read_lines(path: str | Path) -> list[str]:
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return handle.read().splitlines(keepends=True)
    except UnicodeDecodeError as error:
        raise BallotsError(f"{path} is not UTF-8 text ({error.reason})") from error
    except OSError as error:
        raise BallotsError(f"cannot read {path}: {error.strerror}") from error


def parse_choice_ballots(lines: list[str], method: str) -> ParsedBallots[Ballot]:
    """Ballots for irv, stv, approval or plurality."""
    if method not in SEPARATORS:
        raise ValueError(f"unknown method {method!r}")
    parsed: ParsedBallots[Ballot] = ParsedBallots()
    for ballot_id, text in _rows(lines, parsed.lines):
        marks, problem = _split(text, method)
        if problem:
            parsed.invalid.append(Invalid(ballot_id, problem))
        else:
            parsed.ballots.append(Ballot(ballot_id, marks))
    return parsed


def parse_score_ballots(lines: list[str]) -> ParsedBallots[ScoreBallot]:
    parsed: ParsedBallots[ScoreBallot] = ParsedBallots()
    for ballot_id, text in _rows(lines, parsed.lines):
        scores, problem = _scores(text)
        if problem:
            parsed.invalid.append(Invalid(ballot_id, problem))
        else:
            parsed.ballots.append(ScoreBallot(ballot_id, scores))
    return parsed


def _rows(lines: list[str], seen: dict[str, int]) -> Iterator[tuple[str, str]]:
    """(ballot id, choices text) per data row; file-level problems raise."""
    if not "".join(lines).strip():
        raise BallotsError("the file is empty; expected a header ballot,choices", 1)
    reader = csv.reader(lines)
    header = [h.strip().lower() for h in next(reader)]
    if any(c not in header for c in COLUMNS):
        raise BallotsError(f"missing header: expected the columns ballot,choices, found "
                           f"{','.join(header)!r}", reader.line_num)
    at_id, at_choices = header.index("ballot"), header.index("choices")
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            raise BallotsError(f"{len(row)} fields but the header has {len(header)}; put "
                               "choices that contain a comma in double quotes", line)
        ballot_id = row[at_id].strip() if at_id < len(row) else ""
        if not ballot_id:
            raise BallotsError("the ballot id is empty", line)
        if ballot_id in seen:
            raise BallotsError(f"duplicate ballot id {ballot_id!r} (first on line "
                               f"{seen[ballot_id]})", line)
        seen[ballot_id] = line
        yield ballot_id, row[at_choices].strip() if at_choices < len(row) else ""


def _split(text: str, method: str) -> tuple[tuple[str, ...], str | None]:
    if not text:
        return (), None  # an empty ballot: the counting module says so
    separator = SEPARATORS[method]
    if method == "plurality":
        # Two options on a single-choice ballot must reach the counter as two, whichever
        # separator the voter or the export used.
        text = text.replace(">", ";")
    marks = tuple(part.strip() for part in text.split(separator))
    if "" in marks:
        position = marks.index("") + 1
        return (), f"empty option name at position {position} of {text!r}"
    return marks, None


def _scores(text: str) -> tuple[tuple[tuple[str, Fraction], ...], str | None]:
    if not text:
        return (), None
    scores: list[tuple[str, Fraction]] = []
    for part in text.split(";"):
        name, equals, value = (s.strip() for s in part.partition("="))
        if not name:
            return (), f"empty option name in {part.strip()!r}"
        if not equals or not value:
            return (), f"{name!r} has no score; write option=number"
        try:
            score = Fraction(value)
        except (ValueError, ZeroDivisionError):
            return (), f"score {value!r} for {name!r} is not a number"
        scores.append((name, score))
    return tuple(scores), None
