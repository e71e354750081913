"""One-round methods (plurality, approval, score): the highest totals take the seats."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Literal

from chapterhouse.decisions.counting.result import (
    Ballot,
    Invalid,
    Result,
    Round,
    options_of,
    show,
    shown_tallies,
)
from chapterhouse.decisions.counting.ties import TieBreak, rank_options
from chapterhouse.domain.reasons import Reason, reason

Unit = Literal["votes", "approvals", "points"]


def highest_totals(method: str, totals: Mapping[str, Fraction], *, seats: int, valid: int,
                   invalid: Sequence[Invalid], seed: str | None, unit: Unit) -> Result:
    """Elect the `seats` options with the highest positive totals; state any tie at the cut."""
    if seats < 1:
        raise ValueError("seats must be at least 1")
    tie_break = TieBreak(totals, seed)
    ranked = rank_options(totals, tie_break)
    tallies = {option: totals[option] for option in ranked}
    eligible = [option for option in ranked if totals[option] > 0]
    winners = tuple(eligible[:seats])
    notes: list[Reason] = []
    if len(eligible) > seats:
        cut = totals[eligible[seats - 1]]
        tied = [option for option in eligible if totals[option] == cut]
        if len(tied) > 1:
            inside = [option for option in tied if option in winners]
            notes.append(reason(f"ties.cut.{unit}", tied=tied, total=show(cut),
                                seats=len(inside), winners=inside))
    if not valid:
        explanation: tuple[Reason, ...] = (reason("count.no_valid.chosen"),)
    else:
        explanation = (reason(f"count.totals.{unit}", valid=valid, tallies=shown_tallies(tallies),
                              winners=list(winners)), *notes)
    round_ = Round(1, tallies, elected=winners, explanation=explanation)
    return Result(method, seats, winners, (round_,), tuple(invalid), valid,
                  tie_break.statement(), notes=tuple(notes))


def most_named(method: str, ballots: Sequence[Ballot], *,
               check: Callable[[Ballot], Reason | None], options: Sequence[str] | None,
               seats: int, seed: str | None, unit: Unit) -> Result:
    """One point for each option a valid ballot names (`check` says why a ballot is invalid,
    or None); the highest totals take the seats."""
    valid: list[Ballot] = []
    invalid: list[Invalid] = []
    for ballot in ballots:
        reason = check(ballot)
        if reason is None:
            valid.append(ballot)
        else:
            invalid.append(Invalid(ballot.id, reason))
    totals = dict.fromkeys(options_of((b.choices for b in valid), options), Fraction(0))
    for ballot in valid:
        for option in ballot.choices:
            totals[option] += 1
    return highest_totals(method, totals, seats=seats, valid=len(valid), invalid=invalid,
                          seed=seed, unit=unit)
