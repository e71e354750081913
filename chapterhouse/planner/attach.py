"""Attach members left over after the cores to a chapter within reach, keeping the share.

Women first (each raises a chapter's share, which lets more others join), to the nearest
chapter; then others, nearest chapter first, while the chapter keeps its women's share.
Finally each chapter's meeting point moves to its members' mean point when that shortens the
longest trip without leaving anyone beyond R.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

from chapterhouse.planner.aggregate import IntArray
from chapterhouse.planner.geo import EARTH_RADIUS_KM, FloatArray, chord_for_km, km_between
from chapterhouse.planner.groups import Group
from chapterhouse.planner.rule import Rule


def attach(groups: list[Group], xyz: FloatArray, women: IntArray, others: IntArray,
           rule: Rule) -> int:
    """Add leftover members (counts are decremented) to groups; returns how many joined."""
    if not groups:
        return 0
    tree = cKDTree(np.array([g.centre for g in groups]))
    size = np.array([g.size for g in groups], dtype=np.int64)
    wom = np.array([g.women for g in groups], dtype=np.int64)
    chord = chord_for_km(rule.radius_km)
    joined = 0
    for pool, is_woman in ((women, True), (others, False)):
        for p in np.flatnonzero(pool > 0):
            near = tree.query_ball_point(xyz[p], chord)
            if not near:
                continue
            near = np.asarray(near)
            near = near[np.argsort(km_between(tree.data[near], xyz[p]), kind="stable")]
            for g in near:
                if pool[p] == 0:
                    break
                if is_woman:
                    n = int(pool[p])
                else:
                    n = _room_for_others(int(size[g]), int(wom[g]), int(pool[p]), rule)
                if n == 0:
                    continue
                groups[g].add(int(p), women=n if is_woman else 0, others=0 if is_woman else n)
                size[g] += n
                wom[g] += n if is_woman else 0
                pool[p] -= n
                joined += n
    return joined


def _room_for_others(size: int, women: int, wanted: int, rule: Rule) -> int:
    if rule.min_women_share <= 0:
        return wanted
    # largest n <= wanted with women >= ceil(share * (size + n))
    n = max(0, min(wanted, int(women / rule.min_women_share + 1e-9) - size))
    while n > 0 and rule.min_women(size + n) > women:
        n -= 1
    return n


def _rows(groups: list[Group]) -> tuple[IntArray, IntArray, FloatArray]:
    """(group of each row, place of each row, members at it) over all groups' places."""
    gid = np.repeat(np.arange(len(groups)), [len(g.takes) for g in groups])
    place = np.fromiter((p for g in groups for p in g.takes), dtype=np.int64, count=len(gid))
    count = np.fromiter((w + o for g in groups for w, o in g.takes.values()), dtype=np.float64,
                        count=len(gid))
    return gid, place, count


def max_travel_km(groups: list[Group], xyz: FloatArray) -> FloatArray:
    """The longest trip to each group's meeting point, for all groups at once."""
    if not groups:
        return np.zeros(0)
    gid, place, _ = _rows(groups)
    centres = np.array([g.centre for g in groups])
    dots = np.einsum("ij,ij->i", xyz[place], centres[gid])
    starts = np.flatnonzero(np.r_[True, gid[1:] != gid[:-1]])
    near = np.minimum.reduceat(dots, starts)
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.clip(np.sqrt(np.clip(2 - 2 * near, 0, 4)) / 2,
                                                   0, 1))


def recentre(groups: list[Group], xyz: FloatArray, radius_km: float, steps: int = 16) -> None:
    """Move meeting points toward the centre of the smallest circle around the members.

    Badoiu-Clarkson steps (from the weighted mean, step 1/(t+1) toward the farthest member),
    run for all groups at once; a group keeps its point unless a step shortens its longest
    trip, and never takes a point that leaves anyone beyond R.
    """
    if not groups:
        return
    gid, place, count = _rows(groups)
    n = len(groups)
    pts = xyz[place]
    starts = np.flatnonzero(np.r_[True, gid[1:] != gid[:-1]])
    best = np.array([g.centre for g in groups])

    def nearest_dot(c: FloatArray) -> tuple[FloatArray, IntArray]:
        dots = np.einsum("ij,ij->i", pts, c[gid])
        low = np.minimum.reduceat(dots, starts)
        rows = np.flatnonzero(dots == low[gid])
        first = rows[np.unique(gid[rows], return_index=True)[1]]
        return low, first

    best_dot, _ = nearest_dot(best)  # a larger smallest dot product is a shorter longest trip
    c = np.zeros((n, 3))
    np.add.at(c, gid, pts * count[:, None])
    c /= np.linalg.norm(c, axis=1, keepdims=True)
    limit = np.cos(radius_km / EARTH_RADIUS_KM)
    for step in range(1, steps + 1):
        low, far = nearest_dot(c)
        better = (low > best_dot) & (low >= limit)
        best[better], best_dot[better] = c[better], low[better]
        c = c + (pts[far] - c) / (step + 1)
        c /= np.linalg.norm(c, axis=1, keepdims=True)
    for g, centre in zip(groups, best, strict=True):
        g.centre = centre
