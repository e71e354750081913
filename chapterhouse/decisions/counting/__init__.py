"""Vote counting: pure, typed functions over plain ballots (no Django, no database).

One module per method; each returns a `Result` with `winners`, `rounds` and `invalid`
ballots with reasons. See docs/counting.md for the rules, quota, transfers and tie-breaking.
"""

from collections.abc import Sequence

from chapterhouse.decisions.counting.approval import count_approval
from chapterhouse.decisions.counting.consent import (
    ConsentRules,
    Position,
    ProposalResult,
    Stance,
    decide_proposal,
)
from chapterhouse.decisions.counting.irv import count_irv
from chapterhouse.decisions.counting.plurality import count_plurality
from chapterhouse.decisions.counting.result import Ballot, Invalid, Result, Round, ScoreBallot
from chapterhouse.decisions.counting.score import count_score
from chapterhouse.decisions.counting.stv import count_stv, droop_quota


def count_choices(method: str, ballots: Sequence[Ballot], *, options: Sequence[str] | None,
                  seats: int = 1, seed: str | None = None) -> Result:
    """Count plain ballots (rankings or sets of options) by `method`: irv, stv, plurality or
    approval. The one dispatch for the web's polls and the `count` command."""
    if method == "irv":
        return count_irv(ballots, options=options, seed=seed)
    if method == "stv":
        return count_stv(ballots, seats=seats, options=options, seed=seed)
    if method == "plurality":
        return count_plurality(ballots, options=options, seats=seats, seed=seed)
    if method == "approval":
        return count_approval(ballots, options=options, seats=seats, seed=seed)
    raise ValueError(f"unknown method {method!r}")


__all__ = [
    "Ballot",
    "ConsentRules",
    "Invalid",
    "Position",
    "ProposalResult",
    "Result",
    "Round",
    "ScoreBallot",
    "Stance",
    "count_approval",
    "count_choices",
    "count_irv",
    "count_plurality",
    "count_score",
    "count_stv",
    "decide_proposal",
    "droop_quota",
]
