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
    reasons: tuple[str, ...]  # why it failed; empty when it passed
    explanation: str
    invalid: tuple[tuple[str, str], ...]  # (voter, reason)


def decide_proposal(positions: Sequence[Position], *, eligible: int,
                    rules: ConsentRules | None = None) -> ProposalResult:
    rules = rules or ConsentRules()
    counts = dict.fromkeys(Stance, 0)
    invalid: list[tuple[str, str]] = []
    seen: set[str] = set()
    for position in positions:
        if position.voter in seen:
            invalid.append((position.voter, "a second position from the same voter"))
            continue
        seen.add(position.voter)
        try:
            counts[Stance(position.stance.strip().lower())] += 1
        except ValueError:
            invalid.append((position.voter, f"unknown position {position.stance!r}; use "
                                            "agree, abstain, disagree or block"))
    cast = sum(counts.values())
    if eligible < cast:
        raise ValueError(f"{cast} positions cast but only {eligible} eligible voters")
    turnout = Fraction(cast, eligible) if eligible else Fraction(0)
    quorum_met = turnout >= rules.quorum
    sides = counts[Stance.AGREE] + counts[Stance.DISAGREE]
    support = Fraction(counts[Stance.AGREE], sides) if sides else None
    reasons = []
    if not quorum_met:
        reasons.append(f"quorum not met: {cast} of {eligible} eligible voters took part, "
                       f"{_percent(turnout)} < {_percent(rules.quorum)}")
    if support is None:
        reasons.append("no one agreed or disagreed")
    elif support < rules.pass_threshold:
        reasons.append(f"support {_percent(support)} is below the threshold "
                       f"{_percent(rules.pass_threshold)}")
    if counts[Stance.BLOCK] > rules.max_blocks:
        reasons.append(f"{counts[Stance.BLOCK]} block(s); at most {rules.max_blocks} allowed")
    tally = ", ".join(f"{stance.value} {n}" for stance, n in counts.items())
    verdict = "Passes." if not reasons else "Fails: " + "; ".join(reasons) + "."
    explanation = (f"{tally}. Turnout {cast}/{eligible}; support "
                   f"{_percent(support) if support is not None else 'undefined'}. {verdict}")
    return ProposalResult(not reasons, counts, support, turnout, quorum_met, tuple(reasons),
                          explanation, tuple(invalid))


def _percent(share: Fraction) -> str:
    return f"{float(share) * 100:.1f}%"
