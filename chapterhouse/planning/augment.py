"""One more core by re-seating its neighbours: a cheap exact move between greedy and search.

After the greedy, women are the scarce members and a few are left free, often two within 2R
of each other whose disc lacks free others. A new core at a candidate centre c may still fit
if the cores around c hand over some of their members and take others instead. With the
meeting points of those cores kept, whether the cores around c and one more at c can all be
filled is a maximum flow (one node per place's women and others, one per core's women's slots
and open slots; women may fill either slot, others only open ones), which scipy solves in C:
no integer program, so hundreds of tries fit in the fast mode's budget where one window of
the search (`lns`) takes tens of milliseconds. The flow is exact for the centres tried, so a
move never loses a core, and it is made only when every core around c and the new one fill.
The moves are bounded by a number of flows, not by time, so what they find does not depend on
the machine's load.

A second move frees one core near free women and keeps the change only if two cores then fit
around it (each again by flows), else takes it back (`_Journal.undo`).

Candidate centres: the circle intersections of pairs of places with free women at most 2R
apart (a disc through both), those of each such place with its nearest places, and the
places themselves, most free women reached first.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import maximum_flow
from scipy.spatial import cKDTree

from chapterhouse.planning.aggregate import IntArray
from chapterhouse.planning.candidates import Cover, flatten, pair_centres
from chapterhouse.planning.geo import FloatArray, chord_for_km, circle_intersections
from chapterhouse.planning.groups import Cores, Group
from chapterhouse.planning.rule import Rule

# candidate centres tried for the two new cores after freeing one: 40, with the most free women
# (before the core was freed) first; or, `eject_fresh` (the fast mode), 10 with the most women
# free after it first: more cores tried within the same flows (row 4 of the quality bench
# gains its core after 700 flows, against 1,500 the first way)
EJECT_TRIES = 40
EJECT_TRIES_FRESH = 10
EJECT_MIN_FREE = 1  # free women within 2R of a core for it to be freed and replaced by two
_INSIDE_KM = 1e-6  # as candidates.py: centres a hair inside R, so rounding keeps places in reach
BIG = 1 << 20  # capacity of the place -> slot edges (never binding)


class _Work:
    """Flows left to try (none after `stop_at` wall time or `cpu_seconds` of CPU)."""

    def __init__(self, tries: int, stop_at: float | None = None,
                 cpu_seconds: float | None = None) -> None:
        self.left = tries
        self.stop_at = stop_at
        self.cpu_stop = None if cpu_seconds is None else time.process_time() + cpu_seconds

    def spend(self) -> bool:
        self.left -= 1
        # a clock read costs about a microsecond, a flow 50-300
        if (self.stop_at is not None and time.perf_counter() > self.stop_at) or \
                (self.cpu_stop is not None and time.process_time() > self.cpu_stop):
            self.left = -1
        return self.left >= 0


class _Journal(Cores):
    """The search's state with an undo log, so a move that does not pay can be taken back."""

    def __init__(self, groups: list[Group], women: IntArray, others: IntArray) -> None:
        super().__init__(groups, women, others)
        self.log: list[tuple[int, Group | None]] = []  # (gid, group removed or None: added)

    def remove(self, gid: int) -> None:
        self.log.append((gid, self.groups[gid]))
        super().remove(gid)

    def add(self, g: Group) -> None:
        self.log.append((self.next_id, None))
        super().add(g)

    def undo(self, mark: int) -> None:
        while len(self.log) > mark:
            gid, g = self.log.pop()
            if g is None:
                self.book(gid, self.groups.pop(gid), -1)
            else:
                self.groups[gid] = g
                self.book(gid, g, +1)


def augment(xyz: FloatArray, women: IntArray, others: IntArray, groups: list[Group],
            rule: Rule, tries: int, *, depth: int = 2, eject: bool = True,
            eject_fresh: bool = False,
            stop_at: float | None = None, cpu_seconds: float | None = None
            ) -> tuple[list[Group], int]:
    """More cores from `groups` (disjoint cores over places `xyz` with these counts) by
    re-flowing the cores around a new centre, in at most `tries` flows; never fewer. Returns
    the cores and how many were gained.

    Bounded by work, not time, so that a plan does not depend on the machine's load (a flow
    on a few dozen places takes a fraction of a millisecond).

    `depth`: rings of cores around the new centre whose members may move (1: cores using its
    places; 2: also cores using the places those cores reach). `stop_at`: a `perf_counter`
    time after which no flow is tried (a guard for an overloaded machine, not the budget);
    `cpu_seconds`: no flow after this much CPU time (the cost of a flow varies with the
    places and members around it; CPU time, unlike wall time, hardly depends on the load).
    `eject_fresh`: see EJECT_TRIES_FRESH.
    """
    if len(xyz) < 1 or tries <= 0:
        return groups, 0
    work = _Work(tries, stop_at, cpu_seconds)
    k, kw = rule.min_size, rule.core_women
    radius = rule.radius_km - _INSIDE_KM
    chord = chord_for_km(rule.radius_km)
    tree = cKDTree(xyz)
    state = _Journal(groups, women, others)
    reach: dict[int, IntArray] = {}

    def reach_of(gid: int) -> IntArray:
        if gid not in reach:
            found = tree.query_ball_point(state.groups[gid].centre, chord)
            reach[gid] = np.asarray(sorted(found), dtype=np.int64)
        return reach[gid]

    gained = 0
    tried: set[tuple[int, ...]] = set()
    while work.left > 0:
        centres = _candidates(xyz, women - state.used_w, rule, radius)
        if len(centres) == 0:
            break
        # through the tree: the candidates are a few per free woman, spread out (the dense
        # matrix `cover` uses for small windows would be mostly zeros here)
        ptr, idx = flatten(tree.query_ball_point(centres, chord, return_sorted=True))
        cov = Cover(centres, ptr, idx)
        free_w = women - state.used_w
        free_n = free_w + others - state.used_o
        owner = np.repeat(np.arange(len(cov)), np.diff(cov.ptr))
        fw_c = np.bincount(owner, weights=free_w[cov.idx], minlength=len(cov)).astype(np.float64)
        fn_c = np.bincount(owner, weights=free_n[cov.idx], minlength=len(cov))
        order = np.lexsort((-fn_c, -fw_c))
        order = order[fw_c[order] > 0]
        before = gained
        for c in order.tolist():
            if work.left <= 0:
                break
            places = cov.idx[cov.ptr[c]:cov.ptr[c + 1]]
            key = tuple(places.tolist())
            if key in tried:  # the same disc (places) as a centre tried since the last gain
                continue
            tried.add(key)
            while work.spend() and _try(cov.centres[c], places, state, women, others, reach_of,
                                        k, kw, depth):
                gained += 1
                tried.clear()
                for gid in [g for g in reach if g not in state.groups]:
                    del reach[gid]
        if gained == before and eject:
            gained += _eject_pass(xyz, cov, fw_c, state, women, others, reach_of, k, kw, depth,
                                  work, chord, eject_fresh)
        if gained == before:
            break
    return list(state.groups.values()), gained


def _eject_pass(xyz: FloatArray, cov: Cover, fw_c: FloatArray, state: _Journal, women: IntArray,
                others: IntArray, reach_of: Callable[[int], IntArray], k: int, kw: int, depth: int,
                work: _Work, chord: float, fresh: bool = False) -> int:
    """Free one core near free women and fill two at candidate centres around it (the
    neighbours re-seated by flows as in `_try`); taken back unless two fit."""
    # a net gain needs `core_women` more women seated: cores with the most free women within
    # 2R of their centre first (a woman further away may still come through a chain of moves,
    # but rarely)
    free_w = women - state.used_w
    spots = np.flatnonzero(free_w > 0)
    if len(spots) == 0:
        return 0
    gids = list(state.groups)
    spot_tree = cKDTree(xyz[spots])
    counts = np.array([free_w[spots[spot_tree.query_ball_point(state.groups[g].centre,
                                                               2 * chord)]].sum()
                       for g in gids])
    gids = [gids[i] for i in np.argsort(-counts, kind="stable") if counts[i] >= EJECT_MIN_FREE]
    ctree = cKDTree(cov.centres)
    gained = 0
    for gid in gids:
        if work.left <= 0:
            break
        if gid not in state.groups:
            continue
        g = state.groups[gid]
        cands = np.asarray(ctree.query_ball_point(g.centre, 2 * chord), dtype=np.int64)
        mark = len(state.log)
        state.remove(gid)
        if not fresh:
            cands = cands[np.argsort(-fw_c[cands], kind="stable")][:EJECT_TRIES]
        elif len(cands):
            # the women free now (the freed core's among them) that each candidate reaches
            sizes = np.diff(cov.ptr)[cands]
            flat = np.repeat(cov.ptr[cands] - np.cumsum(sizes) + sizes, sizes) + \
                np.arange(int(sizes.sum()))
            owner = np.repeat(np.arange(len(cands)), sizes)
            free_now = (women - state.used_w)[cov.idx[flat]]
            reach_w = np.bincount(owner, weights=free_now, minlength=len(cands))
            cands = cands[np.argsort(-reach_w, kind="stable")][:EJECT_TRIES_FRESH]
        added = 0
        for c in cands.tolist():
            places = cov.idx[cov.ptr[c]:cov.ptr[c + 1]]
            while added < 2 and work.spend() and _try(cov.centres[c], places, state, women,
                                                      others, reach_of, k, kw, depth):
                added += 1
            if added == 2:
                break
        if added < 2:
            state.undo(mark)
        else:
            gained += 1
    return gained


def _candidates(xyz: FloatArray, free_w: IntArray, rule: Rule, radius: float) -> FloatArray:
    """Centres worth trying: discs through two places with free women, or one with free women
    and one of its nearest places, and the places with free women themselves."""
    has = free_w > 0
    spots = np.flatnonzero(has)
    if len(spots) == 0:
        return np.zeros((0, 3))
    parts = [xyz[spots]]
    if len(spots) > 1:
        pairs = cKDTree(xyz[spots]).query_pairs(chord_for_km(2 * radius), output_type="ndarray")
        if len(pairs):
            parts.append(circle_intersections(xyz[spots[pairs[:, 0]]], xyz[spots[pairs[:, 1]]],
                                              radius))
    parts.append(pair_centres(xyz, rule.radius_km, k_nearest=8, among=has))
    return np.concatenate(parts)


def _try(centre: FloatArray, places: IntArray, state: Cores, women: IntArray,
         others: IntArray, reach_of: Callable[[int], IntArray], k: int, kw: int,
         depth: int) -> bool:
    """One more core at `centre` (reaching `places`) if the cores around can be re-filled."""
    local: list[int] = []
    seen: set[int] = set()
    ring = places.tolist()
    area = set(ring)
    at_place = state.at
    for _ in range(depth):
        new = {gid for p in ring for gid in at_place.get(p, ())} - seen
        if not new:
            break
        seen |= new
        local += sorted(new)
        ring = []
        for g in new:
            for p in reach_of(g).tolist():
                if p not in area:
                    area.add(p)
                    ring.append(p)
    q = np.fromiter(sorted(area), dtype=np.int64, count=len(area))
    sup_w = women[q] - state.used_w[q]
    sup_o = others[q] - state.used_o[q]
    n_cores = len(local) + 1
    lw = sum(w for gid in local for w, _ in state.groups[gid].takes.values())
    if int(sup_w.sum()) + lw < kw * n_cores or \
            int(sup_w.sum() + sup_o.sum()) + k * len(local) < k * n_cores:
        return False
    for gid in local:
        t = state.groups[gid].takes
        i = np.searchsorted(q, list(t))
        wo = np.array(list(t.values()), dtype=np.int64).reshape(-1, 2)
        np.add.at(sup_w, i, wo[:, 0])
        np.add.at(sup_o, i, wo[:, 1])
    # nodes: 0 source, 1 sink, then women of each place, others of each place, then per core
    # its women's slots and open slots (the new core last)
    nq = len(q)
    w_node = 2 + np.arange(nq)
    o_node = 2 + nq + np.arange(nq)
    ws_node = 2 + 2 * nq + np.arange(n_cores)
    os_node = 2 + 2 * nq + n_cores + np.arange(n_cores)
    n_nodes = 2 + 2 * nq + 2 * n_cores
    reaches = [reach_of(g) for g in local] + [places]
    core_of = np.repeat(np.arange(n_cores), [len(r) for r in reaches])
    at = np.searchsorted(q, np.concatenate(reaches))
    rows = [np.zeros(nq, dtype=np.int64), np.zeros(nq, dtype=np.int64),
            w_node[at], w_node[at], o_node[at], ws_node, os_node]
    cols = [w_node, o_node, ws_node[core_of], os_node[core_of], os_node[core_of],
            np.ones(n_cores, dtype=np.int64), np.ones(n_cores, dtype=np.int64)]
    caps = [sup_w, sup_o, np.full(len(at), BIG), np.full(len(at), BIG), np.full(len(at), BIG),
            np.full(n_cores, kw), np.full(n_cores, k - kw)]
    r, c, cap = np.concatenate(rows), np.concatenate(cols), np.concatenate(caps)
    keep = cap > 0
    graph = sparse.csr_array((cap[keep].astype(np.int32), (r[keep], c[keep])),
                             shape=(n_nodes, n_nodes))
    result = maximum_flow(graph, 0, 1)
    if result.flow_value < k * n_cores:
        return False
    flow = sparse.csr_array(result.flow).tocoo()
    takes: list[dict[int, list[int]]] = [{} for _ in range(n_cores)]
    for a, b, f in zip(flow.row.tolist(), flow.col.tolist(), flow.data.tolist(), strict=True):
        if f <= 0 or a < 2 or a >= 2 + 2 * nq:
            continue
        is_woman = a < 2 + nq
        place = int(q[(a - 2) % nq])
        core = (b - 2 - 2 * nq) % n_cores
        row = takes[core].setdefault(place, [0, 0])
        row[0 if is_woman else 1] += int(f)
    centres = [state.groups[g].centre for g in local] + [np.array(centre, dtype=np.float64)]
    for gid in local:
        state.remove(gid)
    for centre_g, t in zip(centres, takes, strict=True):
        state.add(Group(centre_g, t))
    return True
