"""Large-neighbourhood search: free the chapters in a small window and re-solve it exactly.

A window is a seed place with leftover members and its nearest places (within 2R, capped by
members and places so the exact program stays small). Every core that lies wholly inside the
window is freed; members that cores outside the window still use stay used. The window is then
re-solved by the exact program (`exact.solve`) over the members it may use. The candidate
centres there are exact for meeting points anywhere, so the freed cores are one feasible answer:
an optimal window never has fewer cores. A result with more cores replaces the freed ones; an
equal one replaces them too (a different but equally good local plan lets the next window find
what this one could not). Windows whose members cannot hold one more core are skipped unsolved.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from chapterhouse.planning import exact
from chapterhouse.planning.aggregate import IntArray
from chapterhouse.planning.bounds import simple_bound
from chapterhouse.planning.geo import FloatArray, chord_for_km
from chapterhouse.planning.groups import Cores, Group
from chapterhouse.planning.rule import Rule

MAX_MEMBERS = 250  # members at a window's places (the research notes' window size)
MAX_PLACES = 100  # distinct points in a window: keeps the pairwise candidate set small
WINDOW_SECONDS = 0.5  # the exact program's limit per window
GROW_LIMIT = 4  # windows grow (doubling) up to this many times MAX_PLACES when stuck


@dataclass
class LnsStats:
    windows: int = 0  # windows solved
    skipped: int = 0  # windows whose free members could not make one more core
    unchanged: int = 0  # windows not solved again: solved before, nothing changed since
    gained: int = 0
    passes: int = 0  # full passes over the seeds
    grown: int = 0  # times the windows doubled after passes without a gain

    def as_dict(self) -> dict[str, int]:
        return {"lns_windows": self.windows, "lns_skipped": self.skipped,
                "lns_gain": self.gained, "lns_passes": self.passes, "lns_grown": self.grown,
                "lns_unchanged": self.unchanged}


def improve(xyz: FloatArray, women: IntArray, others: IntArray, groups: list[Group],
            rule: Rule, seconds: float, *, seed: int = 0, max_members: int = MAX_MEMBERS,
            max_places: int = MAX_PLACES, done: NDArray[np.bool_] | None = None,
            patience: int = 3) -> tuple[list[Group], LnsStats]:
    """Better cores by window re-solves within `seconds`; never fewer than given.

    `done` marks places already solved to optimality (no window is seeded there).
    """
    deadline = time.perf_counter() + seconds
    stats = LnsStats()
    if len(xyz) == 0 or seconds <= 0:
        return groups, stats
    state = Cores(groups, women, others)
    tree = cKDTree(xyz)
    reach = chord_for_km(2 * rule.radius_km)
    k = min(max_places, len(xyz))
    window_seconds = WINDOW_SECONDS
    rng = np.random.default_rng(seed)
    total = women + others
    idle = 0
    while time.perf_counter() < deadline:
        # women are the scarce members: a window gains only if it frees some (free women,
        # or women beyond the core's share in a core, which a re-solve may put to better use)
        left = _spare(state, women, total, rule)
        seeds = np.flatnonzero((left > 0) & ~done) if done is not None else \
            np.flatnonzero(left > 0)
        if len(seeds) == 0:
            break
        stats.passes += 1
        gained_before = stats.gained
        order = rng.permutation(seeds)
        if EXP_CLOSEST and not idle and stats.passes == 1:
            order = _closest_pairs_first(xyz, seeds, left)
        for s in order:
            if time.perf_counter() >= deadline:
                break
            centres = [int(s)]
            if idle:  # after a pass without a gain: windows off-centre, of other sizes
                near = tree.query_ball_point(xyz[s], reach / 2)
                centres = [int(near[rng.integers(len(near))])]
            # a gain needs two free women: also take the area around the nearest other one
            others_free = seeds[seeds != s]
            if len(others_free):
                d = np.einsum("ij,j->i", xyz[others_free], xyz[s])
                partner = int(others_free[np.argmax(d)])
                if 2 - 2 * d.max() <= (2 * reach) ** 2:
                    centres.append(partner)
            cap = max_members if not idle else int(max_members * rng.uniform(0.4, 1.0))
            span = reach * float(np.sqrt(k / min(max_places, len(xyz))))
            _window(int(s), centres, xyz, women, others, total, rule, state, tree, span, k,
                    cap, deadline, stats, window_seconds)
        idle = idle + 1 if stats.gained == gained_before else 0
        if idle > patience:
            # passes without a gain: every window tried is locally optimal; a gain may need
            # cores to shift across a wider area, so try windows twice as large
            if k >= min(len(xyz), GROW_LIMIT * max_places):
                break
            k = min(2 * k, len(xyz), GROW_LIMIT * max_places)
            max_members *= 2
            window_seconds *= 2
            stats.grown += 1
            idle = 0
    return list(state.groups.values()), stats


EXP_CLOSEST = False


def _closest_pairs_first(xyz: FloatArray, seeds: IntArray, left: IntArray) -> IntArray:
    """Seeds by the distance to the nearest other spare woman (0 when the seed holds two):
    a window gains a core only if it holds `core_women` spare women, so close pairs of them
    are the likeliest gains."""
    if len(seeds) < 2:
        return seeds
    dist, _ = cKDTree(xyz[seeds]).query(xyz[seeds], k=2)
    gap = np.where(left[seeds] >= 2, 0.0, dist[:, 1])
    return seeds[np.argsort(gap, kind="stable")]


def _spare(state: Cores, women: IntArray, total: IntArray, rule: Rule) -> IntArray:
    """Per place, women not in a core plus women beyond `core_women` in their core (members
    of either kind when the rule asks for no women)."""
    if not rule.core_women:
        return total - state.used_w - state.used_o
    left = women - state.used_w
    for g in state.groups.values():
        extra = g.women - rule.core_women
        for p, (w, _) in g.takes.items():
            if extra <= 0:
                break
            if w:
                left[p] += min(w, extra)
                extra -= min(w, extra)
    return left


def _window(s: int, centres: list[int], xyz: FloatArray, women: IntArray, others: IntArray,
            total: IntArray, rule: Rule, state: Cores, tree: cKDTree, reach: float, k: int,
            max_members: int, deadline: float, stats: LnsStats,
            window_seconds: float = WINDOW_SECONDS) -> None:
    parts = [np.array([s])]
    for c in centres:
        dist, nbr = tree.query(xyz[c], k=max(1, k // len(centres)), distance_upper_bound=reach)
        nbr = np.atleast_1d(nbr)[np.isfinite(np.atleast_1d(dist))]
        # nearest first while the members fit
        fits = np.cumsum(total[nbr]) <= max_members // len(centres)
        fits[0] = True
        parts.append(nbr[fits])
    window = np.unique(np.concatenate(parts))
    key = (s, tuple(centres), k, max_members, reach)
    if state.solved.get(key, 0) > state.changed[window].max():
        stats.unchanged += 1
        return
    inside = set(window.tolist())
    freed = {gid for p in window.tolist() for gid in state.at.get(p, ())
             if all(q in inside for q in state.groups[gid].takes)}
    avail_w = women[window] - state.used_w[window]
    avail_o = others[window] - state.used_o[window]
    local = {int(p): i for i, p in enumerate(window)}
    for gid in freed:
        for p, (w, o) in state.groups[gid].takes.items():
            avail_w[local[p]] += w
            avail_o[local[p]] += o
    if simple_bound(int(avail_w.sum()), int((avail_w + avail_o).sum()), rule) <= len(freed):
        stats.skipped += 1
        return
    left = deadline - time.perf_counter()
    if left <= 0.01:
        return
    # the freed cores are the solver's first solution: it never returns fewer
    start = [Group(state.groups[gid].centre,
                   {local[p]: list(t) for p, t in state.groups[gid].takes.items()})
             for gid in freed]
    result = exact.solve(xyz[window], avail_w, avail_o, rule, start=start,
                         time_limit=min(left, window_seconds))
    stats.windows += 1
    state.step += 1
    if result.optimal:  # a window cut short may do better with another try
        state.solved[key] = state.step
    if result.count < len(freed) or (result.count == len(freed) and not result.optimal):
        return
    for gid in freed:
        state.remove(gid)
    for g in result.groups:
        g.takes = {int(window[p]): t for p, t in g.takes.items()}
        state.add(g)
    stats.gained += result.count - len(freed)
