"""Apportionment: how many of a fixed number of seats each unit gets from its population.

Four classical methods, each with a floor (every unit gets at least `floor` seats, 1 by default,
as the US Constitution gives every state one representative):

- Hamilton (largest remainder): each unit's quota is population x seats / total population;
  each gets the whole part of its quota and the seats left go to the largest fractional parts.
  With a floor: a unit whose quota is below the floor gets the floor and leaves the count; the
  others share the seats left by their own quotas, repeated until nobody is below the floor.
- The divisor methods, counted as the US Census Bureau counts Huntington-Hill: every unit first
  gets its floor, then each further seat goes, one at a time, to the unit with the highest
  priority value population / d(n), n being the seats it holds:
  Jefferson / D'Hondt d(n) = n + 1; Webster / Sainte-Lague d(n) = n + 1/2;
  Huntington-Hill d(n) = sqrt(n (n + 1)) (0 for n = 0: a unit with no seat comes first).

Exact arithmetic (fractions; Huntington-Hill compares squared priorities), so the result never
depends on rounding. Ties (equal remainders, equal priorities) go to the larger population, then
to the unit listed first; `Apportionment.tie` says a tie was settled that way at the last seat
given, so that a caller can show it. Pure: no Django; refusals are `ApportionmentError` with a
`Reason` (`apportion.*`).
"""

from __future__ import annotations

import enum
import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from chapterhouse.domain.reasons import Reason, reason

# Bounds that keep a typing mistake from taking minutes: no assembly has more seats.
MAX_SEATS = 100_000
MAX_UNITS = 100_000


class Method(enum.StrEnum):
    HAMILTON = "hamilton"
    JEFFERSON = "jefferson"  # also D'Hondt
    WEBSTER = "webster"  # also Sainte-Lague
    HUNTINGTON_HILL = "huntington-hill"


# Other names people use for the same methods.
ALIASES: dict[str, Method] = {
    "dhondt": Method.JEFFERSON,
    "d'hondt": Method.JEFFERSON,
    "sainte-lague": Method.WEBSTER,
    "sainte-laguë": Method.WEBSTER,
    "largest-remainder": Method.HAMILTON,
    "hare": Method.HAMILTON,
    "hill": Method.HUNTINGTON_HILL,
}


def method_named(name: str) -> Method:
    """The method called `name` (its own name or an alias, any case); ValueError otherwise."""
    key = name.strip().lower()
    if key in ALIASES:
        return ALIASES[key]
    return Method(key)


class ApportionmentError(ValueError):
    """The seats cannot be apportioned as asked; `reason` says why."""

    def __init__(self, why: Reason) -> None:
        super().__init__(why.code)
        self.reason = why


@dataclass(frozen=True, slots=True)
class Unit:
    name: str
    population: int


@dataclass(frozen=True, slots=True)
class Share:
    name: str
    population: int
    seats: int
    quota: Fraction  # population x seats / total population: the exact proportional share


@dataclass(frozen=True, slots=True)
class Apportionment:
    method: Method
    seats: int
    floor: int
    shares: tuple[Share, ...]  # in the order the units were given
    tie: bool  # the last seat given was settled by the tie rule (population, then order)

    def seats_of(self, name: str) -> int:
        return next(share.seats for share in self.shares if share.name == name)


def _check(units: Sequence[Unit], seats: int, floor: int) -> None:
    if not units:
        raise ApportionmentError(reason("apportion.no_units"))
    if len(units) > MAX_UNITS:
        raise ApportionmentError(reason("apportion.too_many_units", most=MAX_UNITS))
    if floor < 0:
        raise ApportionmentError(reason("apportion.negative_floor", floor=floor))
    if seats < 0 or seats > MAX_SEATS:
        raise ApportionmentError(reason("apportion.seats_out_of_range", seats=seats,
                                        most=MAX_SEATS))
    seen: set[str] = set()
    for unit in units:
        if unit.population < 0:
            raise ApportionmentError(reason("apportion.negative_population", unit=unit.name,
                                            population=unit.population))
        if unit.name in seen:
            raise ApportionmentError(reason("apportion.unit_twice", unit=unit.name))
        seen.add(unit.name)
    needed = floor * len(units)
    if seats < needed:
        raise ApportionmentError(reason("apportion.too_few_seats", seats=seats, floor=floor,
                                        units=len(units), needed=needed))
    if seats > needed and sum(unit.population for unit in units) == 0:
        raise ApportionmentError(reason("apportion.no_population"))


def apportion(units: Sequence[Unit], seats: int, method: Method, floor: int = 1
              ) -> Apportionment:
    """Each unit's seats: they sum to `seats` and none is below `floor`."""
    _check(units, seats, floor)
    if method is Method.HAMILTON:
        given, tie = _hamilton(units, seats, floor)
    else:
        given, tie = _divisor(units, seats, floor, method)
    total = sum(unit.population for unit in units)
    shares = tuple(
        Share(unit.name, unit.population, given[index],
              Fraction(unit.population * seats, total) if total else Fraction(0))
        for index, unit in enumerate(units))
    return Apportionment(method, seats, floor, shares, tie)


def _hamilton(units: Sequence[Unit], seats: int, floor: int) -> tuple[list[int], bool]:
    given = [floor] * len(units)
    counted = list(range(len(units)))  # the units still sharing by quota
    left = seats
    while True:
        total = sum(units[i].population for i in counted)
        if total == 0:  # nobody left with people: they keep the floor
            # (only reached when the seats left are exactly their floors; see _check)
            return given, False
        quotas = {i: Fraction(units[i].population * left, total) for i in counted}
        below = [i for i in counted if quotas[i] < floor]
        if not below:
            break
        for i in below:
            given[i] = floor
        left -= floor * len(below)
        counted = [i for i in counted if i not in set(below)]
        if not counted:
            return given, False
    whole = {i: int(quotas[i]) for i in counted}
    for i in counted:
        given[i] = whole[i]
    remaining = left - sum(whole.values())
    order = sorted(counted, key=lambda i: (-(quotas[i] - whole[i]), -units[i].population, i))
    for i in order[:remaining]:
        given[i] += 1
    tie = False
    if 0 < remaining < len(order):
        last, first_out = order[remaining - 1], order[remaining]
        tie = quotas[last] - whole[last] == quotas[first_out] - whole[first_out]
    return given, tie


def _priority(population: int, held: int, method: Method) -> Fraction | None:
    """The unit's claim to its next seat; None is infinite (Huntington-Hill, no seat yet)."""
    if method is Method.JEFFERSON:
        return Fraction(population, held + 1)
    if method is Method.WEBSTER:
        return Fraction(2 * population, 2 * held + 1)
    if held == 0:  # Huntington-Hill: sqrt(0 x 1) = 0
        return None if population > 0 else Fraction(0)
    # Squared: population^2 / (n (n + 1)) orders units as population / sqrt(n (n + 1)).
    return Fraction(population * population, held * (held + 1))


def _key(priority: Fraction | None, population: int, index: int
         ) -> tuple[int, Fraction, int, int]:
    # heapq pops the smallest: an infinite priority first, then the highest, then the larger
    # population, then the unit listed first.
    if priority is None:
        return (0, Fraction(0), -population, index)
    return (1, -priority, -population, index)


def _divisor(units: Sequence[Unit], seats: int, floor: int, method: Method
             ) -> tuple[list[int], bool]:
    given = [floor] * len(units)
    heap = [_key(_priority(unit.population, floor, method), unit.population, index)
            for index, unit in enumerate(units)]
    heapq.heapify(heap)
    tie = False
    for _ in range(seats - floor * len(units)):
        won = heapq.heappop(heap)
        index = won[3]
        tie = bool(heap) and heap[0][:2] == won[:2]
        given[index] += 1
        population = units[index].population
        heapq.heappush(heap, _key(_priority(population, given[index], method), population,
                                  index))
    return given, tie
