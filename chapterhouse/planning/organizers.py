"""Assign candidate chapters to organizers: within reach, within capacity, nearest first.

A min-cost assignment over capacity slots (scipy's linear_sum_assignment): every organizer has
one row per chapter they can still build in time, every candidate one column; a reachable pair
costs its distance minus a constant larger than any distance, so the solver first maximises the
number of candidates taken, then minimises the total distance. Each organizer then takes their
candidates nearest first (slot 1 is the nearest).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.spatial import cKDTree

from chapterhouse.planning.geo import FloatArray, chord_for_km, km_between, unit_vectors
from chapterhouse.planning.timeline import counts_by, organizer_starts

DEFAULT_REACH_KM = 100.0


@dataclass(frozen=True)
class Organizer:
    id: str
    lat: float
    lon: float
    hours_per_week: float
    months: float
    reach_km: float = DEFAULT_REACH_KM


@dataclass(frozen=True)
class Assignment:
    organizer: str
    candidate: int  # index into the candidates
    order: int  # 1 for the organizer's first chapter
    km: float
    starts: datetime.date


@dataclass
class Assigned:
    assignments: list[Assignment] = field(default_factory=list)
    unreachable: list[int] = field(default_factory=list)  # no organizer reaches them
    over_capacity: list[int] = field(default_factory=list)  # reachable, but nobody has time


def assign(organizers: list[Organizer], candidates: FloatArray, today: datetime.date, *,
           hours_per_chapter: float = 80.0, deadline: datetime.date | None = None,
           months_to_qualify: int = 3) -> Assigned:
    """Candidates are unit vectors. With a deadline, only slots that can still count are used."""
    n = len(candidates)
    if not organizers or n == 0:
        return Assigned([], list(range(n)), [])
    org_xyz = unit_vectors([o.lat for o in organizers], [o.lon for o in organizers])
    km = km_between(org_xyz[:, None, :], candidates[None, :, :])
    reach = np.array([o.reach_km for o in organizers])[:, None]
    reachable = km <= reach
    slot_org: list[int] = []
    slot_start: list[datetime.date] = []
    for i, o in enumerate(organizers):
        for start in organizer_starts(today, o.hours_per_week, o.months, hours_per_chapter):
            if deadline is None or counts_by(start, deadline, months_to_qualify):
                slot_org.append(i)
                slot_start.append(start)
    result = Assigned()
    reached_any = reachable.any(axis=0)
    result.unreachable = [int(c) for c in np.flatnonzero(~reached_any)]
    cols = np.flatnonzero(reached_any)
    taken: dict[int, list[tuple[float, int]]] = {}
    if slot_org and len(cols):
        rows = np.array(slot_org)
        big = float(km.max()) + 1.0
        cost = np.where(reachable[rows][:, cols], km[rows][:, cols] - big, 0.0)
        r, c = linear_sum_assignment(cost)
        for ri, ci in zip(r, c, strict=True):
            if cost[ri, ci] < 0:
                taken.setdefault(int(rows[ri]), []).append((float(km[rows[ri], cols[ci]]),
                                                            int(cols[ci])))
    starts_of = {i: [s for j, s in zip(slot_org, slot_start, strict=True) if j == i]
                 for i in taken}
    placed = set()
    for i, items in sorted(taken.items()):
        for order, (dist, cand) in enumerate(sorted(items), start=1):
            result.assignments.append(Assignment(organizers[i].id, cand, order, round(dist, 3),
                                                 starts_of[i][order - 1]))
            placed.add(cand)
    result.over_capacity = [int(c) for c in cols if int(c) not in placed]
    return result


@dataclass(frozen=True)
class Recruit:
    """Where one more organizer would help: the centre of a cluster of unserved candidates."""

    lat: float
    lon: float
    candidates: list[int]


def recruits_needed(candidates: FloatArray, lat: FloatArray, lon: FloatArray,
                    open_: list[int], gap: int, *, slots: int, reach_km: float = DEFAULT_REACH_KM
                    ) -> list[Recruit]:
    """Greedy: put an organizer (with `slots` chapters that can still count) at the candidate
    whose reach holds the most open candidates; repeat until the gap closes or none are left."""
    left = np.asarray(open_, dtype=np.int64)
    out: list[Recruit] = []
    chord = chord_for_km(reach_km)
    while gap > 0 and len(left) and slots > 0:
        tree = cKDTree(candidates[left])
        counts = tree.query_ball_point(candidates[left], chord, return_length=True)
        best = int(np.argmax(counts))
        dist, near = tree.query(candidates[left[best]], k=min(slots, gap, len(left)),
                                distance_upper_bound=chord * (1 + 1e-12))
        near = np.atleast_1d(near)[np.isfinite(np.atleast_1d(dist))]
        chosen = left[near]
        out.append(Recruit(float(lat[left[best]]), float(lon[left[best]]),
                           [int(c) for c in chosen]))
        gap -= len(chosen)
        left = np.setdiff1d(left, chosen)
    return out
