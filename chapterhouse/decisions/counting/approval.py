"""Multiple choice (approval): each ballot approves any number of options; most approvals win."""

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


def count_approval(ballots: Sequence[Ballot], *, options: Sequence[str] | None = None,
                   seats: int = 1, seed: str | None = None) -> Result:
    """`seats` > 1 elects the `seats` most approved options (block approval)."""
    known = known_set(options)
    valid: list[Ballot] = []
    invalid: list[Invalid] = []
    for ballot in ballots:
        reason = check_choices(ballot, known, "approved")
        if reason is None:
            valid.append(ballot)
        else:
            invalid.append(Invalid(ballot.id, reason))
    totals = dict.fromkeys(options_of((b.choices for b in valid), options), Fraction(0))
    for ballot in valid:
        for option in ballot.choices:
            totals[option] += 1
    return highest_totals("approval", totals, seats=seats, valid=len(valid), invalid=invalid,
                          seed=seed, unit="approvals")
