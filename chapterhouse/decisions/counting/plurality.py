"""Single choice (plurality): each ballot names one option; the most named wins."""

from __future__ import annotations

from collections.abc import Sequence

from chapterhouse.decisions.counting.result import Ballot, Result, check_choices, known_set
from chapterhouse.decisions.counting.totals import most_named
from chapterhouse.domain.reasons import Reason, reason


def count_plurality(ballots: Sequence[Ballot], *, options: Sequence[str] | None = None,
                    seats: int = 1, seed: str | None = None) -> Result:
    """`seats` > 1 is single non-transferable vote: the `seats` most named options win."""
    known = known_set(options)

    def check(ballot: Ballot) -> Reason | None:
        problem = check_choices(ballot, known, "chosen")
        if problem is None and len(ballot.choices) > 1:
            problem = reason("ballot.several_chosen", count=len(ballot.choices),
                             options=list(ballot.choices))
        return problem

    return most_named("plurality", ballots, check=check, options=options, seats=seats,
                      seed=seed, unit="votes")
