"""From stored ballots to a result, through the pure counting modules. Pure: plain data in,
JSON-ready data out (this is what a closed poll freezes). Every sentence in it is a reason code
with its parameters (`Reason.as_json()`), never prose, so a result reads in every language.

Ballots are numbered 1..n in the order given (for a secret poll, the shuffled box), so an
invalid ballot can be reported without naming anyone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from chapterhouse.decisions.counting import (
    Ballot,
    ConsentRules,
    Position,
    ScoreBallot,
    count_choices,
    count_score,
    decide_proposal,
)


@dataclass(frozen=True)
class PollSpec:
    kind: str
    labels: Mapping[int, str]  # option id -> label, in ballot order
    seats: int = 1
    max_score: int = 5
    quorum: Decimal = Decimal(0)
    pass_threshold: Decimal = Decimal("0.5")
    max_blocks: int = 0


@dataclass(frozen=True)
class StoredBallot:
    marks: list[int] | dict[str, int]
    stance: str = ""


def method_for(spec: PollSpec) -> str:
    if spec.kind == "ranked":
        return "irv" if spec.seats == 1 else "stv"
    return {"single": "plurality", "multiple": "approval", "approval": "approval",
            "score": "score", "proposal": "consent"}[spec.kind]


def tally(spec: PollSpec, ballots: Sequence[StoredBallot], *, eligible: int) -> dict[str, Any]:
    """The result: method, turnout, quorum, winners and the count's rounds (or the proposal's
    counts). With the quorum not met there are no winners, but the count is still shown."""
    cast = len(ballots)
    eligible = max(eligible, cast)  # a voter who has since left still counted when they voted
    turnout = Fraction(cast, eligible) if eligible else Fraction(0)
    quorum = Fraction(spec.quorum)
    base: dict[str, Any] = {
        "kind": spec.kind, "method": method_for(spec), "ballots": cast, "eligible": eligible,
        "turnout": _share(turnout), "quorum": _share(quorum), "quorum_met": turnout >= quorum,
    }
    if spec.kind == "proposal":
        rules = ConsentRules(pass_threshold=Fraction(spec.pass_threshold),
                             max_blocks=spec.max_blocks, quorum=quorum)
        decided = decide_proposal([Position(str(i), b.stance) for i, b in enumerate(ballots, 1)],
                                  eligible=eligible, rules=rules)
        return base | {
            "passed": decided.passed, "winners": [],
            "counts": {stance.value: n for stance, n in decided.counts.items()},
            "support": _share(decided.support) if decided.support is not None else None,
            "pass_threshold": _share(rules.pass_threshold),
            "reasons": [r.as_json() for r in decided.reasons],
            "explanation": [r.as_json() for r in decided.explanation],
            "invalid": [{"ballot": v, "reason": r.as_json()} for v, r in decided.invalid],
        }
    labels = spec.labels
    options = list(labels.values())
    if spec.kind == "score":
        scored = [ScoreBallot(str(i), tuple((labels.get(int(o), o), Fraction(s))
                                            for o, s in _scores(b.marks).items()))
                  for i, b in enumerate(ballots, 1)]
        result = count_score(scored, options=options, seats=spec.seats,
                             max_score=Fraction(spec.max_score))
    else:
        plain = [Ballot(str(i), tuple(labels.get(o, str(o)) for o in _choices(b.marks)))
                 for i, b in enumerate(ballots, 1)]
        result = count_choices(base["method"], plain, options=options, seats=spec.seats)
    count = result.to_json()
    winners = count["winners"] if base["quorum_met"] else []
    return base | {"passed": bool(winners), "winners": winners, "count": count,
                   "invalid": count["invalid"]}


def _scores(marks: list[int] | dict[str, int]) -> dict[str, int]:
    """A score ballot's marks ({option id: score}); other marks score nothing."""
    return marks if isinstance(marks, dict) else {}


def _choices(marks: list[int] | dict[str, int]) -> list[int]:
    """A choice ballot's marks (option ids, a ranking in order)."""
    return marks if isinstance(marks, list) else []


def _share(value: Fraction) -> str:
    """Shares as decimal strings (JSON has no fractions); 4 places is 0.01%."""
    return f"{float(value):.4f}"
