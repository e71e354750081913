"""A convention session's count: weighted votes, quorum counted in weight. Pure and typed.

Each credentialed delegate carries a weight (1 each, or their chapter's members shared among
its delegates: convention/selectors.py). A delegate is present when their vote was cast, by
them or by the holder of their proxy; the quorum is met when the weight present reaches the
quorum share of all the delegates' weight. The motion passes when the quorum is met and the
weight for it is more than the weight against it (abstentions count toward the quorum only).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True, slots=True)
class SessionCount:
    total: Fraction  # every credentialed delegate's weight
    present: Fraction  # the weight of the votes cast
    yes: Fraction
    no: Fraction
    abstain: Fraction
    quorum: Fraction  # the share of `total` that must be present
    delegates: int
    voted: int
    by_proxy: int  # votes cast by a proxy's holder

    @property
    def quorum_met(self) -> bool:
        return self.total > 0 and self.present >= self.quorum * self.total

    @property
    def passed(self) -> bool:
        return self.quorum_met and self.yes > self.no


def session_count(weights: Mapping[int, Fraction], votes: Mapping[int, str],
                  quorum: Fraction, by_proxy: int = 0) -> SessionCount:
    """`weights`: delegate -> weight; `votes`: delegate -> "yes", "no" or "abstain" (a vote of
    someone without a credential any more is not counted)."""
    sums = {"yes": Fraction(0), "no": Fraction(0), "abstain": Fraction(0)}
    voted = 0
    for delegate, choice in votes.items():
        if delegate in weights and choice in sums:
            sums[choice] += weights[delegate]
            voted += 1
    total = sum(weights.values(), Fraction(0))
    return SessionCount(total, sum(sums.values(), Fraction(0)), sums["yes"], sums["no"],
                        sums["abstain"], quorum, len(weights), voted, by_proxy)
