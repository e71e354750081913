"""The counting of IRV and STV as it was before issue 12 (one ballot at a time, every IRV round
recounting every ballot, Fractions throughout), kept verbatim as the oracle that the grouped
counts must match to the last ballot, in every round and every tie (test_counting_groups.py)."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from chapterhouse.decisions.counting.result import (
    Ballot,
    Result,
    Round,
    known_set,
    options_of,
    show,
    shown_tallies,
    split_ranked,
)
from chapterhouse.decisions.counting.ties import TieBreak, settle
from chapterhouse.domain.reasons import Reason, reason


def reference_irv(ballots: Sequence[Ballot], *, options: Sequence[str] | None = None,
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


def _droop_quota(valid: int, seats: int) -> int:
    return valid // (seats + 1) + 1


class _Count:
    """The mutable state of one count: who holds which ballot, at what value."""

    def __init__(self, valid: list[Ballot], candidates: list[str], seats: int,
                 tie_break: TieBreak) -> None:
        self.ballots = valid
        self.candidates = candidates
        self.seats = seats
        self.tie_break = tie_break
        self.quota = Fraction(_droop_quota(len(valid), seats))
        self.continuing = list(candidates)
        self.elected: list[str] = []
        self.pending: list[str] = []  # elected with a surplus not yet transferred
        self.votes = dict.fromkeys(candidates, Fraction(0))
        self.piles: dict[str, list[int]] = {c: [] for c in candidates}
        self.value = [Fraction(1)] * len(valid)
        self.exhausted = Fraction(0)
        self.history: list[dict[str, Fraction]] = []
        self.notes: list[Reason] = []
        for i in range(len(valid)):
            self._give(i)

    def _give(self, i: int) -> str | None:
        """Hand ballot i to its highest continuing preference, or count it as exhausted."""
        # Everything ranked above that preference is already elected or excluded, so scanning
        # from the top finds the next preference.
        target = next((o for o in self.ballots[i].choices if o in self.continuing), None)
        if target is None:
            self.exhausted += self.value[i]
        else:
            self.piles[target].append(i)
            self.votes[target] += self.value[i]
        return target

    def tallies(self) -> dict[str, Fraction]:
        return {c: self.votes[c] for c in self.candidates
                if c in self.continuing or c in self.elected}

    def most_first(self, group: list[str], round_number: int) -> list[str]:
        """`group` ordered by votes, most first; equal votes settled by history, then order."""
        ordered: list[str] = []
        rest = list(group)
        while rest:
            top = max(self.votes[c] for c in rest)
            tied = [c for c in rest if self.votes[c] == top]
            pick = tied[0] if len(tied) == 1 else settle(
                tied, self.history, fewest=False, tie_break=self.tie_break, notes=self.notes,
                round_number=round_number, doing="election")
            ordered.append(pick)
            rest.remove(pick)
        return ordered

    def elect(self, candidate: str) -> None:
        self.continuing.remove(candidate)
        self.elected.append(candidate)
        if self.votes[candidate] > self.quota:
            self.pending.append(candidate)

    def transfer_surplus(self, number: int) -> Reason:
        surpluses = {c: self.votes[c] - self.quota for c in self.pending}
        largest = max(surpluses.values())
        tied = [c for c in self.pending if surpluses[c] == largest]
        who = tied[0] if len(tied) == 1 else settle(
            tied, self.history, fewest=False, tie_break=self.tie_break, notes=self.notes,
            round_number=number, doing="surplus")
        self.pending.remove(who)
        factor = largest / self.votes[who]
        moved = self._move(who, factor)
        self.votes[who] = self.quota
        return reason("stv.surplus", option=who, surplus=show(largest), ballots=moved,
                      factor=str(factor))

    def exclude_lowest(self, number: int) -> Reason:
        low = min(self.votes[c] for c in self.continuing)
        tied = [c for c in self.continuing if self.votes[c] == low]
        who = tied[0] if len(tied) == 1 else settle(
            tied, self.history, fewest=True, tie_break=self.tie_break, notes=self.notes,
            round_number=number, doing="exclusion")
        self.continuing.remove(who)
        moved = self._move(who, Fraction(1))
        self.votes[who] = Fraction(0)
        return reason("stv.excluded", option=who, votes=show(low), ballots=moved,
                      tie=len(tied) > 1)

    def _move(self, who: str, factor: Fraction) -> int:
        pile, self.piles[who] = self.piles[who], []
        for i in pile:
            self.value[i] *= factor
            self._give(i)
        return len(pile)


def reference_stv(ballots: Sequence[Ballot], *, seats: int, options: Sequence[str] | None = None,
              seed: str | None = None) -> Result:
    if seats < 1:
        raise ValueError("seats must be at least 1")
    valid, invalid = split_ranked(ballots, known_set(options))
    candidates = options_of((b.choices for b in valid), options)
    tie_break = TieBreak(candidates, seed)
    if not valid or not candidates:
        empty = Round(1, {}, explanation=(reason("count.no_valid.elected"),))
        return Result("stv", seats, (), (empty,), tuple(invalid), len(valid),
                      tie_break.statement())
    count = _Count(valid, candidates, seats, tie_break)
    rounds: list[Round] = []
    while True:
        number = len(rounds) + 1
        tallies = count.tallies()
        exhausted = count.exhausted
        lines = [reason("stv.round", round=number, tallies=shown_tallies(tallies),
                        exhausted=show(exhausted))]
        if number == 1:
            lines.insert(0, reason("stv.quota", valid=len(valid), seats=seats,
                                   divisor=seats + 1, quota=show(count.quota)))
        reached = [c for c in count.continuing if count.votes[c] >= count.quota]
        new: list[str] = []
        for c in count.most_first(reached, number):
            if len(count.elected) < seats:
                count.elect(c)
                new.append(c)
        if new:
            lines.append(reason("stv.elected.quota", options=list(new)))
        left = seats - len(count.elected)
        if left > 0 and len(count.continuing) <= left:
            rest = count.most_first(count.continuing, number)
            for c in rest:
                count.elect(c)
            new += rest
            if rest:
                lines.append(reason("stv.elected.rest", count=len(rest), seats=left,
                                    options=list(rest)))
        done = len(count.elected) == seats or not count.continuing
        excluded: tuple[str, ...] = ()
        if not done:
            count.history.append(tallies)
            if count.pending:
                lines.append(count.transfer_surplus(number))
            else:
                before = set(count.continuing)
                lines.append(count.exclude_lowest(number))
                excluded = tuple(before - set(count.continuing))
        rounds.append(Round(number, tallies, elected=tuple(new), excluded=excluded,
                            exhausted=exhausted, explanation=tuple(lines)))
        if done:
            return Result("stv", seats, tuple(count.elected), tuple(rounds), tuple(invalid),
                          len(valid), tie_break.statement(), quota=count.quota,
                          notes=tuple(count.notes))
