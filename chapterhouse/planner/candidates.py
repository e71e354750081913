"""Candidate meeting points and the places each one reaches.

A meeting point may be anywhere. For a fixed set of places the only meeting points worth trying
are the places themselves and the two points at distance R from both places of every pair at
most 2R apart (see `geo.circle_intersections`); points whose reachable set is contained in
another's are dominated and dropped. That makes the exact program in `exact.py` exact for
meeting points anywhere, not only on a grid.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from chapterhouse.planner.aggregate import IntArray
from chapterhouse.planner.geo import FloatArray, chord_for_km, circle_intersections

# Pair points sit this far inside the radius so that rounding never puts a place outside it.
_INSIDE_KM = 1e-6


@dataclass(frozen=True)
class Cover:
    """centres[c] reaches places idx[ptr[c]:ptr[c + 1]] (sorted)."""

    centres: FloatArray
    ptr: IntArray
    idx: IntArray

    def __len__(self) -> int:
        return len(self.centres)

    def places(self, c: int) -> IntArray:
        return self.idx[self.ptr[c]:self.ptr[c + 1]]

    def subset(self, keep: IntArray) -> Cover:
        sizes = np.diff(self.ptr)[keep]
        ptr = np.zeros(len(keep) + 1, dtype=np.int64)
        np.cumsum(sizes, out=ptr[1:])
        idx = (np.concatenate([self.places(int(c)) for c in keep]) if len(keep)
               else np.zeros(0, dtype=np.int64))
        return Cover(self.centres[keep], ptr, idx.astype(np.int64))

    def by_place(self, n_places: int) -> tuple[IntArray, IntArray]:
        """Inverse lists: the centres reaching place p are inv[iptr[p]:iptr[p + 1]]."""
        owner = np.repeat(np.arange(len(self), dtype=np.int64), np.diff(self.ptr))
        order = np.argsort(self.idx, kind="stable")
        iptr = np.zeros(n_places + 1, dtype=np.int64)
        np.cumsum(np.bincount(self.idx, minlength=n_places), out=iptr[1:])
        return iptr, owner[order]


def pair_centres(xyz: FloatArray, radius_km: float, k_nearest: int | None = None) -> FloatArray:
    """Intersection points for pairs of places at most 2R apart.

    With `k_nearest`, only each place's k nearest partners (a cheap, good subset for large
    instances); without, every pair (exact, for the integer program).
    """
    if len(xyz) < 2:
        return np.zeros((0, 3))
    tree = cKDTree(xyz)
    limit = chord_for_km(2 * (radius_km - _INSIDE_KM))
    if k_nearest is None:
        pairs = tree.query_pairs(limit, output_type="ndarray")
    else:
        k = min(k_nearest + 1, len(xyz))
        dist, nbr = tree.query(xyz, k=k, distance_upper_bound=limit)
        rows = np.repeat(np.arange(len(xyz)), k).reshape(len(xyz), k)
        ok = np.isfinite(dist) & (nbr != rows) & (nbr < len(xyz))
        a, b = rows[ok], nbr[ok]
        pairs = np.unique(np.stack([np.minimum(a, b), np.maximum(a, b)], axis=1), axis=0)
    if len(pairs) == 0:
        return np.zeros((0, 3))
    return circle_intersections(xyz[pairs[:, 0]], xyz[pairs[:, 1]], radius_km - _INSIDE_KM)


def cover(centres: FloatArray, places_xyz: FloatArray, radius_km: float,
          tree: cKDTree | None = None) -> Cover:
    """Which places lie within `radius_km` of each centre."""
    tree = tree if tree is not None else cKDTree(places_xyz)
    if len(centres) == 0:
        return Cover(np.zeros((0, 3)), np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int64))
    found = tree.query_ball_point(centres, chord_for_km(radius_km), return_sorted=True)
    sizes = np.fromiter((len(f) for f in found), dtype=np.int64, count=len(found))
    ptr = np.zeros(len(found) + 1, dtype=np.int64)
    np.cumsum(sizes, out=ptr[1:])
    idx = np.fromiter((i for f in found for i in f), dtype=np.int64, count=int(ptr[-1]))
    return Cover(np.asarray(centres, dtype=np.float64), ptr, idx)


def drop_dominated(cov: Cover) -> Cover:
    """Keep one centre per reachable set and drop those whose set another one contains."""
    sets = [frozenset(cov.places(c).tolist()) for c in range(len(cov))]
    first: dict[frozenset[int], int] = {}
    for c, s in enumerate(sets):
        if s and s not in first:
            first[s] = c
    order = sorted(first.values(), key=lambda c: -len(sets[c]))
    kept: list[int] = []
    kept_by: dict[int, list[int]] = {}
    for c in order:
        s = sets[c]
        rarest = min(s, key=lambda p: len(kept_by.get(p, ())))
        if any(s <= sets[t] for t in kept_by.get(rarest, ())):
            continue
        kept.append(c)
        for p in s:
            kept_by.setdefault(p, []).append(c)
    return cov.subset(np.asarray(sorted(kept), dtype=np.int64))
