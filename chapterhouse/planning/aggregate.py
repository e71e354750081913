"""Members who share a point (the usual case: a city) become one weighted place.

The planner works on places with counts of women and others, and only turns counts back into
member ids at the end (`MemberPool.take`). 1M members in 20k cities is a 20k-row problem.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from chapterhouse.planning.geo import FloatArray, unit_vectors

IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class Places:
    lat: FloatArray
    lon: FloatArray
    xyz: FloatArray
    women: IntArray
    others: IntArray
    # Members of place p are members[start[p]:start[p + 1]], women first, then by index.
    start: IntArray
    members: IntArray
    place_of: IntArray  # place index of every member

    def __len__(self) -> int:
        return len(self.lat)

    @property
    def total(self) -> IntArray:
        return self.women + self.others


def aggregate(lat: FloatArray, lon: FloatArray, is_woman: NDArray[np.bool_]) -> Places:
    """Group members by identical coordinates."""
    n = len(lat)
    is_woman = np.asarray(is_woman, dtype=bool)
    order = np.lexsort((np.arange(n), ~is_woman, lon, lat))
    slat, slon = lat[order], lon[order]
    new = np.ones(n, dtype=bool)
    new[1:] = (slat[1:] != slat[:-1]) | (slon[1:] != slon[:-1])
    first = np.flatnonzero(new)
    start = np.append(first, n).astype(np.int64)
    group = np.cumsum(new) - 1
    women = np.bincount(group, weights=is_woman[order], minlength=len(first)).astype(np.int64)
    total = np.diff(start)
    place_of = np.empty(n, dtype=np.int64)
    place_of[order] = group
    plat, plon = slat[first], slon[first]
    return Places(
        lat=plat, lon=plon, xyz=unit_vectors(plat, plon), women=women, others=total - women,
        start=start, members=order.astype(np.int64), place_of=place_of,
    )


class MemberPool:
    """Hands out the actual members of each place, women and others separately."""

    def __init__(self, places: Places) -> None:
        self._places = places
        self._next_woman = places.start[:-1].copy()
        self._next_other = places.start[:-1] + places.women

    def take(self, place: int, women: int, others: int) -> list[int]:
        p = self._places
        w0, o0 = int(self._next_woman[place]), int(self._next_other[place])
        if w0 + women > p.start[place] + p.women[place] or o0 + others > p.start[place + 1]:
            raise ValueError(f"place {place} has not enough members left")
        self._next_woman[place] += women
        self._next_other[place] += others
        return [*p.members[w0:w0 + women].tolist(), *p.members[o0:o0 + others].tolist()]
