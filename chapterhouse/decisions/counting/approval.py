"""Multiple choice (approval): each ballot approves any number of options; most approvals win."""

from __future__ import annotations

from collections.abc import Sequence

from chapterhouse.decisions.counting.result import Ballot, Result, check_choices, known_set
from chapterhouse.decisions.counting.totals import most_named


def count_approval(ballots: Sequence[Ballot], *, options: Sequence[str] | None = None,
                   seats: int = 1, seed: str | None = None) -> Result:
    """`seats` > 1 elects the `seats` most approved options (block approval)."""
    known = known_set(options)
    return most_named("approval", ballots, check=lambda b: check_choices(b, known, "approved"),
                      options=options, seats=seats, seed=seed, unit="approvals")
