"""Attach members left over after the cores to a chapter within reach, keeping the share.

Women first (each raises a chapter's share, which lets more others join), to the nearest
chapter; then others, nearest chapter first, while the chapter keeps its women's share.
Finally each chapter's meeting point moves to its members' mean point when that shortens the
longest trip without leaving anyone beyond R.
"""

from __future__ import annotations

from itertools import chain

import numpy as np
from scipy.spatial import cKDTree

from chapterhouse.domain.distance import EARTH_RADIUS_KM
from chapterhouse.planning.aggregate import IntArray
from chapterhouse.planning.geo import FloatArray, chord_for_km
from chapterhouse.planning.groups import Group
from chapterhouse.planning.rule import Rule

NEAREST = 32  # chapters tried per leftover place, nearest first


def attach(groups: list[Group], xyz: FloatArray, women: IntArray, others: IntArray,
           rule: Rule) -> int:
    """Add leftover members (counts are decremented) to groups; returns how many joined.

    Vectorised in rounds: in round j every leftover place offers its members to its j-th
    nearest chapter in reach; a chapter takes offers nearest first while it keeps its share.
    """
    if not groups:
        return 0
    tree = cKDTree(np.array([g.centre for g in groups]))
    size = np.array([g.size for g in groups], dtype=np.int64)
    wom = np.array([g.women for g in groups], dtype=np.int64)
    chord = chord_for_km(rule.radius_km)
    k = min(NEAREST, len(groups))
    joined = 0
    for pool, is_woman in ((women, True), (others, False)):
        todo = np.flatnonzero(pool > 0)
        if len(todo) == 0:
            continue
        # the nearest chapters of every leftover place in one query, nearest first
        dist, near = tree.query(xyz[todo], k=k, distance_upper_bound=chord)
        dist, near = dist.reshape(len(todo), -1), near.reshape(len(todo), -1)
        reachable = np.isfinite(dist)
        keep = reachable[:, 0]
        todo, dist, near, reachable = todo[keep], dist[keep], near[keep], reachable[keep]
        adds: list[tuple[IntArray, IntArray, IntArray]] = []
        for j in range(k):
            live = np.flatnonzero(reachable[:, j] & (pool[todo] > 0))
            if len(live) == 0:
                continue
            places, chapters = todo[live], near[live, j]
            want = pool[places]
            if not is_woman:
                room = _room_vector(size, wom, rule)[chapters]
                # a chapter serves its offers nearest first (then by place) while room lasts
                order = np.lexsort((places, dist[live, j], chapters))
                places, chapters, want, room = (places[order], chapters[order], want[order],
                                                room[order])
                before = np.cumsum(want) - want
                first = np.r_[True, chapters[1:] != chapters[:-1]]
                seg_start = np.maximum.accumulate(np.where(first, np.arange(len(want)), 0))
                before = before - before[seg_start]
                want = np.clip(room - before, 0, want)
                ok = want > 0
                places, chapters, want = places[ok], chapters[ok], want[ok]
            np.add.at(size, chapters, want)
            if is_woman:
                np.add.at(wom, chapters, want)
            np.subtract.at(pool, places, want)
            joined += int(want.sum())
            adds.append((places, chapters, want))
        # a big city: every chapter in reach was among the nearest, so try the rest too
        crowded = todo[reachable[:, -1] & (pool[todo] > 0)] if k == NEAREST else todo[:0]
        for p in crowded.tolist():
            more = np.asarray(tree.query_ball_point(xyz[p], chord), dtype=np.int64)
            more = more[np.argsort(np.linalg.norm(tree.data[more] - xyz[p], axis=1),
                                   kind="stable")]
            for g in more.tolist():
                if pool[p] == 0:
                    break
                n = int(pool[p]) if is_woman else _room_for_others(int(size[g]), int(wom[g]),
                                                                   int(pool[p]), rule)
                if n == 0:
                    continue
                size[g] += n
                wom[g] += n if is_woman else 0
                pool[p] -= n
                joined += n
                adds.append((np.array([p]), np.array([g]), np.array([n])))
        for places, chapters, want in adds:
            for p, g, n in zip(places.tolist(), chapters.tolist(), want.tolist(), strict=True):
                groups[g].add(p, women=n if is_woman else 0, others=0 if is_woman else n)
    return joined


def _room_vector(size: IntArray, women: IntArray, rule: Rule) -> IntArray:
    """Others each chapter can still take while keeping its share (`_room_for_others`)."""
    if rule.min_women_share <= 0:
        return np.full(len(size), np.iinfo(np.int64).max // 4, dtype=np.int64)
    cap = np.floor(women / rule.min_women_share + 1e-9).astype(np.int64)
    for _ in range(2):  # ceil(share * cap) may still exceed women by rounding
        over = np.ceil(rule.min_women_share * cap - 1e-9) > women
        cap -= over
    room: IntArray = np.maximum(0, cap - size)
    return room


def _room_for_others(size: int, women: int, wanted: int, rule: Rule) -> int:
    if rule.min_women_share <= 0:
        return wanted
    # largest n <= wanted with women >= ceil(share * (size + n))
    n = max(0, min(wanted, int(women / rule.min_women_share + 1e-9) - size))
    while n > 0 and rule.min_women(size + n) > women:
        n -= 1
    return n


def takes_rows(groups: list[Group]) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """(group, place, women, others) of every (group, place) entry, in group order."""
    lens = np.fromiter(map(len, (g.takes for g in groups)), dtype=np.int64, count=len(groups))
    gid = np.repeat(np.arange(len(groups), dtype=np.int64), lens)
    place = np.fromiter(chain.from_iterable(g.takes for g in groups), dtype=np.int64,
                        count=len(gid))
    counts = np.fromiter(chain.from_iterable(chain.from_iterable(g.takes.values())
                                             for g in groups), dtype=np.int64,
                         count=2 * len(gid)).reshape(-1, 2)
    return gid, place, counts[:, 0].copy(), counts[:, 1].copy()


def _rows(groups: list[Group]) -> tuple[IntArray, IntArray, FloatArray]:
    """(group of each row, place of each row, members at it) over all groups' places."""
    gid, place, w, o = takes_rows(groups)
    return gid, place, (w + o).astype(np.float64)


def max_travel_km(groups: list[Group], xyz: FloatArray) -> FloatArray:
    """The longest trip to each group's meeting point, for all groups at once."""
    if not groups:
        return np.zeros(0)
    gid, place, _ = _rows(groups)
    centres = np.array([g.centre for g in groups])
    dots = np.einsum("ij,ij->i", xyz[place], centres[gid])
    starts = np.flatnonzero(np.r_[True, gid[1:] != gid[:-1]])
    near = np.minimum.reduceat(dots, starts)
    km: FloatArray = 2 * EARTH_RADIUS_KM * np.arcsin(
        np.clip(np.sqrt(np.clip(2 - 2 * near, 0, 4)) / 2, 0, 1))
    return km


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
