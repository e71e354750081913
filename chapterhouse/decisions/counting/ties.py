"""Tie-breaking: earlier rounds first, then one fixed order that is stated in the output.

Lots drawn at count time cannot be re-checked by anyone reading the result later, so the last
resort is a deterministic order of the options: alphabetical by default, or, given a seed agreed
before the vote, the order of SHA-256("<seed>\\n<option>"). Earlier in the order is favoured:
it is elected first and excluded last.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Literal

from chapterhouse.domain.reasons import Reason, reason

# What a tie was about: which option to exclude, whose surplus goes first, who is elected first.
Doing = Literal["exclusion", "surplus", "election"]


class TieBreak:
    def __init__(self, options: Iterable[str], seed: str | None = None) -> None:
        self.seed = seed
        self.order: tuple[str, ...] = tuple(sorted(set(options), key=self._key))
        self._rank = {option: i for i, option in enumerate(self.order)}

    def _key(self, option: str) -> tuple[str, str]:
        if self.seed is None:
            return (option.casefold(), option)
        digest = hashlib.sha256(f"{self.seed}\n{option}".encode()).hexdigest()
        return (digest, option)

    def statement(self) -> Reason:
        """Ties that earlier rounds do not settle favour the option earlier in this order."""
        if self.seed is None:
            return reason("ties.order.alphabetical", order=list(self.order))
        return reason("ties.order.seeded", seed=self.seed, order=list(self.order))

    def favoured_first(self, options: Iterable[str]) -> list[str]:
        return sorted(options, key=self._rank.__getitem__)


def by_history(tied: Sequence[str], history: Sequence[Mapping[str, Fraction]],
               fewest: bool) -> list[str]:
    """Narrow a tie using earlier rounds, starting from the first round.

    In the earliest round where the tied options' votes differ, keep those with the fewest
    (`fewest=True`, for exclusion) or the most votes; go on to later rounds while several remain.
    """
    remaining = list(tied)
    for tallies in history:
        if len(remaining) < 2:
            break
        values = {o: tallies.get(o, Fraction(0)) for o in remaining}
        target = min(values.values()) if fewest else max(values.values())
        remaining = [o for o in remaining if values[o] == target]
    return remaining


def settle(tied: Sequence[str], history: Sequence[Mapping[str, Fraction]], *, fewest: bool,
           tie_break: TieBreak, notes: list[Reason], round_number: int, doing: Doing) -> str:
    """One option out of `tied` (more than one): the one to exclude (`fewest`) or to favour.

    Every tie is written to `notes` with how it was settled, so the output can be audited.
    """
    names = tie_break.favoured_first(tied)
    left = by_history(tied, history, fewest)
    if len(left) == 1:
        notes.append(reason(f"ties.{doing}.by_history", round=round_number, tied=names,
                            chosen=left[0]))
        return left[0]
    ordered = tie_break.favoured_first(left)
    chosen = ordered[-1] if fewest else ordered[0]
    notes.append(reason(f"ties.{doing}.by_order", round=round_number, tied=names, left=ordered,
                        chosen=chosen))
    return chosen


def rank_options(totals: Mapping[str, Fraction], tie_break: TieBreak) -> list[str]:
    """Most votes first; equal totals in the tie-break order."""
    return sorted(totals, key=lambda o: (-totals[o], tie_break.order.index(o)))
