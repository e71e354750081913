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

import os
import sys
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from chapterhouse.planning.aggregate import IntArray
from chapterhouse.planning.candidates import Cover, cover, drop_dominated, pair_centres
from chapterhouse.planning.geo import FloatArray
from chapterhouse.planning.groups import Group, split_flows
from chapterhouse.planning.rule import Rule

# A block of flow variables: kind ("a" women in women's slots, "b" women in open slots, "d"
# others), then per variable its centre, its place and its upper bound.
FlowBlock = tuple[str, IntArray, IntArray, IntArray]


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

    from chapterhouse.planning.geo import chord_for_km

    return int(cKDTree(xyz).count_neighbors(cKDTree(xyz), chord_for_km(2 * radius_km)))


def solve(xyz: FloatArray, women: IntArray, others: IntArray, rule: Rule, *,
          cov: Cover | None = None, time_limit: float = 10.0,
          start: list[Group] | None = None) -> ExactResult:
    """Most cores from places (unit vectors `xyz` with counts), within `time_limit` seconds.

    `start`: disjoint cores of these places (place indices as here) to start from: HiGHS is
    given them as its first solution (through highspy), so the result never has fewer.
    """
    started = time.perf_counter()
    cov = cov if cov is not None else exact_cover(xyz, rule.radius_km)
    m = len(cov)
    if m == 0:
        return ExactResult([], 0, 0, True, time.perf_counter() - started, 0)
    model = build_model(women, others, rule, cov)
    if start:
        return _solve_highs(model, cov, rule, start, time_limit, started)
    k, kw = rule.min_size, rule.core_women
    a_mat, lower, upper, var_ub = model.a_mat, model.lower, model.upper, model.var_ub
    y_ub, n_flow, n_var = var_ub[:m], model.n_var - m, model.n_var
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
    groups = _integral_groups(model, cov, y, k, kw)
    return ExactResult(groups, int(y.sum()), max(bound, int(y.sum())), optimal,
                       time.perf_counter() - started, m)


def _integral_groups(model: Model, cov: Cover, y: IntArray, k: int, kw: int) -> list[Group]:
    """Cores for integral y: with y fixed the flow problem is a network, and a simplex vertex
    is integral."""
    m, n_var = model.m, model.n_var
    n_flow = n_var - m
    fixed_lb = np.concatenate([y, np.zeros(n_flow)]).astype(float)
    fixed_ub = np.concatenate([y, model.var_ub[m:]]).astype(float)
    a_mat = model.a_mat
    flows = linprog(np.zeros(n_var), A_ub=a_mat[2 * m:], b_ub=model.upper[2 * m:],
                    A_eq=a_mat[:2 * m], b_eq=np.zeros(2 * m),
                    bounds=np.stack([fixed_lb, fixed_ub], axis=1), method="highs-ds")
    x = np.round(flows.x).astype(np.int64)
    return _groups(cov, y, x[m:], model.cols, k, kw)


def start_vector(model: Model, cov: Cover, groups: list[Group], rule: Rule
                 ) -> tuple[FloatArray, int]:
    """A feasible point of the program from disjoint cores, and how many cores it holds.

    Each core goes to a candidate centre reaching all its places (one exists when the core
    fits in a disc of radius R, since the candidates are exact); a core none reaches is left
    out. Its first `core_women` women fill the women's slots, the rest the open slots.
    """
    m = model.m
    n_places = len(model.upper) // 2 - m
    iptr, inv = cov.by_place(n_places)
    x = np.zeros(model.n_var)
    # column of (centre, place) in each flow block: blocks are sorted by centre, then place
    offsets, keys = {}, {}
    offset = m
    for kind, centre, pl, _ in model.cols:
        offsets[kind] = offset
        keys[kind] = centre * n_places + pl
        offset += len(centre)
    used = 0
    for g in groups:
        places = list(g.takes)
        common = inv[iptr[places[0]]:iptr[places[0] + 1]]
        for p in places[1:]:
            common = np.intersect1d(common, inv[iptr[p]:iptr[p + 1]], assume_unique=True)
        if len(common) == 0:
            continue
        c = int(common[0])
        left_w = rule.core_women
        for p, (w, o) in g.takes.items():
            a = min(left_w, w)
            left_w -= a
            for kind, n in (("a", a), ("b", w - a), ("d", o)):
                if n:
                    j = int(np.searchsorted(keys[kind], c * n_places + p))
                    x[offsets[kind] + j] += n
        if left_w:  # fewer women than a core needs: not a core
            raise ValueError("a start core has too few women")
        x[c] += 1
        used += 1
    return x, used


_banner_shown = False


def _highs() -> Any:
    """A highspy solver. HiGHS prints a banner to the C-level stdout when the first one is made;
    that would corrupt a plan written to stdout, so the first is made with stdout silenced."""
    global _banner_shown
    import highspy

    if _banner_shown:
        return highspy.Highs()  # type: ignore[no-untyped-call]
    sys.stdout.flush()
    saved = os.dup(1)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    try:
        h = highspy.Highs()  # type: ignore[no-untyped-call]
        h.setOptionValue("output_flag", False)
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(null)
    _banner_shown = True
    return h


def _solve_highs(model: Model, cov: Cover, rule: Rule, start: list[Group], time_limit: float,
                 started: float) -> ExactResult:
    import highspy

    m, n_var = model.m, model.n_var
    k, kw = rule.min_size, rule.core_women
    x0, _ = start_vector(model, cov, start, rule)
    csc = sparse.csc_array(model.a_mat)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n_var, csc.shape[0]
    lp.col_cost_ = np.concatenate([-np.ones(m), np.zeros(n_var - m)])
    lp.col_lower_ = np.zeros(n_var)
    lp.col_upper_ = model.var_ub
    lp.row_lower_ = np.where(np.isfinite(model.lower), model.lower, -highspy.kHighsInf)
    lp.row_upper_ = model.upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = csc.indptr
    lp.a_matrix_.index_ = csc.indices
    lp.a_matrix_.value_ = csc.data
    lp.integrality_ = [highspy.HighsVarType.kInteger] * m + \
        [highspy.HighsVarType.kContinuous] * (n_var - m)
    h = _highs()
    h.setOptionValue("output_flag", bool(os.environ.get("PLANNER_HIGHS_LOG")))
    h.setOptionValue("time_limit", max(0.1, time_limit))
    h.passModel(lp)
    sol = highspy.HighsSolution()
    sol.col_value = x0.tolist()
    sol.value_valid = True
    h.setSolution(sol)
    h.run()
    info = h.getInfo()
    optimal = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    if info.primal_solution_status == 2:  # a feasible solution
        y = np.round(np.asarray(h.getSolution().col_value)[:m]).astype(np.int64)
    else:
        y = np.round(x0[:m]).astype(np.int64)
    if y.sum() < x0[:m].sum():
        y = np.round(x0[:m]).astype(np.int64)
    dual = info.mip_dual_bound
    bound = int(y.sum()) if optimal else (
        int(np.floor(-dual + 1e-6)) if np.isfinite(dual) else int(model.var_ub[:m].sum()))
    groups = _integral_groups(model, cov, y, k, kw)
    return ExactResult(groups, int(y.sum()), max(bound, int(y.sum())), optimal,
                       time.perf_counter() - started, m)


@dataclass
class Model:
    """The program's matrix: columns are y (one per centre), then the flows `cols`.

    Rows: m women-slot rows and m open-slot rows (equalities, = 0), then one women row and one
    others row per place (<= the place's counts).
    """

    a_mat: sparse.csr_array
    lower: FloatArray
    upper: FloatArray
    var_ub: FloatArray
    cols: list[FlowBlock]  # per flow block, kinds "a", "b", "d"
    m: int

    @property
    def n_var(self) -> int:
        return int(self.a_mat.shape[1])


def build_model(women: IntArray, others: IntArray, rule: Rule, cov: Cover) -> Model:
    k, kw = rule.min_size, rule.core_women
    m = len(cov)
    n_places = len(women)
    owner = np.repeat(np.arange(m), np.diff(cov.ptr))
    place = cov.idx
    w_at, o_at = women[place], others[place]
    has_w, has_o = w_at > 0, o_at > 0
    cols: list[FlowBlock] = [
        ("a", owner[has_w], place[has_w], w_at[has_w]),
        ("b", owner[has_w], place[has_w], w_at[has_w]),
        ("d", owner[has_o], place[has_o], o_at[has_o]),
    ]
    n_flow = sum(len(c[1]) for c in cols)
    n_var = m + n_flow
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
    y_ub = rule.max_groups(w_cov, n_cov)
    var_ub = np.concatenate([y_ub, *[c[3] for c in cols]]).astype(float)
    return Model(a_mat, lower, upper, var_ub, cols, m)


def _groups(cov: Cover, y: IntArray, flow: IntArray, cols: list[FlowBlock], k: int, kw: int
            ) -> list[Group]:
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
    for c in np.flatnonzero(y > 0).tolist():
        groups += split_flows(cov.centres[c], int(y[c]), women_slots.get(int(c), []),
                              any_slots.get(int(c), []), k, kw)
    return groups
