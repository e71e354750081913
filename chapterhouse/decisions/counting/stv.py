"""Single transferable vote: several seats from rankings, Droop quota, Gregory transfers.

Quota: floor(valid / (seats + 1)) + 1 (Droop). Each ballot carries a value, 1 at first. A
candidate who reaches the quota is elected; their surplus (votes - quota) is passed on by the
weighted inclusive Gregory method: every ballot they hold moves to its next continuing
preference carrying value * surplus / votes, so the candidate keeps exactly the quota. Values are
`Fraction`s, so nothing is lost to rounding. Pending surpluses go first, largest first; when
there is none, the candidate with the fewest votes is excluded and all their ballots move on at
their current value. When the continuing candidates are no more than the seats left, they are
all elected. A ballot with no continuing preference left is exhausted (its value is reported).

How it is counted (issue 12): identical rankings are one group with a weight, and all the
ballots of a group share one value; each candidate holds the pile of groups that count for them.
A transfer moves only that pile. The values a pile carries are few (one per path its ballots
took), so each transfer computes each new value once, adds up the ballots arriving at each
candidate per value, and makes one exact multiplication per candidate and value: Fractions stay
exact where the method needs them, without one Fraction operation per ballot.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from chapterhouse.decisions.counting.result import (
    Ballot,
    Result,
    Round,
    group_ranked,
    known_set,
    options_of,
    show,
    shown_tallies,
)
from chapterhouse.decisions.counting.ties import TieBreak, settle
from chapterhouse.domain.reasons import Reason, reason


@dataclass(frozen=True, slots=True)
class Reserve:
    """At least `at_least` of the seats go to candidates of `group` when enough of them stand
    (the convention's women's share rule, docs/convention.md). Applied by exclusion: once the
    seats left are no more than the group's seats still owed, every continuing candidate outside
    the group is excluded (their ballots move on at their value, as with any exclusion); and a
    candidate outside the group who reaches the quota is elected only while the seats left
    after them still cover what the group is owed; and when the group's candidates still
    standing are no more than it is owed, none of them is excluded as the lowest (the lowest of
    the others is). When fewer of the group stand than are owed, the rule asks for what can be
    met and the count says so."""

    group: frozenset[str]
    at_least: int


def droop_quota(valid: int, seats: int) -> int:
    return valid // (seats + 1) + 1


class _Count:
    """The mutable state of one count: who holds which group of identical ballots, at what
    value."""

    def __init__(self, groups: dict[tuple[str, ...], int], valid: int, candidates: list[str],
                 seats: int, tie_break: TieBreak) -> None:
        self.candidates = candidates
        self.seats = seats
        self.tie_break = tie_break
        self.quota = Fraction(droop_quota(valid, seats))
        self.continuing = list(candidates)
        self.elected: list[str] = []
        self.pending: list[str] = []  # elected with a surplus not yet transferred
        self.votes = dict.fromkeys(candidates, Fraction(0))
        # Inside, a candidate is their index in `candidates`; len(candidates) is "exhausted".
        self._index = {c: i for i, c in enumerate(candidates)}
        self._alive = [True] * len(candidates) + [False]  # the continuing, by index
        self._piles: list[list[int]] = [[] for _ in candidates]
        self._rankings = [tuple(map(self._index.__getitem__, ranking)) for ranking in groups]
        self._weights = list(groups.values())
        self._at = [0] * len(groups)  # where each group stands in its ranking
        self._values = [Fraction(1)]  # every value a ballot carries, by index
        self._value_of = [0] * len(groups)  # each group's value, as an index in _values
        self.exhausted = Fraction(0)
        self.history: list[dict[str, Fraction]] = []
        self.notes: list[Reason] = []
        # First preferences: every candidate continues, so each group goes to its first.
        first = [0] * len(candidates)
        piles, weights = self._piles, self._weights
        for g, ranking in enumerate(self._rankings):
            piles[ranking[0]].append(g)
            first[ranking[0]] += weights[g]
        for candidate, ballots in zip(candidates, first, strict=True):
            self.votes[candidate] += ballots

    def _hand_on(self, pile: Sequence[int] | range, factor: Fraction) -> int:
        """Hand each group of `pile` to its next continuing preference (everything ranked above
        where it stands is already elected or excluded), or count it as exhausted, its value
        multiplied by `factor`. Returns the number of ballots moved."""
        rankings, weights, at, value_of = self._rankings, self._weights, self._at, self._value_of
        alive, piles, values = self._alive, self._piles, self._values
        width = len(alive)
        nobody = width - 1
        scaled: dict[int, int] = {}  # value index before -> after this transfer
        arriving: dict[int, int] = {}  # value index * width + to -> ballots
        moved = 0
        scaling = factor != 1
        for g in pile:
            ranking = rankings[g]
            i = at[g]
            end = len(ranking)
            while i < end and not alive[ranking[i]]:
                i += 1
            weight = weights[g]
            moved += weight
            value = value_of[g]
            if scaling:
                new = scaled.get(value)
                if new is None:
                    new = scaled[value] = len(values)
                    values.append(values[value] * factor)
                value = value_of[g] = new
            if i < end:
                at[g] = i
                to = ranking[i]
                piles[to].append(g)
            else:
                to = nobody
            key = value * width + to
            arriving[key] = arriving.get(key, 0) + weight
        for key, ballots in arriving.items():
            value, to = divmod(key, width)
            if to == nobody:
                self.exhausted += values[value] * ballots
            else:
                self.votes[self.candidates[to]] += values[value] * ballots
        return moved

    def _leave(self, candidate: str) -> None:
        self.continuing.remove(candidate)
        self._alive[self._index[candidate]] = False

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
        self._leave(candidate)
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

    def exclude_lowest(self, number: int, protected: frozenset[str] = frozenset()) -> Reason:
        pool = [c for c in self.continuing if c not in protected] or self.continuing
        low = min(self.votes[c] for c in pool)
        tied = [c for c in pool if self.votes[c] == low]
        who = tied[0] if len(tied) == 1 else settle(
            tied, self.history, fewest=True, tie_break=self.tie_break, notes=self.notes,
            round_number=number, doing="exclusion")
        self._leave(who)
        moved = self._move(who, Fraction(1))
        self.votes[who] = Fraction(0)
        return reason("stv.excluded", option=who, votes=show(low), ballots=moved,
                      tie=len(tied) > 1)

    def _move(self, who: str, factor: Fraction) -> int:
        index = self._index[who]
        pile, self._piles[index] = self._piles[index], []
        return self._hand_on(pile, factor)


def _owed(count: _Count, reserve: Reserve | None) -> int:
    """Seats the reserved group is still owed and can still fill."""
    if reserve is None:
        return 0
    have = sum(1 for c in count.elected if c in reserve.group)
    standing = sum(1 for c in count.continuing if c in reserve.group)
    return min(max(reserve.at_least - have, 0), standing)


def _protected(count: _Count, reserve: Reserve | None) -> frozenset[str]:
    """The group's continuing candidates when none of them can be spared: excluding one would
    leave fewer standing than the seats the group is owed."""
    if reserve is None:
        return frozenset()
    have = sum(1 for c in count.elected if c in reserve.group)
    standing = [c for c in count.continuing if c in reserve.group]
    return frozenset(standing) if len(standing) <= reserve.at_least - have else frozenset()


def count_stv(ballots: Sequence[Ballot], *, seats: int, options: Sequence[str] | None = None,
              seed: str | None = None, reserve: Reserve | None = None) -> Result:
    if seats < 1:
        raise ValueError("seats must be at least 1")
    groups, invalid = group_ranked(ballots, known_set(options))
    valid = sum(groups.values())
    candidates = options_of(groups, options)
    tie_break = TieBreak(candidates, seed)
    if not valid or not candidates:
        empty = Round(1, {}, explanation=(reason("count.no_valid.elected"),))
        return Result("stv", seats, (), (empty,), tuple(invalid), valid,
                      tie_break.statement())
    count = _Count(groups, valid, candidates, seats, tie_break)
    rounds: list[Round] = []
    if reserve is not None:
        short = reserve.at_least - sum(1 for c in candidates if c in reserve.group)
        if short > 0:
            count.notes.append(reason("stv.reserve.short", at_least=reserve.at_least,
                                      standing=reserve.at_least - short))
    while True:
        number = len(rounds) + 1
        tallies = count.tallies()
        exhausted = count.exhausted
        lines = [reason("stv.round", round=number, tallies=shown_tallies(tallies),
                        exhausted=show(exhausted))]
        if number == 1:
            lines.insert(0, reason("stv.quota", valid=valid, seats=seats,
                                   divisor=seats + 1, quota=show(count.quota)))
        owed = _owed(count, reserve)
        if reserve is not None and owed and owed >= seats - len(count.elected):
            outside = [c for c in count.continuing if c not in reserve.group]
            if outside:  # every seat left is owed to the group: the others leave together
                count.history.append(tallies)
                for c in outside:
                    count._leave(c)
                moved = sum(count._move(c, Fraction(1)) for c in outside)
                for c in outside:
                    count.votes[c] = Fraction(0)
                lines.append(reason("stv.reserve.excluded", options=list(outside),
                                    ballots=moved, owed=owed))
                rounds.append(Round(number, tallies, excluded=tuple(outside),
                                    exhausted=exhausted, explanation=tuple(lines)))
                continue
        reached = [c for c in count.continuing if count.votes[c] >= count.quota]
        new: list[str] = []
        for c in count.most_first(reached, number):
            if len(count.elected) < seats:
                if (reserve is not None and c not in reserve.group
                        and seats - len(count.elected) - 1 < _owed(count, reserve)):
                    continue  # the seat is owed to the group: excluded next round
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
                lines.append(count.exclude_lowest(number, _protected(count, reserve)))
                excluded = tuple(before - set(count.continuing))
        rounds.append(Round(number, tallies, elected=tuple(new), excluded=excluded,
                            exhausted=exhausted, explanation=tuple(lines)))
        if done:
            return Result("stv", seats, tuple(count.elected), tuple(rounds), tuple(invalid),
                          valid, tie_break.statement(), quota=count.quota,
                          notes=tuple(count.notes))
