"""Single choice (plurality): each ballot names one option; the most named wins."""

from __future__ import annotations

from collections.abc import Sequence

from chapterhouse.decisions.counting.result import Ballot, Result, check_choices, known_set
from chapterhouse.decisions.counting.totals import most_named


def count_plurality(ballots: Sequence[Ballot], *, options: Sequence[str] | None = None,
                    seats: int = 1, seed: str | None = None) -> Result:
    """`seats` > 1 is single non-transferable vote: the `seats` most named options win."""
    known = known_set(options)

    def check(ballot: Ballot) -> str | None:
        reason = check_choices(ballot, known, "chosen")
        if reason is None and len(ballot.choices) > 1:
            reason = (f"{len(ballot.choices)} options chosen ({', '.join(ballot.choices)}); "
                      "a single-choice ballot names one")
        return reason

    return most_named("plurality", ballots, check=check, options=options, seats=seats,
                      seed=seed, unit="votes")
