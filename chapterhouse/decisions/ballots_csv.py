"""Read ballots from CSV: a header `ballot,choices`, one row per ballot.

The choices column is written per method: a ranking `A>B>C` (irv, stv), a set `A;B`
(approval), one option `A` (plurality) or scores `A=4;B=2` (score). Problems with one ballot's
marks (a score that is not a number, an empty name between separators) make that ballot invalid
with a reason, reported by its id; the counting modules add the rest (an option twice, an empty
ballot, two options on a plurality ballot). A score is read only if it is a number a person
would write (chapterhouse.domain.csvfiles.bounded_fraction: `1e999999999` makes the ballot invalid
instead of taking minutes to convert). Problems with the file itself (no header, a column named
twice, a missing or repeated ballot id, a row with too many fields, a binary or non-UTF-8 file)
raise `BallotsError` with a reason code (`ballot.csv.*`, words in decisions/reasons.py; `csv.*`
for the file itself) and the line, since no honest count can be made from it. Pure: text in,
ballots and reason codes out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Generic, TypeVar

from chapterhouse.decisions.counting.result import Ballot, Invalid, ScoreBallot
from chapterhouse.domain.csvfiles import (
    CsvError,
    NumberError,
    bounded_fraction,
    check_width,
    header_names,
    records,
    shown,
)
from chapterhouse.domain.csvfiles import read_lines as read_csv_lines
from chapterhouse.domain.reasons import Reason, reason

B = TypeVar("B", Ballot, ScoreBallot)
COLUMNS = ("ballot", "choices")
SEPARATORS = {"irv": ">", "stv": ">", "approval": ";", "plurality": ";"}
METHODS = (*SEPARATORS, "score")


class BallotsError(CsvError):
    """The file cannot be counted; the reason says why, the line where."""


@dataclass
class ParsedBallots(Generic[B]):
    ballots: list[B] = field(default_factory=list)
    invalid: list[Invalid] = field(default_factory=list)  # unreadable marks, by ballot id
    lines: dict[str, int] = field(default_factory=dict)  # ballot id -> line, for ordering


def read_lines(path: str | Path) -> list[str]:
    return read_csv_lines(path, BallotsError)


def parse_choice_ballots(lines: list[str], method: str) -> ParsedBallots[Ballot]:
    """Ballots for irv, stv, approval or plurality."""
    if method not in SEPARATORS:
        raise ValueError(f"unknown method {method!r}")
    parsed: ParsedBallots[Ballot] = ParsedBallots()
    # Most voters cast a ranking someone else cast too: each distinct text is split once, and
    # identical ballots share their marks (issue 12).
    split: dict[str, tuple[tuple[str, ...], Reason | None]] = {}
    for ballot_id, text in _rows(lines, parsed.lines):
        done = split.get(text)
        if done is None:
            done = split[text] = _split(text, method)
        marks, problem = done
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
        raise BallotsError(reason("ballot.csv.empty"), 1)
    rows = records(lines, BallotsError)
    header_line, first = next(rows)
    header = header_names(first, header_line, BallotsError)
    if any(c not in header for c in COLUMNS):
        raise BallotsError(reason("ballot.csv.missing_header", found=shown(",".join(header))),
                           header_line)
    at_id, at_choices = header.index("ballot"), header.index("choices")
    for line, row in rows:
        if not "".join(row).strip():  # a blank row: every cell empty or spaces
            continue
        check_width(row, len(header), line, BallotsError, code="ballot.csv.too_wide")
        ballot_id = row[at_id].strip() if at_id < len(row) else ""
        if not ballot_id:
            raise BallotsError(reason("ballot.csv.empty_id"), line)
        if ballot_id in seen:
            raise BallotsError(reason("ballot.csv.duplicate_id", id=shown(ballot_id),
                                      first_line=seen[ballot_id]), line)
        seen[ballot_id] = line
        yield ballot_id, row[at_choices].strip() if at_choices < len(row) else ""


def _split(text: str, method: str) -> tuple[tuple[str, ...], Reason | None]:
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
        return (), reason("ballot.csv.empty_name_at", position=position, text=shown(text))
    return marks, None


def _scores(text: str) -> tuple[tuple[tuple[str, Fraction], ...], Reason | None]:
    if not text:
        return (), None
    scores: list[tuple[str, Fraction]] = []
    for part in text.split(";"):
        name, equals, value = (s.strip() for s in part.partition("="))
        if not name:
            return (), reason("ballot.csv.empty_name_in", text=shown(part.strip()))
        if not equals or not value:
            return (), reason("ballot.csv.no_score", option=shown(name))
        try:
            score = bounded_fraction(value)
        except NumberError as problem:
            # The problem is csvfiles' own reason, nested: its words end the sentence.
            return (), reason("ballot.csv.bad_score", value=shown(value), option=shown(name),
                              problem=[problem.reason.as_json()])
        scores.append((name, score))
    return tuple(scores), None
