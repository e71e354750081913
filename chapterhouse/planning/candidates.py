"""Candidate meeting points and the places each one reaches.

A meeting point may be anywhere. For a fixed set of places the only meeting points worth trying
are the places themselves and the two points at distance R from both places of every pair at
most 2R apart (see `geo.circle_intersections`); points whose reachable set is contained in
another's are dominated and dropped. That makes the exact program in `exact.py` exact for
meeting points anywhere, not only on a grid.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, islice

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.spatial import cKDTree

from chapterhouse.planning.aggregate import IntArray
from chapterhouse.planning.geo import FloatArray, chord_for_km, circle_intersections

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
        mat = sparse.csr_array((np.ones(len(self.idx), dtype=np.int8), self.idx, self.ptr),
                               shape=(len(self), n_places)).tocsc()
        # csr to csc keeps the centres of each place in ascending order
        return mat.indptr.astype(np.int64), mat.indices.astype(np.int64)


def pair_centres(xyz: FloatArray, radius_km: float, k_nearest: int | None = None,
                 among: NDArray[np.bool_] | None = None) -> FloatArray:
    """Intersection points for pairs of places at most 2R apart.

    With `k_nearest`, only each place's k nearest partners (a cheap, good subset for large
    instances); without, every pair (exact, for the integer program). With `among`, only pairs
    with at least one place marked there.
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
        n = len(xyz)
        key = np.unique(np.minimum(a, b) * n + np.maximum(a, b))  # one int per pair: fast
        pairs = np.stack([key // n, key % n], axis=1)
    if among is not None and len(pairs):
        pairs = pairs[among[pairs[:, 0]] | among[pairs[:, 1]]]
    if len(pairs) == 0:
        return np.zeros((0, 3))
    return circle_intersections(xyz[pairs[:, 0]], xyz[pairs[:, 1]], radius_km - _INSIDE_KM)


def cover(centres: FloatArray, places_xyz: FloatArray, radius_km: float,
          tree: cKDTree | None = None) -> Cover:
    """Which places lie within `radius_km` of each centre."""
    if len(centres) == 0:
        return Cover(np.zeros((0, 3)), np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int64))
    if len(centres) * len(places_xyz) <= _DENSE_CELLS:
        # small problems (the search's windows): one matrix of squared chords beats the tree
        centres = np.asarray(centres, dtype=np.float64)
        sq = np.maximum(2.0 - 2.0 * (centres @ np.asarray(places_xyz).T), 0.0)
        rows, idx = np.nonzero(sq <= chord_for_km(radius_km) ** 2)
        ptr = np.zeros(len(centres) + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=len(centres)), out=ptr[1:])
        return Cover(centres, ptr, idx.astype(np.int64))
    tree = tree if tree is not None else cKDTree(places_xyz)
    centres = np.asarray(centres, dtype=np.float64)
    # all (centre, place) pairs in one call, as arrays (no Python list per centre)
    pairs = cKDTree(centres).sparse_distance_matrix(tree, chord_for_km(radius_km),
                                                    output_type="ndarray")
    mat = sparse.csr_array((np.ones(len(pairs), dtype=np.int8), (pairs["i"], pairs["j"])),
                           shape=(len(centres), len(places_xyz)))
    mat.sort_indices()
    return Cover(centres, mat.indptr.astype(np.int64), mat.indices.astype(np.int64))


def flatten(lists: Sequence[list[int]]) -> tuple[IntArray, IntArray]:
    """(ptr, idx) of a list of index lists, without a Python loop per element."""
    sizes = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    ptr = np.zeros(len(lists) + 1, dtype=np.int64)
    np.cumsum(sizes, out=ptr[1:])
    idx = np.fromiter(chain.from_iterable(lists), dtype=np.int64, count=int(ptr[-1]))
    return ptr, idx


_DEDUPE_CELLS = 50_000_000  # centres x places up to which identical sets go by bit rows
# centres x places up to which `cover` computes one dense matrix; above, the tree (on the
# greedy's 6,279 candidates over 639 sparse places: 5 ms against 0.14 s for the matrix)
_DENSE_CELLS = 1_000_000


def drop_dominated(cov: Cover) -> Cover:
    """Keep one centre per reachable set and drop those whose set another one contains."""
    n_places = int(cov.idx.max()) + 1 if len(cov.idx) else 0
    if 0 < len(cov) * n_places <= _DEDUPE_CELLS:
        return _drop_dominated_bits(cov, n_places)
    cand = range(len(cov))
    sets = {c: frozenset(cov.places(c).tolist()) for c in cand}
    first: dict[frozenset[int], int] = {}
    for c, s in sets.items():
        if s and s not in first:
            first[s] = c
    order = sorted(first.values(), key=lambda c: -len(sets[c]))
    kept: list[int] = []
    kept_by: dict[int, list[int]] = {}
    for c in order:
        s = sets[c]
        # a few elements suffice to find a short list of possible supersets
        rarest = min(islice(s, 8), key=lambda p: len(kept_by.get(p, ())))
        if any(s <= sets[t] for t in kept_by.get(rarest, ())):
            continue
        kept.append(c)
        for p in s:
            kept_by.setdefault(p, []).append(c)
    return cov.subset(np.asarray(sorted(kept), dtype=np.int64))


def _drop_dominated_bits(cov: Cover, n_places: int) -> Cover:
    """`drop_dominated` on bit rows: the largest set left is kept and every set it contains
    goes, in one vectorised step per kept set (sets are few in dense windows, small in sparse).
    """
    m = len(cov)
    rows = np.zeros((m, n_places), dtype=bool)
    rows[np.repeat(np.arange(m), np.diff(cov.ptr)), cov.idx] = True
    packed = np.packbits(rows, axis=1)
    packed = np.pad(packed, ((0, 0), (0, -packed.shape[1] % 8)))
    words = np.ascontiguousarray(packed).view(np.uint64)
    _, first = np.unique(words, axis=0, return_index=True)
    size = np.diff(cov.ptr)[first]
    first = first[size > 0]
    first = first[np.argsort(-np.diff(cov.ptr)[first], kind="stable")]
    left = words[first]
    alive = np.ones(len(first), dtype=bool)
    kept: list[int] = []
    at = 0
    while True:
        while at < len(first) and not alive[at]:
            at += 1
        if at == len(first):
            break
        kept.append(int(first[at]))
        rest = np.flatnonzero(alive[at:]) + at
        inside = ~np.any(left[rest] & ~left[at], axis=1)
        alive[rest[inside]] = False
    return cov.subset(np.asarray(sorted(kept), dtype=np.int64))
