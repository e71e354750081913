"""The affiliation pipeline's rules: a sympathetic organization's stage, which moves are
allowed from it, and which members vote on the agreement. Pure and typed (no Django).

Stages: identified, contacted, talking (typed by staff and organizers), agreement proposed
(a proposal poll is open), agreed by the members (it passed), affiliated (the affiliated
chapter exists), and declined (typed). The last three before "declined" come from the data
and are never typed: `stage_of` computes them.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from chapterhouse.domain.distance import great_circle_km


class Stage(enum.StrEnum):
    IDENTIFIED = "identified"
    CONTACTED = "contacted"
    TALKING = "talking"
    PROPOSED = "proposed"
    AGREED = "agreed"
    AFFILIATED = "affiliated"
    DECLINED = "declined"


class Proposal(enum.StrEnum):
    """The state of an organization's latest agreement poll."""

    OPEN = "open"
    PASSED = "passed"
    FAILED = "failed"  # closed without passing, or withdrawn


ORDER = (Stage.IDENTIFIED, Stage.CONTACTED, Stage.TALKING, Stage.PROPOSED, Stage.AGREED,
         Stage.AFFILIATED)
TYPED = frozenset({Stage.IDENTIFIED, Stage.CONTACTED, Stage.TALKING, Stage.DECLINED})
# What staff and organizers may move an organization to by hand.
MOVES = (Stage.CONTACTED, Stage.TALKING, Stage.DECLINED)
# An organization this close to a chapter with members is voted on by that chapter;
# farther from all of them, by its region (or the whole organization).
NEAR_KM = 100.0


def stage_of(typed: str, *, proposal: Proposal | None, has_chapter: bool) -> Stage:
    """The stage shown: the data (a chapter, a passed or open proposal) wins over what was
    typed. A failed proposal leaves the organization where it was typed (talking, usually)."""
    if has_chapter or typed == Stage.AFFILIATED:
        return Stage.AFFILIATED
    if proposal == Proposal.PASSED:
        return Stage.AGREED
    if proposal == Proposal.OPEN:
        return Stage.PROPOSED
    try:
        stage = Stage(typed)
    except ValueError:
        return Stage.IDENTIFIED
    return stage if stage in TYPED else Stage.IDENTIFIED


def move_refusal(current: Stage, to: Stage) -> str | None:
    """None if staff may move an organization from `current` to `to`; else a reason code."""
    if to not in MOVES:
        return "affiliation.not_typed"
    if current in (Stage.AGREED, Stage.AFFILIATED):
        return "affiliation.settled"
    if current == Stage.PROPOSED:
        return "affiliation.proposal_open"
    if current == to:
        return "affiliation.same_stage"
    return None


def propose_refusal(current: Stage) -> str | None:
    """None if an agreement may be proposed now: only while talking (again after a failed
    proposal)."""
    if current in (Stage.AGREED, Stage.AFFILIATED):
        return "affiliation.settled"
    if current == Stage.PROPOSED:
        return "affiliation.proposal_open"
    if current != Stage.TALKING:
        return "affiliation.not_talking"
    return None


@dataclass(frozen=True, slots=True)
class Spot:
    """A chapter that could vote: its id, where it is and how many members it has."""

    id: int
    latitude: float
    longitude: float
    members: int


def nearest_chapter(latitude: float, longitude: float, chapters: Iterable[Spot],
                    near_km: float = NEAR_KM) -> int | None:
    """The id of the nearest chapter with members within `near_km`, or None (then the
    region votes). Ties go to the larger chapter, then the lower id."""
    best: tuple[float, int, int] | None = None
    for spot in chapters:
        if spot.members <= 0:
            continue
        km = great_circle_km(latitude, longitude, spot.latitude, spot.longitude)
        if km <= near_km:
            key = (km, -spot.members, spot.id)
            if best is None or key < best:
                best = key
    return None if best is None else best[2]
