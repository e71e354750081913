"""Proposals: agree / abstain / disagree / block, decided by consent rules.

A proposal passes when all three hold:
- quorum: at least `quorum` of the eligible voters cast a position (abstaining counts: it is
  taking part without taking a side);
- support: agree / (agree + disagree) >= `pass_threshold` (abstentions and blocks are left out
  of this share; with no agree and no disagree at all the share is undefined and it fails);
- blocks: no more than `max_blocks` (0 by default: one block stops the proposal).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from chapterhouse.domain.reasons import Reason, reason


class Stance(StrEnum):
    AGREE = "agree"
    ABSTAIN = "abstain"
    DISAGREE = "disagree"
    BLOCK = "block"


@dataclass(frozen=True)
class Position:
    voter: str
    stance: str  # a Stance value; anything else is reported as invalid


@dataclass(frozen=True)
class ConsentRules:
    pass_threshold: Fraction = Fraction(1, 2)
    max_blocks: int = 0
    quorum: Fraction = Fraction(0)  # share of eligible voters

    def __post_init__(self) -> None:
        if not 0 <= self.pass_threshold <= 1 or not 0 <= self.quorum <= 1:
            raise ValueError("the pass threshold and the quorum are shares between 0 and 1")
        if self.max_blocks < 0:
            raise ValueError("max_blocks cannot be negative")


@dataclass(frozen=True)
class ProposalResult:
    passed: bool
    counts: dict[Stance, int]
    support: Fraction | None  # agree / (agree + disagree); None when both are 0
    turnout: Fraction  # positions cast / eligible voters
    quorum_met: bool
    reasons: tuple[Reason, ...]  # why it failed; empty when it passed
    explanation: tuple[Reason, ...]  # the counts, turnout and support, and the verdict
    invalid: tuple[tuple[str, Reason], ...]  # (voter, reason)


def decide_proposal(positions: Sequence[Position], *, eligible: int,
                    rules: ConsentRules | None = None) -> ProposalResult:
    rules = rules or ConsentRules()
    counts = dict.fromkeys(Stance, 0)
    invalid: list[tuple[str, Reason]] = []
    seen: set[str] = set()
    for position in positions:
        if position.voter in seen:
            invalid.append((position.voter, reason("consent.second_position")))
            continue
        seen.add(position.voter)
        try:
            counts[Stance(position.stance.strip().lower())] += 1
        except ValueError:
            invalid.append((position.voter,
                            reason("consent.unknown_position", position=position.stance)))
    cast = sum(counts.values())
    if eligible < cast:
        raise ValueError(f"{cast} positions cast but only {eligible} eligible voters")
    turnout = Fraction(cast, eligible) if eligible else Fraction(0)
    quorum_met = turnout >= rules.quorum
    sides = counts[Stance.AGREE] + counts[Stance.DISAGREE]
    support = Fraction(counts[Stance.AGREE], sides) if sides else None
    reasons: list[Reason] = []
    if not quorum_met:
        reasons.append(reason("consent.fails.quorum", cast=cast, eligible=eligible,
                              turnout=_percent(turnout), quorum=_percent(rules.quorum)))
    if support is None:
        reasons.append(reason("consent.fails.no_sides"))
    elif support < rules.pass_threshold:
        reasons.append(reason("consent.fails.support", support=_percent(support),
                              threshold=_percent(rules.pass_threshold)))
    if counts[Stance.BLOCK] > rules.max_blocks:
        reasons.append(reason("consent.fails.blocks", blocks=counts[Stance.BLOCK],
                              allowed=rules.max_blocks))
    explanation = (
        reason("consent.tally", **{stance.value: n for stance, n in counts.items()}),
        reason("consent.turnout", cast=cast, eligible=eligible,
               support=_percent(support) if support is not None else None),
        reason("consent.passes") if not reasons
        else reason("consent.fails", reasons=[r.as_json() for r in reasons]),
    )
    return ProposalResult(not reasons, counts, support, turnout, quorum_met, tuple(reasons),
                          explanation, tuple(invalid))


def _percent(share: Fraction) -> float:
    """A share as a percentage rounded to 0.1 (the words format it for the reader)."""
    return round(float(share) * 100, 1)
