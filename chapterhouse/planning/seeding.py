"""Fast heuristics that form cores (smallest valid groups) from weighted places.

`saturate` forms cores inside a single point or a small grid cell, where everyone is within R
of the cell centre anyway: vectorised, it absorbs most members of dense data. `greedy` then
serves the sparsest places first: for a seed place it picks the tightest candidate centre that
still reaches a core's worth of members and fills the core with the sparsest members it reaches,
women for the women's slots, others first for the open slots (women are the scarce resource:
neither step seats a woman in an open slot while others could still fill it).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from chapterhouse.domain.distance import EARTH_RADIUS_KM
from chapterhouse.planning.aggregate import IntArray
from chapterhouse.planning.candidates import Cover
from chapterhouse.planning.geo import FloatArray, chord_for_km, unit_vectors
from chapterhouse.planning.groups import Group
from chapterhouse.planning.rule import Rule


def _fill(group: Group, order: IntArray, women: IntArray, others: IntArray, need_w: int,
          need_any: int) -> None:
    """Take women for the women's slots, then others (women if none) for the open slots, each
    from the places in `order`, first places first."""
    order = np.asarray(order, dtype=np.int64)
    places = order.tolist()
    wv = women[order].tolist()
    ov = others[order].tolist()
    taken: dict[int, list[int]] = {}
    for i, w in enumerate(wv):
        if need_w == 0:
            break
        if w:
            t = min(need_w, w)
            taken[i] = [t, 0]
            wv[i] -= t
            need_w -= t
    for pool, slot in ((ov, 1), (wv, 0)):
        for i, n in enumerate(pool):
            if need_any == 0:
                break
            if n:
                t = min(need_any, n)
                taken.setdefault(i, [0, 0])[slot] += t
                need_any -= t
    for i, (w, o) in taken.items():
        p = places[i]
        group.add(p, women=w, others=o)
        women[p] -= w
        others[p] -= o


# Square grid cells (side in km) from fine to coarse, about H3 resolutions 8 to 5 by area.
GRID_KM = (0.86, 2.27, 6.0, 15.9)
SHIFTED = 1  # the coarsest levels run again on a grid moved by half a cell (joins leftovers
# that a cell edge separated; 0.3 s less greedy at 100,000 jittered members for 0.2% chapters)


def grid_sides(radius_km: float) -> tuple[float, ...]:
    """The grid cells small enough against R: the cell's diagonal under R."""
    return tuple(s for s in GRID_KM if s * np.sqrt(2.0) < radius_km)


def grid_cells(lat: FloatArray, lon: FloatArray, side_km: float,
               shift: float = 0.0) -> tuple[IntArray, FloatArray]:
    """Cell key of every point on a grid of about `side_km` squares, and each point's cell centre.

    Rows are bands of latitude `side_km` high; a band is cut into columns `side_km` wide at its
    middle latitude; `shift` (a fraction of a cell) moves the grid. Plain numpy, no per-point
    calls.
    """
    step = side_km / EARTH_RADIUS_KM  # radians
    phi, lam = np.radians(lat), np.radians(lon)
    row = np.floor(phi / step + shift)
    mid = (row + 0.5 - shift) * step
    scale = np.maximum(np.cos(mid), 1e-6)
    col = np.floor(lam * scale / step + shift)
    key = (row.astype(np.int64) + (1 << 20)) * (1 << 32) + col.astype(np.int64) + (1 << 31)
    centre = unit_vectors(np.degrees(mid), np.degrees((col + 0.5 - shift) * step / scale))
    return key, centre


def saturate(lat: FloatArray, lon: FloatArray, women: IntArray, others: IntArray, rule: Rule,
             resolutions: tuple[float, ...] = (), keep: int = 0) -> list[Group]:
    """Cores at each place, then inside grid cells of the given sides in km (fine to coarse);
    counts are decremented."""
    groups: list[Group] = []
    xyz = unit_vectors(lat, lon)
    groups += _place_cores(xyz, women, others, rule, keep)
    chord = chord_for_km(rule.radius_km)
    levels = [(side, 0.0) for side in resolutions]
    levels += [(side, 0.5) for side in resolutions[len(resolutions) - SHIFTED:]]
    for side, shift in levels:
        alive = np.flatnonzero(women + others > 0)
        if len(alive) == 0:
            break
        key, centre = grid_cells(lat[alive], lon[alive], side, shift)
        # A cell is small against R, but check: the rule is about the real distance.
        near = np.linalg.norm(xyz[alive] - centre, axis=1) <= chord
        alive, key, centre = alive[near], key[near], centre[near]
        groups += _cell_cores(alive, key, centre, women, others, rule)
    return groups


def _place_cores(xyz: FloatArray, women: IntArray, others: IntArray, rule: Rule,
                 keep: int) -> list[Group]:
    """Cores at each single place, women spread evenly over a place's cores."""
    k, kw = rule.min_size, rule.core_women
    total = women + others
    n = rule.max_groups(women, total)
    if rest := k - kw:  # no woman in an open slot here either
        n = np.minimum(n, others // rest) if kw else n
    n = np.maximum(0, n - keep)
    others_used = np.minimum(others, (k - kw) * n)
    women_used = k * n - others_used
    places = np.flatnonzero(n > 0)
    count = n[places]
    p_rep = np.repeat(places, count)
    g = np.arange(len(p_rep)) - np.repeat(np.cumsum(count) - count, count)
    wu, nn = women_used[p_rep], n[p_rep]
    w = wu // nn + (g < wu % nn)
    women -= women_used
    others -= others_used
    return [Group(xyz[p].copy(), {p: [wi, k - wi]})
            for p, wi in zip(p_rep.tolist(), w.tolist(), strict=True)]


def _cell_cores(alive: IntArray, key: IntArray, centre: FloatArray, women: IntArray,
                others: IntArray, rule: Rule) -> list[Group]:
    """As many cores as each cell's members make, filled as `_fill` would (women's slots with
    women in place order, open slots with others first); vectorised over all cells."""
    k, kw = rule.min_size, rule.core_women
    rest = k - kw
    order = np.argsort(key, kind="stable")
    alive, key, centre = alive[order], key[order], centre[order]
    new = np.r_[True, key[1:] != key[:-1]]
    cell = np.cumsum(new) - 1
    first = np.flatnonzero(new)
    cw = np.bincount(cell, weights=women[alive]).astype(np.int64)
    co = np.bincount(cell, weights=others[alive]).astype(np.int64)
    n = rule.max_groups(cw, cw + co)
    if rest and kw:  # no woman in an open slot here: the greedy may pair her with others nearby
        n = np.minimum(n, co // rest)
    if not n.any():
        return []
    o_used = np.minimum(co, rest * n)
    w_used = k * n - o_used
    core0 = np.cumsum(n) - n  # first core id of each cell
    takes_core: list[IntArray] = []
    takes_place: list[IntArray] = []
    takes_woman: list[IntArray] = []
    for pool, is_woman in ((women, True), (others, False)):
        cnt = pool[alive]
        unit_place = np.repeat(alive, cnt)
        unit_cell = np.repeat(cell, cnt)
        # rank of each unit within its cell
        cell_start = np.zeros(len(n) + 1, dtype=np.int64)
        np.cumsum(np.bincount(cell, weights=cnt, minlength=len(n)).astype(np.int64),
                  out=cell_start[1:])
        rank = np.arange(len(unit_place)) - cell_start[unit_cell]
        if is_woman:
            slot = kw * n[unit_cell]
            in_w = rank < slot
            open_q = o_used[unit_cell] + rank - slot
            in_open = ~in_w & (rank < w_used[unit_cell])
            local = np.where(in_w, rank // max(kw, 1), open_q // max(rest, 1))
            used = in_w | in_open
        else:
            used = rank < o_used[unit_cell]
            local = rank // max(rest, 1)
        takes_core.append(core0[unit_cell[used]] + local[used])
        takes_place.append(unit_place[used])
        takes_woman.append(np.full(int(used.sum()), int(is_woman), dtype=np.int64))
        np.subtract.at(pool, unit_place[used], 1)
    core = np.concatenate(takes_core)
    place = np.concatenate(takes_place)
    woman = np.concatenate(takes_woman)
    span = 2 * (int(place.max()) + 1)
    keys, counts = np.unique((core * span + 2 * place + woman), return_counts=True)
    cell_centre = centre[first]
    core_cell = np.repeat(np.arange(len(n)), n)
    groups_out = [Group(cell_centre[c].copy()) for c in core_cell.tolist()]
    for key, t in zip(keys.tolist(), counts.tolist(), strict=True):
        c, rest_key = divmod(key, span)
        p, wflag = divmod(rest_key, 2)
        if wflag:
            groups_out[c].add(int(p), women=t)
        else:
            groups_out[c].add(int(p), others=t)
    return groups_out


def density(xyz: FloatArray, total: IntArray, radius_km: float) -> FloatArray:
    """Members within R of each place (including its own): low means few alternatives."""
    tree = cKDTree(xyz)
    if (total == 1).all():  # one member per point (precise addresses): just count points
        counts: FloatArray = tree.query_ball_point(xyz, chord_for_km(radius_km),
                                                   return_length=True).astype(np.float64)
        return counts
    found = tree.query_ball_point(xyz, chord_for_km(radius_km))
    return np.fromiter((total[f].sum() for f in found), dtype=np.float64, count=len(xyz))


PERTURB = 0.1  # spread (log scale) of the density when the order is perturbed
# seeds in order of chances: members within reach plus so much per centre that can still host a
# core over the place (the most constrained places first; +11 cores from the greedy alone on
# the 15 quality rows, 1,565 -> 1,577, never fewer on a row; weights 0.5-10 all gave +11-12)
CHANCES_WEIGHT = 10.0
WASTES_A_WOMAN = 2.0**50  # added to the score of a centre whose open slots would take a woman
# the greedy with look-ahead (`_looked_ahead`): the seed's best centres by score tried, and
# the score's weight beside the centres a core would leave unable to host one
LOOK_AHEAD = 10
LOOK_SCORE_WEIGHT = 0.1


def greedy(xyz: FloatArray, women: IntArray, others: IntArray, rule: Rule, cov: Cover,
           tick: Callable[[int], object] | None = None, *,
           places_first: bool = False, perturb: np.random.Generator | None = None,
           chances_weight: float = CHANCES_WEIGHT, look_ahead: int = 0) -> list[Group]:
    """Cores over candidate centres `cov`, sparsest places first; counts are decremented.

    `places_first`: the first len(xyz) centres are the places themselves (so the members
    each reaches are the places' densities, no extra radius query). A centre that would put a
    woman in an open slot is chosen only when the seed has no other. `perturb`: densities
    times a random factor around 1 (a second, different greedy). `chances_weight`: see
    CHANCES_WEIGHT (0: by members within reach only, the order before). `look_ahead`: the
    seed's best centres by that score, up to so many, are each tried and the one whose core
    leaves the most other centres able to host a core is taken (`_looked_ahead`; 0 or 1:
    the best by the score alone).
    """
    k, kw = rule.min_size, rule.core_women
    total = women + others
    iptr, inv = cov.by_place(len(xyz))
    # women and members each centre still reaches, kept current as members are taken (a
    # core touches at most min_size places, so updating beats recounting every candidate)
    owner = np.repeat(np.arange(len(cov), dtype=np.int64), np.diff(cov.ptr))
    w_c = np.bincount(owner, weights=women[cov.idx], minlength=len(cov)).astype(np.int64)
    n_c = np.bincount(owner, weights=total[cov.idx], minlength=len(cov)).astype(np.int64)
    del owner
    dens = (n_c[:len(xyz)].astype(np.float64) if places_first
            else density(xyz, total, rule.radius_km))
    ok_c = (n_c >= k) & (w_c >= kw)
    if len(inv) and chances_weight:
        chances = np.add.reduceat(ok_c[inv].astype(np.float64), iptr[:-1][np.diff(iptr) > 0])
        dens[np.diff(iptr) > 0] += chances_weight * chances
    if perturb is not None:  # a variant of the order (ties and near ties broken otherwise)
        dens = dens * np.exp(PERTURB * perturb.standard_normal(len(dens)))
    rank = np.empty(len(xyz), dtype=np.int64)
    seeds = np.argsort(dens, kind="stable")
    rank[seeds] = np.arange(len(xyz))
    # a place none of whose centres reaches a core now never will (members only leave)
    live = np.zeros(len(xyz), dtype=bool)
    has = np.diff(iptr) > 0
    if len(inv):
        live[has] = np.logical_or.reduceat(ok_c[inv], iptr[:-1][has])
    live &= total > 0
    if tick is not None:
        tick(int((~live).sum()))
    seeds = seeds[live[seeds]]
    cent = cov.centres
    groups: list[Group] = []
    for seed in seeds.tolist():
        if tick is not None:
            tick(1)
        if women[seed] + others[seed] == 0:
            continue
        cands = inv[iptr[seed]:iptr[seed + 1]]
        while women[seed] + others[seed] > 0 and len(cands):
            good = cands[ok_c[cands]]
            if len(good) == 0:
                break
            # Centres with others enough for the open slots first (else a woman fills one, and
            # women are the scarce members); then the tightest centre (it takes members with
            # the fewest other chances), then the one nearest the seed (the dot product
            # orders by distance; adds under 1).
            score = n_c[good] - 0.25 * (cent[good] @ xyz[seed])
            score[n_c[good] - w_c[good] < k - kw] += WASTES_A_WOMAN
            if look_ahead > 1 and len(good) > 1:
                group = _looked_ahead(seed, good, score, look_ahead, cov, rank, women, others,
                                      n_c, w_c, ok_c, iptr, inv, k, kw)
            else:
                c = int(good[np.argmin(score)])
                reach = cov.idx[cov.ptr[c]:cov.ptr[c + 1]]
                order = reach[np.argsort(rank[reach], kind="stable")]
                order = np.concatenate([[seed], order[order != seed]])
                group = Group(cent[c].copy())
                _fill(group, order, women, others, kw, k - kw)
            groups.append(group)
            for p, (gw, go) in group.takes.items():
                hit = inv[iptr[p]:iptr[p + 1]]
                n_c[hit] -= gw + go
                if gw:
                    w_c[hit] -= gw
                    ok_c[hit] = (n_c[hit] >= k) & (w_c[hit] >= kw)
                else:
                    ok_c[hit] &= n_c[hit] >= k
            cands = cands[ok_c[cands]]  # members only leave: a centre never recovers
    return groups



def _looked_ahead(seed: int, good: IntArray, score: FloatArray, tries: int, cov: Cover,
                  rank: IntArray, women: IntArray, others: IntArray, n_c: IntArray,
                  w_c: IntArray, ok_c: NDArray[np.bool_], iptr: IntArray, inv: IntArray,
                  k: int, kw: int) -> Group:
    """The seed's core at the best of its `tries` best centres by `score`: the one whose
    members leave the fewest other centres unable to host a core (each counted once), then the
    score (LOOK_SCORE_WEIGHT per unit; a centre that would seat a woman in an open slot only
    when every one would). `women` and `others` lose the chosen core's members."""
    best: tuple[bool, float] | None = None
    chosen: tuple[Group, IntArray, IntArray] | None = None
    seen: set[bytes] = set()
    for i in np.argsort(score, kind="stable")[:tries].tolist():
        if best is not None and not best[0] and score[i] >= WASTES_A_WOMAN:
            break  # the rest would seat a woman in an open slot, and one need not
        c = int(good[i])
        reach = cov.idx[cov.ptr[c]:cov.ptr[c + 1]]
        key = reach.tobytes()
        if key in seen:  # the same places as a better-scored centre: the same core
            continue
        seen.add(key)
        order = reach[np.argsort(rank[reach], kind="stable")]
        order = np.concatenate([[seed], order[order != seed]])
        trial = Group(cov.centres[c].copy())
        w_left, o_left = women.copy(), others.copy()
        _fill(trial, order, w_left, o_left, kw, k - kw)
        taken = list(trial.takes.items())
        spans = [inv[iptr[p]:iptr[p + 1]] for p, _ in taken]
        hit = np.concatenate(spans)
        sizes = [len(h) for h in spans]
        counts = np.array([t for _, t in taken], dtype=np.int64)
        lose_n = np.repeat(counts.sum(axis=1), sizes)
        lose_w = np.repeat(counts[:, 0], sizes)
        # a centre reaching two of the core's places loses members at both: summed per centre
        uniq, at = np.unique(hit, return_inverse=True)
        left_n = n_c[uniq] - np.bincount(at, weights=lose_n, minlength=len(uniq))
        left_w = w_c[uniq] - np.bincount(at, weights=lose_w, minlength=len(uniq))
        killed = int((ok_c[uniq] & ((left_n < k) | (left_w < kw))).sum())
        value = (bool(score[i] >= WASTES_A_WOMAN), killed + LOOK_SCORE_WEIGHT * float(score[i]))
        if best is None or value < best:
            best, chosen = value, (trial, w_left, o_left)
    assert chosen is not None
    group, w_left, o_left = chosen
    women[:] = w_left
    others[:] = o_left
    return group
