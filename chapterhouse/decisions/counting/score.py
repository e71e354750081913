"""Score voting: each ballot gives options a number; the highest total wins.

An option a ballot leaves out scores the minimum (0 by default), so the highest total is also
the highest average over all valid ballots.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from chapterhouse.decisions.counting.result import Invalid, Result, ScoreBallot, known_set
from chapterhouse.decisions.counting.totals import highest_totals
from chapterhouse.domain.reasons import Reason, reason


def count_score(ballots: Sequence[ScoreBallot], *, options: Sequence[str] | None = None,
                seats: int = 1, seed: str | None = None, min_score: Fraction = Fraction(0),
                max_score: Fraction | None = None) -> Result:
    if min_score < 0:
        raise ValueError("the minimum score cannot be negative")
    known = known_set(options)
    valid: list[ScoreBallot] = []
    invalid: list[Invalid] = []
    for ballot in ballots:
        problem = _problem(ballot, known, min_score, max_score)
        if problem is None:
            valid.append(ballot)
        else:
            invalid.append(Invalid(ballot.id, problem))
    names = options if options is not None else [o for b in valid for o, _ in b.scores]
    totals = {option: min_score * len(valid) for option in dict.fromkeys(names)}
    for ballot in valid:
        for option, score in ballot.scores:
            totals[option] += score - min_score
    return highest_totals("score", totals, seats=seats, valid=len(valid), invalid=invalid,
                          seed=seed, unit="points")


def _problem(ballot: ScoreBallot, known: frozenset[str] | None, low: Fraction,
             high: Fraction | None) -> Reason | None:
    if not ballot.scores:
        return reason("ballot.empty.scored")
    seen: set[str] = set()
    for option, score in ballot.scores:
        if not option:
            return reason("ballot.empty_name")
        if option in seen:
            return reason("ballot.twice.scored", option=option)
        if known is not None and option not in known:
            return reason("ballot.unknown_option", option=option)
        if score < low:
            return reason("ballot.score.below", score=str(score), option=option, limit=str(low))
        if high is not None and score > high:
            return reason("ballot.score.above", score=str(score), option=option,
                          limit=str(high))
        seen.add(option)
    return None
