"""Vote counting: pure, typed functions over plain ballots (no Django, no database).

One module per method; each returns a `Result` with `winners`, `rounds` and `invalid`
ballots with reasons. See docs/counting.md for the rules, quota, transfers and tie-breaking.
"""

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
    "count_irv",
    "count_plurality",
    "count_score",
    "count_stv",
    "decide_proposal",
    "droop_quota",
]
