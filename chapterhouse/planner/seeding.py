"""Fast heuristics that form cores (smallest valid groups) from weighted places.

`saturate` forms cores inside a single point or a small grid cell, where everyone is within R
of the cell centre anyway: vectorised, it absorbs most members of dense data. `greedy` then
serves the sparsest places first: for a seed place it picks the tightest candidate centre that
still reaches a core's worth of members and fills the core with the sparsest members it reaches,
women for the women's slots, others first for the open slots (women are the scarce resource).
"""

from __future__ import annotations

from collections.abc import Callable

import h3
import numpy as np
from scipy.spatial import cKDTree

from chapterhouse.planner.aggregate import IntArray
from chapterhouse.planner.candidates import Cover
from chapterhouse.planner.geo import FloatArray, chord_for_km, km_between, unit_vectors
from chapterhouse.planner.groups import Group
from chapterhouse.planner.rule import Rule


def cores_in_pool(women: int, others: int, rule: Rule, keep: int = 0) -> tuple[int, int, int]:
    """(cores, women used, others used) for members who can all meet at one point.

    `keep` leaves that many cores' worth for later, so the greedy can still trade members.
    """
    k, kw = rule.min_size, rule.core_women
    n = (women + others) // k if kw == 0 else min(women // kw, (women + others) // k)
    n = max(0, n - keep)
    others_used = min(others, (k - kw) * n)
    return n, kw * n + (k - kw) * n - others_used, others_used


def _fill(group: Group, order: IntArray, women: IntArray, others: IntArray, need_w: int,
          need_any: int) -> None:
    """Take women for the women's slots, then others (women if none) for the open slots."""
    for p in order:
        if need_w == 0:
            break
        t = min(need_w, int(women[p]))
        if t:
            group.add(int(p), women=t)
            women[p] -= t
            need_w -= t
    for pool, is_woman in ((others, False), (women, True)):
        for p in order:
            if need_any == 0:
                return
            t = min(need_any, int(pool[p]))
            if t:
                group.add(int(p), women=t if is_woman else 0, others=0 if is_woman else t)
                pool[p] -= t
                need_any -= t


def saturate(lat: FloatArray, lon: FloatArray, women: IntArray, others: IntArray, rule: Rule,
             resolutions: tuple[int, ...] = (), keep: int = 0) -> list[Group]:
    """Cores at each place, then inside H3 cells (fine to coarse); counts are decremented."""
    k = rule.min_size
    groups: list[Group] = []
    xyz = unit_vectors(lat, lon)
    # Each place alone: one vectorised step, then one Group per core.
    for p in np.flatnonzero((women + others) >= k * (keep + 1)):
        n, wu, ou = cores_in_pool(int(women[p]), int(others[p]), rule, keep)
        groups += _split_local(xyz[p], p, n, wu, ou, rule)
        women[p] -= wu
        others[p] -= ou
    for res in resolutions:
        alive = np.flatnonzero(women + others > 0)
        if len(alive) == 0:
            break
        cells = np.array([h3.latlng_to_cell(a, b, res) for a, b in zip(lat[alive], lon[alive],
                                                                       strict=True)])
        uniq, inverse = np.unique(cells, return_inverse=True)
        cw = np.bincount(inverse, weights=women[alive], minlength=len(uniq))
        cn = np.bincount(inverse, weights=(women + others)[alive], minlength=len(uniq))
        ok = cn >= k if rule.core_women == 0 else (cw >= rule.core_women) & (cn >= k)
        order = np.argsort(inverse, kind="stable")
        bounds = np.searchsorted(inverse[order], np.arange(len(uniq) + 1))
        for c in np.flatnonzero(ok):
            members = alive[order[bounds[c]:bounds[c + 1]]]
            centre = unit_vectors(*h3.cell_to_latlng(str(uniq[c])))
            # A cell is small against R, but check: the rule is about the real distance.
            members = members[km_between(xyz[members], centre) <= rule.radius_km]
            n, _, _ = cores_in_pool(int(women[members].sum()), int(others[members].sum()), rule)
            for _ in range(n):
                group = Group(centre.copy())
                _fill(group, members, women, others, rule.core_women, k - rule.core_women)
                groups.append(group)
    return groups


def _split_local(centre: FloatArray, p: int, n: int, wu: int, ou: int, rule: Rule) -> list[Group]:
    groups = []
    k = rule.min_size
    for g in range(n):
        w = wu // n + (1 if g < wu % n else 0)
        groups.append(Group(centre.copy(), {int(p): [w, k - w]}))
    assert sum(g.takes[int(p)][1] for g in groups) == ou
    return groups


def density(xyz: FloatArray, total: IntArray, radius_km: float) -> FloatArray:
    """Members within R of each place (including its own): low means few alternatives."""
    tree = cKDTree(xyz)
    found = tree.query_ball_point(xyz, chord_for_km(radius_km))
    return np.fromiter((total[f].sum() for f in found), dtype=np.float64, count=len(xyz))


def greedy(xyz: FloatArray, women: IntArray, others: IntArray, rule: Rule, cov: Cover,
           tick: Callable[[int], object] | None = None) -> list[Group]:
    """Cores over candidate centres `cov`, sparsest places first; counts are decremented."""
    k, kw = rule.min_size, rule.core_women
    total = women + others
    dens = density(xyz, total, rule.radius_km)
    rank = np.empty(len(xyz), dtype=np.int64)
    rank[np.argsort(dens, kind="stable")] = np.arange(len(xyz))
    iptr, inv = cov.by_place(len(xyz))
    groups: list[Group] = []
    for seed in np.argsort(dens, kind="stable"):
        if tick is not None:
            tick(1)
        cands = inv[iptr[seed]:iptr[seed + 1]]
        while women[seed] + others[seed] > 0 and len(cands):
            starts, ends = cov.ptr[cands], cov.ptr[cands + 1]
            flat = np.concatenate([cov.idx[s:e] for s, e in zip(starts, ends, strict=True)])
            cut = np.concatenate([[0], np.cumsum(ends - starts)[:-1]])
            w_c = np.add.reduceat(women[flat], cut)
            n_c = np.add.reduceat(women[flat] + others[flat], cut)
            ok = (n_c >= k) & (w_c >= kw)
            if not ok.any():
                break
            # Tightest centre first (it takes members with the fewest other chances), then
            # the one nearest the seed.
            score = n_c + km_between(cov.centres[cands], xyz[seed]) / (4 * rule.radius_km)
            best = int(np.flatnonzero(ok)[np.argmin(score[ok])])
            c = int(cands[best])
            reach = cov.places(c)
            order = reach[np.argsort(rank[reach], kind="stable")]
            order = np.concatenate([[seed], order[order != seed]])
            group = Group(cov.centres[c].copy())
            _fill(group, order, women, others, kw, k - kw)
            groups.append(group)
            cands = cands[n_c >= k]  # others cannot recover: members only leave
    return groups

