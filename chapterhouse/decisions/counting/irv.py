"""Instant-runoff voting: one winner from rankings.

Each round every valid ballot counts for its highest-ranked continuing option; a ballot with no
continuing option left is exhausted (counted per round, not dropped). An option with more than
half of the continuing ballots wins; otherwise the option with the fewest votes is excluded.

How it is counted (issue 12): identical rankings are one group with a weight, each option holds
the pile of groups that count for it, and votes are plain integers. An exclusion moves only the
excluded option's pile, each group to its next continuing preference, so a round costs the
groups that move rather than every ballot. The result is the same as counting ballot by ballot.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from chapterhouse.decisions.counting.result import (
    Ballot,
    Result,
    Round,
    group_ranked,
    known_set,
    options_of,
    shown_tallies,
)
from chapterhouse.decisions.counting.ties import TieBreak, settle
from chapterhouse.domain.reasons import Reason, reason


def count_irv(ballots: Sequence[Ballot], *, options: Sequence[str] | None = None,
              seed: str | None = None) -> Result:
    groups, invalid = group_ranked(ballots, known_set(options))
    valid = sum(groups.values())
    candidates = options_of(groups, options)
    tie_break = TieBreak(candidates, seed)
    if not valid or not candidates:
        empty = Round(1, {}, explanation=(reason("count.no_valid.chosen"),))
        return Result("irv", 1, (), (empty,), tuple(invalid), valid, tie_break.statement())
    continuing = list(candidates)
    piles = _Piles(groups, candidates)
    rounds: list[Round] = []
    history: list[dict[str, Fraction]] = []
    notes: list[Reason] = []
    while True:
        number = len(rounds) + 1
        votes = piles.votes
        tallies = {option: Fraction(votes[option]) for option in continuing}
        exhausted = piles.exhausted
        active = valid - exhausted
        head = reason("irv.round", round=number, tallies=shown_tallies(tallies),
                      exhausted=exhausted, continuing=active)
        leader = max(continuing, key=votes.__getitem__)
        if len(continuing) == 1 or votes[leader] * 2 > active:
            wins = (reason("irv.wins.only_left", option=leader, votes=votes[leader])
                    if len(continuing) == 1
                    else reason("irv.wins.majority", option=leader, votes=votes[leader],
                                continuing=active))
            rounds.append(Round(number, tallies, elected=(leader,), exhausted=Fraction(exhausted),
                                explanation=(head, wins)))
            return Result("irv", 1, (leader,), tuple(rounds), tuple(invalid), valid,
                          tie_break.statement(), notes=tuple(notes))
        low = min(votes[option] for option in continuing)
        tied = [o for o in continuing if votes[o] == low]
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
        piles.exclude(excluded)


class _Piles:
    """Who holds which group of identical ballots, and how many votes that makes."""

    def __init__(self, groups: dict[tuple[str, ...], int], candidates: list[str]) -> None:
        self.rankings = list(groups)
        self.weights = list(groups.values())
        self.at = [0] * len(self.rankings)  # where each group stands in its ranking
        self.continuing = set(candidates)
        self.votes = dict.fromkeys(candidates, 0)
        self.piles: dict[str, list[int]] = {c: [] for c in candidates}
        self.exhausted = 0
        self._hand_on(range(len(self.rankings)))

    def exclude(self, excluded: tuple[str, ...]) -> None:
        self.continuing.difference_update(excluded)
        for option in excluded:
            pile = self.piles.pop(option)
            del self.votes[option]
            self._hand_on(pile)

    def _hand_on(self, pile: Sequence[int] | range) -> None:
        """Each group to its highest continuing preference from where it stands (everything
        above it is already excluded), or to the exhausted."""
        rankings, weights, at = self.rankings, self.weights, self.at
        continuing, votes, piles = self.continuing, self.votes, self.piles
        for g in pile:
            ranking = rankings[g]
            i = at[g]
            end = len(ranking)
            while i < end and ranking[i] not in continuing:
                i += 1
            if i < end:
                at[g] = i
                option = ranking[i]
                votes[option] += weights[g]
                piles[option].append(g)
            else:
                self.exhausted += weights[g]
