"""Instant-runoff voting: one winner from rankings.

Each round every valid ballot counts for its highest-ranked continuing option; a ballot with no
continuing option left is exhausted (counted per round, not dropped). An option with more than
half of the continuing ballots wins; otherwise the option with the fewest votes is excluded.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from chapterhouse.decisions.counting.result import (
    Ballot,
    Result,
    Round,
    known_set,
    options_of,
    shown_tallies,
    split_ranked,
)
from chapterhouse.decisions.counting.ties import TieBreak, settle
from chapterhouse.domain.reasons import Reason, reason


def count_irv(ballots: Sequence[Ballot], *, options: Sequence[str] | None = None,
              seed: str | None = None) -> Result:
    valid, invalid = split_ranked(ballots, known_set(options))
    candidates = options_of((b.choices for b in valid), options)
    tie_break = TieBreak(candidates, seed)
    if not valid or not candidates:
        empty = Round(1, {}, explanation=(reason("count.no_valid.chosen"),))
        return Result("irv", 1, (), (empty,), tuple(invalid), len(valid), tie_break.statement())
    continuing = list(candidates)
    rounds: list[Round] = []
    history: list[dict[str, Fraction]] = []
    notes: list[Reason] = []
    while True:
        number = len(rounds) + 1
        tallies = dict.fromkeys(continuing, Fraction(0))
        exhausted = 0
        for ballot in valid:
            top = next((o for o in ballot.choices if o in tallies), None)
            if top is None:
                exhausted += 1
            else:
                tallies[top] += 1
        active = len(valid) - exhausted
        head = reason("irv.round", round=number, tallies=shown_tallies(tallies),
                      exhausted=exhausted, continuing=active)
        leader = max(tallies, key=tallies.__getitem__)
        if len(continuing) == 1 or tallies[leader] * 2 > active:
            votes = int(tallies[leader])
            wins = (reason("irv.wins.only_left", option=leader, votes=votes)
                    if len(continuing) == 1
                    else reason("irv.wins.majority", option=leader, votes=votes,
                                continuing=active))
            rounds.append(Round(number, tallies, elected=(leader,), exhausted=Fraction(exhausted),
                                explanation=(head, wins)))
            return Result("irv", 1, (leader,), tuple(rounds), tuple(invalid), len(valid),
                          tie_break.statement(), notes=tuple(notes))
        low = min(tallies.values())
        tied = [o for o in continuing if tallies[o] == low]
        if low == 0 and len(tied) < len(continuing):
            # Options without a single vote transfer nothing: excluding them together is the
            # same as one by one, and needs no tie-break.
            excluded = tuple(tied)
            why = reason("irv.excluded.no_votes", options=list(excluded))
        else:
            loser = tied[0] if len(tied) == 1 else settle(
                tied, history, fewest=True, tie_break=tie_break, notes=notes,
                round_number=number, doing="exclusion")
            excluded = (loser,)
            why = reason("irv.excluded.fewest", option=loser, tie=len(tied) > 1)
        rounds.append(Round(number, tallies, excluded=excluded, exhausted=Fraction(exhausted),
                            explanation=(head, why)))
        history.append(tallies)
        continuing = [o for o in continuing if o not in excluded]
