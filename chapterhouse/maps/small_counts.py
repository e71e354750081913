"""The small-count rule for counts of people on a map (pure, typed; no Django).

A map that counts unaffiliated members city by city must never point at a person: "1 member in
Tromsø" names whoever lives there to anyone who knows the town. A city is drawn with its count
only when at least `minimum` members live there (the organization's disclosure minimum: the
rule's minimum attendees, 5 by default, the size of group below which domain.disclosure says
nothing about women either). The members of smaller cities are not drawn; they are added up
into one worldwide figure ("and 212 members in 130 cities with fewer than 5 each"), which
points at no place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Counted(Generic[T]):
    """A place and how many people are counted there."""

    place: T
    count: int


@dataclass(frozen=True, slots=True)
class Disclosed(Generic[T]):
    """What a map may show: the places with enough people, largest first, and the people of
    the other places as one total."""

    shown: tuple[Counted[T], ...]
    minimum: int
    hidden_people: int  # in places with fewer than `minimum`
    hidden_places: int

    @property
    def total(self) -> int:
        return sum(c.count for c in self.shown) + self.hidden_people


def counts_disclosed(counts: Iterable[Counted[T]], *, minimum: int,
                     shown_at_most: int | None = None) -> Disclosed[T]:
    """The places with at least `minimum` people, largest first (at most `shown_at_most` of
    them: the rest join the hidden total); places with no one are left out."""
    if minimum < 1:
        raise ValueError(f"the minimum must be at least 1, not {minimum}")
    if shown_at_most is not None and shown_at_most < 0:
        raise ValueError(f"cannot show {shown_at_most} places")
    given = list(counts)
    if any(c.count < 0 for c in given):
        raise ValueError("a count of people cannot be negative")
    every = [c for c in given if c.count > 0]
    large = sorted((c for c in every if c.count >= minimum), key=lambda c: -c.count)
    shown = large if shown_at_most is None else large[:shown_at_most]
    hidden = [c for c in every if c.count < minimum] + large[len(shown):]
    return Disclosed(tuple(shown), minimum, sum(c.count for c in hidden), len(hidden))
