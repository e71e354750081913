"""Single choice (plurality): each ballot names one option; the most named wins."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from chapterhouse.decisions.counting.result import (
    Ballot,
    Invalid,
    Result,
    check_choices,
    known_set,
    options_of,
)
from chapterhouse.decisions.counting.totals import highest_totals


def count_plurality(ballots: Sequence[Ballot], *, options: Sequence[str] | None = None,
                    seats: int = 1, seed: str | None = None) -> Result:
    """`seats` > 1 is single non-transferable vote: the `seats` most named options win."""
    known = known_set(options)
    valid: list[Ballot] = []
    invalid: list[Invalid] = []
    for ballot in ballots:
        reason = check_choices(ballot, known, "chosen")
        if reason is None and len(ballot.choices) > 1:
            reason = f"{len(ballot.choices)} options chosen ({', '.join(ballot.choices)}); " \
                     "a single-choice ballot names one"
        if reason is None:
            valid.append(ballot)
        else:
            invalid.append(Invalid(ballot.id, reason))
    totals = dict.fromkeys(options_of((b.choices for b in valid), options), Fraction(0))
    for ballot in valid:
        totals[ballot.choices[0]] += 1
    return highest_totals("plurality", totals, seats=seats, valid=len(valid), invalid=invalid,
                          seed=seed, unit="votes")
