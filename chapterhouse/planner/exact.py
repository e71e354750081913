"""The exact integer program: the most disjoint cores over candidate meeting points (HiGHS).

A core is `min_size` members with `rule.core_women` women (5 with 2 by default); the most
chapters equals the most disjoint cores (members beyond a core are attached afterwards). Per
candidate centre c, an integer y_c counts its cores; continuous flows bring members from places
within reach:

    a[c,p]  women in the women's slots      sum_p a[c,p]          = core_women * y_c
    b[c,p]  women in the open slots         sum_p b[c,p] + d[c,p] = (min_size - core_women) * y_c
    d[c,p]  others in the open slots        sum_c a[c,p] + b[c,p] <= women_p
                                             sum_c d[c,p]          <= others_p

Every flow column has one centre row and one place row (a bipartite incidence matrix), so for
integral y the flows have an integral optimum: only y needs to be integer. With the candidate
centres of `candidates.py` the program is exact for meeting points anywhere; on a grid with
radius R + e (e: the grid's largest centre-to-vertex distance) its optimum is an upper bound.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from chapterhouse.planner.aggregate import IntArray
from chapterhouse.planner.candidates import Cover, cover, drop_dominated, pair_centres
from chapterhouse.planner.geo import FloatArray
from chapterhouse.planner.groups import Group, split_flows
from chapterhouse.planner.rule import Rule


@dataclass
class ExactResult:
    groups: list[Group]
    count: int  # cores found
    bound: int  # no plan over these candidates has more
    optimal: bool
    seconds: float
    centres: int  # candidate centres after dropping dominated ones


def exact_cover(xyz: FloatArray, radius_km: float) -> Cover:
    """Places and pairwise intersection points, dominated ones dropped."""
    centres = np.concatenate([xyz, pair_centres(xyz, radius_km)])
    return drop_dominated(cover(centres, xyz, radius_km))


def coverage_size(xyz: FloatArray, radius_km: float) -> int:
    """A cheap estimate of the program's size (pairs of places within 2R)."""
    from scipy.spatial import cKDTree

    from chapterhouse.planner.geo import chord_for_km

    return int(cKDTree(xyz).count_neighbors(cKDTree(xyz), chord_for_km(2 * radius_km)))


def solve(xyz: FloatArray, women: IntArray, others: IntArray, rule: Rule, *,
          cov: Cover | None = None, time_limit: float = 10.0) -> ExactResult:
    """Most cores from places (unit vectors `xyz` with counts), within `time_limit` seconds."""
    started = time.perf_counter()
    cov = cov if cov is not None else exact_cover(xyz, rule.radius_km)
    k, kw = rule.min_size, rule.core_women
    m = len(cov)
    if m == 0:
        return ExactResult([], 0, 0, True, time.perf_counter() - started, 0)
    owner = np.repeat(np.arange(m), np.diff(cov.ptr))
    place = cov.idx
    w_at, o_at = women[place], others[place]
    has_w, has_o = w_at > 0, o_at > 0
    cols = [  # (kind, centre, place, upper bound)
        ("a", owner[has_w], place[has_w], w_at[has_w]),
        ("b", owner[has_w], place[has_w], w_at[has_w]),
        ("d", owner[has_o], place[has_o], o_at[has_o]),
    ]
    n_flow = sum(len(c[1]) for c in cols)
    n_var = m + n_flow
    n_places = len(xyz)
    # rows: m women-slot rows, m open-slot rows, n_places women rows, n_places other rows
    r, cidx, val = [np.arange(m), np.arange(m) + m], [np.arange(m), np.arange(m)], [
        np.full(m, -float(kw)), np.full(m, -float(k - kw))]
    offset = m
    for kind, centre, pl, _ in cols:
        j = np.arange(offset, offset + len(centre))
        centre_row = centre if kind == "a" else centre + m
        place_row = 2 * m + pl if kind in "ab" else 2 * m + n_places + pl
        r += [centre_row, place_row]
        cidx += [j, j]
        val += [np.ones(len(j)), np.ones(len(j))]
        offset += len(centre)
    a_mat = sparse.csr_array((np.concatenate(val), (np.concatenate(r), np.concatenate(cidx))),
                             shape=(2 * m + 2 * n_places, n_var))
    lower = np.concatenate([np.zeros(2 * m), np.full(2 * n_places, -np.inf)])
    upper = np.concatenate([np.zeros(2 * m), women, others]).astype(float)
    w_cov = np.add.reduceat(women[cov.idx], cov.ptr[:-1]) if len(cov.idx) else np.zeros(m)
    n_cov = np.add.reduceat((women + others)[cov.idx], cov.ptr[:-1]) if len(cov.idx) else w_cov
    y_ub = n_cov // k if kw == 0 else np.minimum(w_cov // kw, n_cov // k)
    var_ub = np.concatenate([y_ub, *[c[3] for c in cols]]).astype(float)
    cost = np.concatenate([-np.ones(m), np.zeros(n_flow)])
    integrality = np.concatenate([np.ones(m), np.zeros(n_flow)])
    res = milp(cost, constraints=LinearConstraint(a_mat, lower, upper),
               integrality=integrality, bounds=Bounds(np.zeros(n_var), var_ub),
               options={"time_limit": max(0.1, time_limit), "disp": False})
    if res.x is None:
        bound = int(np.floor(-res.mip_dual_bound + 1e-6)) if res.mip_dual_bound is not None \
            else int(y_ub.sum())
        return ExactResult([], 0, bound, False, time.perf_counter() - started, m)
    y = np.round(res.x[:m]).astype(np.int64)
    optimal = res.status == 0
    dual = getattr(res, "mip_dual_bound", None)
    bound = int(y.sum()) if optimal else (
        int(np.floor(-dual + 1e-6)) if dual is not None and np.isfinite(dual) else int(y_ub.sum()))
    # With y fixed the flow problem is a network: a simplex vertex is integral.
    fixed_lb = np.concatenate([y, np.zeros(n_flow)]).astype(float)
    fixed_ub = np.concatenate([y, var_ub[m:]]).astype(float)
    flows = linprog(np.zeros(n_var), A_ub=sparse.vstack([a_mat[2 * m:]]).tocsr(),
                    b_ub=upper[2 * m:], A_eq=a_mat[:2 * m], b_eq=np.zeros(2 * m),
                    bounds=np.stack([fixed_lb, fixed_ub], axis=1), method="highs-ds")
    x = np.round(flows.x).astype(np.int64)
    groups = _groups(cov, y, x[m:], cols, k, kw)
    return ExactResult(groups, int(y.sum()), max(bound, int(y.sum())), optimal,
                       time.perf_counter() - started, m)


def _groups(cov: Cover, y: IntArray, flow: IntArray, cols: list, k: int, kw: int) -> list[Group]:
    women_slots: dict[int, list[tuple[int, int]]] = {}
    any_slots: dict[int, list[tuple[int, int, bool]]] = {}
    offset = 0
    for kind, centre, pl, _ in cols:
        part = flow[offset:offset + len(centre)]
        offset += len(centre)
        for i in np.flatnonzero(part > 0):
            c, p, n = int(centre[i]), int(pl[i]), int(part[i])
            if kind == "a":
                women_slots.setdefault(c, []).append((p, n))
            else:
                any_slots.setdefault(c, []).append((p, n, kind == "b"))
    groups: list[Group] = []
    for c in np.flatnonzero(y > 0):
        groups += split_flows(cov.centres[c], int(y[c]), women_slots.get(int(c), []),
                              any_slots.get(int(c), []), k, kw)
    return groups
