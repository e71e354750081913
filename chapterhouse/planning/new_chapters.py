"""Choose new chapters among unaffiliated members: the planner's core, over plain arrays.

1. Members sharing a point become one weighted place (`aggregate`).
2. Cores (smallest valid groups) form inside single places, and on large inputs inside
   numpy grid cells from fine to coarse (`seeding.saturate`); on small inputs one core's worth
   is left at each place so the greedy can still move members across places.
3. The sparse-first greedy (`seeding.greedy`) forms cores from what is left, over candidate
   meeting points: the places and the circle intersections of each place with its nearest ones.
4. Within a time budget that grows with the places (`search_seconds`): on inputs of up to
   `SMALL_MEMBERS`, a second greedy in a perturbed order (per component the better one) and
   `augment` (one more core by re-seating neighbours, max flows, bounded by work); then
   connected components (places at most 2R apart) where the greedy is below the component's
   simple bound are
   re-solved exactly (`exact.solve`) when small enough, then large-neighbourhood search
   (`lns.improve`) re-solves windows of the remaining components exactly.
5. Leftover members join a chapter within reach while it keeps its share (`attach`), and
   meeting points move to shorten the longest trip.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from chapterhouse.planning import exact, lns
from chapterhouse.planning.aggregate import IntArray, Places, aggregate
from chapterhouse.planning.attach import attach, max_travel_km, recentre, takes_rows
from chapterhouse.planning.augment import augment
from chapterhouse.planning.bounds import components
from chapterhouse.planning.candidates import Cover, cover, pair_centres
from chapterhouse.planning.geo import FloatArray, lat_lon
from chapterhouse.planning.groups import Group
from chapterhouse.planning.rule import Rule
from chapterhouse.planning.seeding import (
    CHANCES_WEIGHT,
    LOOK_AHEAD,
    greedy,
    grid_sides,
    saturate,
)

SCALE_PLACES = 20_000  # above this many distinct points, saturate grid cells before the greedy
# flows `augment` may try: a floor plus so many per distinct place, and no more than
# AUGMENT_TRIES_PER_SECOND per second of the search's budget (a flow takes 0.05 ms of CPU on
# sparse inputs, up to 0.3 ms with many members per place). Work, not time, so the plan does
# not depend on the machine's load; two guards stop it earlier: `AUGMENT_CPU_SHARE` of the
# budget in CPU time (at least 0.05 s), and `augment_stop` in wall time.
AUGMENT_TRIES = {"fast": (300, 1.0), "quality": (1000, 4.0)}
AUGMENT_TRIES_PER_SECOND = 10_000
AUGMENT_CPU_SHARE = 0.6
# at least this much CPU (s): row 4 of the quality bench (639 places, budget 0.088 s) gains
# its core after 700 flows, 0.03-0.05 s of CPU by the load; the greedy's cover by the tree
# (candidates._DENSE_CELLS) saved 0.25 s of CPU there, so the whole stays below its old time
AUGMENT_CPU_FLOOR = 0.1
# members up to which the second greedy and `augment` run: at 100,000 members on 1,000-5,000
# city points they took 0.3-0.55 s of CPU (17,000 cores to book), more than the fast budget
# there (0.11-0.35 s), and found little (the saturation already formed most cores)
SMALL_MEMBERS = 20_000


def augment_stop(budget: float) -> float:
    """Wall seconds from its start after which `augment` stops whatever flows it has left (a
    guard against a machine so loaded that the work bound would overrun the budget by far;
    counted from the search's start, the greedies before it left it nothing under load)."""
    return max(2.0 * budget, 0.5)


SECOND_PAIRS = 16  # pair centres per place for the third greedy (0: none)
# places up to which a fifth greedy looks ahead (seeding.LOOK_AHEAD): it costs about ten plain
# greedies (0.06 s of CPU on 639 places, 0.14 s on 3,443, 1.4 s on 20,000), so only where that
# stays within a few times the search's budget
LOOK_MAX_PLACES = 1_000
EXACT_MAX_PLACES = 300  # components larger than this are left to the window search
EXACT_MAX_PAIRS = 60_000
PAIRS_WITH_WOMEN = True  # at scale, pair centres only for pairs with a woman (-35% cover)
MODES = ("fast", "quality")


def search_seconds(places: int, mode: str = "fast") -> float:
    """Default time for the exact step and the window search, by distinct places.

    "fast" keeps a 3,443-member plan well under a second; "quality" may take a while longer.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}")
    if mode == "fast":
        return min(1.0, 0.05 + 6e-5 * places)
    return min(60.0, 2.0 + 0.02 * places)


@dataclass(frozen=True)
class FoundChapter:
    lat: float
    lon: float
    members: NDArray[np.int64]  # indices into the input arrays
    women: int
    max_travel_km: float


@dataclass
class Found:
    chapters: list[FoundChapter]
    places: int
    stats: dict[str, float | int | str] = field(default_factory=dict)


def find_new_chapters(lat: FloatArray, lon: FloatArray, is_woman: NDArray[np.bool_],
                      rule: Rule, *, exact_seconds: float | None = None, mode: str = "fast",
                      tick: Callable[[int], object] | None = None) -> Found:
    """Disjoint valid groups of the given members (all eligible), each with a meeting point.

    `exact_seconds` is the search's budget (None: `search_seconds` for the mode; 0: greedy
    only): the second greedy, `augment` (by work, with CPU and wall guards from the budget),
    the exact step and the window search.
    """
    started = time.perf_counter()
    lat, lon = np.asarray(lat, dtype=np.float64), np.asarray(lon, dtype=np.float64)
    if len(lat) == 0:
        return Found([], 0, {"mode": "empty"})
    places = aggregate(lat, lon, np.asarray(is_woman, dtype=bool))
    scale = len(places) > SCALE_PLACES
    small = len(lat) <= SMALL_MEMBERS
    w, o = places.women.copy(), places.others.copy()
    resolutions = grid_sides(rule.radius_km)
    groups = saturate(places.lat, places.lon, w, o, rule,
                      resolutions if scale else (), keep=0 if scale else 1)
    stats: dict[str, float | int | str] = {"mode": "scale" if scale else "quality",
                                           "saturated": len(groups)}
    budget = search_seconds(len(places), mode) if exact_seconds is None else exact_seconds
    search_from = time.perf_counter()
    alive = np.flatnonzero(w + o > 0)
    if len(alive):
        sub = places.xyz[alive]
        # at scale, pairs of two places without women rarely host a core: skip them
        among = (w[alive] > 0) if scale and rule.core_women and PAIRS_WITH_WOMEN else None
        centres = np.concatenate([sub, pair_centres(sub, rule.radius_km,
                                                    k_nearest=1 if scale else 8, among=among)])
        cov = cover(centres, sub, rule.radius_km)
        sw, so = w[alive], o[alive]
        before = (sw.copy(), so.copy())
        # quality mode keeps the order by members within reach: its window search, started
        # from the better cores of the chances order, ended one core lower on row 4 (85 of 86)
        weight = CHANCES_WEIGHT if mode == "fast" else 0.0
        found = greedy(sub, sw, so, rule, cov, tick, places_first=True, chances_weight=weight)
        search_from = time.perf_counter()
        if budget > 0 and small:
            # a second greedy in another order, paid from the search's time: per component
            # the better one (cheap on small inputs, and it often finds the core the first
            # order missed)
            found = _better_greedy(sub, *before, rule, cov, found, fast=mode == "fast")
            sw, so = _left_of(before[0], before[1], found)
        for g in found:
            g.takes = {int(alive[p]): t for p, t in g.takes.items()}
        groups += found
        w[alive], o[alive] = sw, so
    stats["greedy"] = len(groups)
    stats["search"], stats["budget_seconds"] = mode, round(budget, 3)
    if budget > 0 and (not scale or mode == "quality"):
        deadline = search_from + budget
        done = np.zeros(len(places), dtype=bool)
        if small:
            # one more core by re-seating neighbours (max flows): cheap moves, so first
            floor, per_place = AUGMENT_TRIES[mode]
            tries = int(min(floor + per_place * len(places),
                            max(floor, AUGMENT_TRIES_PER_SECOND * budget)))
            groups, stats["augment_gain"] = augment(
                places.xyz, places.women, places.others, groups, rule, tries,
                stop_at=time.perf_counter() + augment_stop(budget),
                cpu_seconds=max(AUGMENT_CPU_FLOOR, AUGMENT_CPU_SHARE * budget),
                eject_fresh=mode == "fast")
        if not scale:
            # quality: most of the time left may go to one large component solved whole
            share = 0.7 if mode == "quality" else 0.5
            groups = _polish(places, groups, rule, share * (deadline - time.perf_counter()),
                             stats, done, per_component=share * budget
                             if mode == "quality" else budget / 4)
        groups, search = lns.improve(places.xyz, places.women, places.others, groups, rule,
                                     deadline - time.perf_counter(), done=done)
        stats.update(search.as_dict())
        w, o = _left(places, groups)
    stats["attached"] = attach(groups, places.xyz, w, o, rule)
    recentre(groups, places.xyz, rule.radius_km)
    stats["seconds"] = round(time.perf_counter() - started, 3)
    return Found(_materialise(places, groups), len(places), stats)


def _better_greedy(xyz: FloatArray, women: IntArray, others: IntArray, rule: Rule, cov: Cover,
                   first: list[Group], *, fast: bool = True) -> list[Group]:
    """Per component (places at most 2R apart), the greedy's cores or those of a second greedy
    with its order perturbed (seeded: plans are reproducible), whichever has more."""
    label = components(xyz, rule.radius_km)
    n = int(label.max()) + 1 if len(label) else 0

    def per(groups: list[Group]) -> IntArray:
        return np.bincount([label[next(iter(g.takes))] for g in groups],
                           minlength=n).astype(np.int64)

    def best_of(first: list[Group], second: list[Group]) -> list[Group]:
        better = per(second) > per(first)
        if not better.any():
            return first
        return [g for g in first if not better[label[next(iter(g.takes))]]] + \
            [g for g in second if better[label[next(iter(g.takes))]]]

    found = best_of(first, greedy(xyz, women.copy(), others.copy(), rule, cov,
                                  places_first=True, perturb=np.random.default_rng(0),
                                  chances_weight=CHANCES_WEIGHT if fast else 0.0))
    if not fast:
        return found
    if SECOND_PAIRS:
        # a third: more pair centres per place (at small radius on dense points the cores
        # the 8 nearest pairs miss are often there)
        wider = cover(np.concatenate([xyz, pair_centres(xyz, rule.radius_km,
                                                        k_nearest=SECOND_PAIRS)]),
                      xyz, rule.radius_km)
        found = best_of(found, greedy(xyz, women.copy(), others.copy(), rule, wider,
                                      places_first=True))
    # and the order by members within reach alone (on a few towns' clustered points the
    # order by chances misses a core it finds)
    found = best_of(found, greedy(xyz, women.copy(), others.copy(), rule, cov,
                                  places_first=True, chances_weight=0.0))
    if len(xyz) > LOOK_MAX_PLACES:
        return found
    # and that order with look-ahead, on small inputs (row 4 of the quality bench: 84 where
    # the others find 83, and augment then 85)
    return best_of(found, greedy(xyz, women.copy(), others.copy(), rule, cov,
                                 places_first=True, chances_weight=0.0, look_ahead=LOOK_AHEAD))


def _left_of(women: IntArray, others: IntArray, groups: list[Group]
             ) -> tuple[IntArray, IntArray]:
    w, o = women.copy(), others.copy()
    for g in groups:
        for p, (gw, go) in g.takes.items():
            w[p] -= gw
            o[p] -= go
    return w, o


def _left(places: Places, groups: list[Group]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    w, o = places.women.copy(), places.others.copy()
    for g in groups:
        for p, (gw, go) in g.takes.items():
            w[p] -= gw
            o[p] -= go
    return w, o


def _polish(places: Places, groups: list[Group], rule: Rule, budget: float,
            stats: dict[str, float | int | str], done: NDArray[np.bool_],
            per_component: float) -> list[Group]:
    """Re-solve exactly the components where the greedy may have missed chapters.

    Marks in `done` the places of components that are proven optimal.
    """
    deadline = time.perf_counter() + budget
    label = components(places.xyz, rule.radius_km)
    n_comp = int(label.max()) + 1
    cw = np.bincount(label, weights=places.women, minlength=n_comp)
    cn = np.bincount(label, weights=places.total, minlength=n_comp)
    have = np.zeros(n_comp, dtype=np.int64)
    for g in groups:
        have[label[next(iter(g.takes))]] += 1
    bound = rule.max_groups(cw.astype(np.int64), cn.astype(np.int64))
    size = np.bincount(label, minlength=n_comp)
    done |= (bound <= have)[label]  # the greedy already meets the simple bound there
    todo = [c for c in np.argsort(-(bound - have), kind="stable")
            if bound[c] > have[c] and size[c] <= min(EXACT_MAX_PLACES, 1000 * budget)]
    improved = proven = 0
    for c in todo:
        left = deadline - time.perf_counter()
        if left <= 0.05:
            break
        members = np.flatnonzero(label == c)
        xyz = places.xyz[members]
        if exact.coverage_size(xyz, rule.radius_km) > EXACT_MAX_PAIRS:
            continue
        # the greedy's cores there are the solver's first solution: it never returns fewer
        local = {int(p): i for i, p in enumerate(members)}
        start = [Group(g.centre, {local[p]: list(t) for p, t in g.takes.items()})
                 for g in groups if label[next(iter(g.takes))] == c]
        result = exact.solve(xyz, places.women[members], places.others[members], rule,
                             time_limit=min(left, max(0.5, per_component)), start=start)
        proven += int(result.optimal)
        if result.optimal:
            done[members] = True
        if result.count > have[c]:
            improved += result.count - int(have[c])
            keep = [g for g in groups if label[next(iter(g.takes))] != c]
            for g in result.groups:
                g.takes = {int(members[p]): t for p, t in g.takes.items()}
            groups = keep + result.groups
    stats["exact_gain"] = improved
    stats["exact_proven_components"] = proven
    return groups


def _materialise(places: Places, groups: list[Group]) -> list[FoundChapter]:
    """Member ids for each group's counts: a place hands out its women, then its others, in
    group order (as `MemberPool.take` would), all at once."""
    if not groups:
        return []
    travels = max_travel_km(groups, places.xyz)
    clat, clon = lat_lon(np.array([g.centre for g in groups]).reshape(-1, 3))
    gid, place, gw, go = takes_rows(groups)
    # offset of each row's members at its place: the same place's earlier rows come first
    by_place = np.argsort(place, kind="stable")
    w_off, o_off = np.empty_like(gw), np.empty_like(go)
    for count, off in ((gw, w_off), (go, o_off)):
        c = count[by_place]
        run = np.cumsum(c) - c
        first = np.r_[True, place[by_place][1:] != place[by_place][:-1]]
        seg = np.maximum.accumulate(np.where(first, np.arange(len(c)), 0))
        off[by_place] = run - run[seg]
    if ((w_off + gw > places.women[place]) | (o_off + go > places.others[place])).any():
        raise ValueError("a place has not enough members left")
    start = places.start[place]
    pos = np.concatenate([_ranges(start + w_off, gw), _ranges(start + places.women[place] + o_off,
                                                              go)])
    owner = np.concatenate([np.repeat(gid, gw), np.repeat(gid, go)])
    ids = places.members[pos]
    order = np.lexsort((ids, owner))
    ids, owner = ids[order], owner[order]
    cuts = np.searchsorted(owner, np.arange(1, len(groups))).tolist()
    women = np.bincount(gid, weights=gw, minlength=len(groups)).astype(np.int64)
    # slices of one array (np.split's views, without its per-part overhead)
    return [FoundChapter(la, lo, ids[first:end], w, km) for la, lo, first, end, w, km in zip(
        clat.tolist(), clon.tolist(), [0, *cuts], [*cuts, len(ids)], women.tolist(),
        travels.tolist(), strict=True)]


def _ranges(first: IntArray, count: IntArray) -> IntArray:
    """Concatenated ranges first[i], first[i] + 1, ..., first[i] + count[i] - 1."""
    total = int(count.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    row = np.repeat(np.arange(len(count)), count)
    return first[row] + np.arange(total) - np.repeat(np.cumsum(count) - count, count)
