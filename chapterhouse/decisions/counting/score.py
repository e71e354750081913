"""Score voting: each ballot gives options a number; the highest total wins.

An option a ballot leaves out scores the minimum (0 by default), so the highest total is also
the highest average over all valid ballots.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from chapterhouse.decisions.counting.result import Invalid, Result, ScoreBallot, known_set
from chapterhouse.decisions.counting.totals import highest_totals


def count_score(ballots: Sequence[ScoreBallot], *, options: Sequence[str] | None = None,
                seats: int = 1, seed: str | None = None, min_score: Fraction = Fraction(0),
                max_score: Fraction | None = None) -> Result:
    if min_score < 0:
        raise ValueError("the minimum score cannot be negative")
    known = known_set(options)
    valid: list[ScoreBallot] = []
    invalid: list[Invalid] = []
    for ballot in ballots:
        reason = _problem(ballot, known, min_score, max_score)
        if reason is None:
            valid.append(ballot)
        else:
            invalid.append(Invalid(ballot.id, reason))
    names = options if options is not None else [o for b in valid for o, _ in b.scores]
    totals = {option: min_score * len(valid) for option in dict.fromkeys(names)}
    for ballot in valid:
        for option, score in ballot.scores:
            totals[option] += score - min_score
    return highest_totals("score", totals, seats=seats, valid=len(valid), invalid=invalid,
                          seed=seed, unit="points")


def _problem(ballot: ScoreBallot, known: frozenset[str] | None, low: Fraction,
             high: Fraction | None) -> str | None:
    if not ballot.scores:
        return "empty ballot: no option scored"
    seen: set[str] = set()
    for option, score in ballot.scores:
        if not option:
            return "an option name is empty"
        if option in seen:
            return f"{option!r} is scored twice"
        if known is not None and option not in known:
            return f"unknown option {option!r}"
        if score < low:
            return f"score {score} for {option!r} is below the minimum {low}"
        if high is not None and score > high:
            return f"score {score} for {option!r} is above the maximum {high}"
        seen.add(option)
    return None
