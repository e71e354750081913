"""Split a large chapter into neighbourhood chapters around given centres (e.g. boroughs).

Members (aggregated by point) are assigned to centres within R, or to none. A small integer
program (HiGHS; there are few centres) maximises first the number of sub-chapters that satisfy
the rule on their own, then the members placed, then prefers the nearer centre. When fewer than
two sub-chapters work there is no split, and the reasons (codes with their numbers, worded by
planner/reasons.py) say what is missing where.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from chapterhouse.domain.disclosure import women_figure
from chapterhouse.domain.reasons import Reason, reason
from chapterhouse.planning.aggregate import MemberPool, Places, aggregate
from chapterhouse.planning.geo import FloatArray, km_between, unit_vectors
from chapterhouse.planning.rule import Rule


@dataclass(frozen=True)
class SubChapter:
    centre: int  # index into the candidate centres
    members: list[int]  # indices into the members
    women: int
    valid: bool
    reach: int  # members living within R of the centre
    reach_women: int


@dataclass(frozen=True)
class Split:
    works: bool
    parts: list[SubChapter]
    unplaced: list[int]  # members within R of no valid sub-chapter's centre
    reasons: list[Reason]


def split(lat: FloatArray, lon: FloatArray, is_woman: NDArray[np.bool_], centre_lat: FloatArray,
          centre_lon: FloatArray, rule: Rule, names: list[str] | None = None,
          time_limit: float = 10.0) -> Split:
    names = names or [f"#{j + 1}" for j in range(len(centre_lat))]
    m = len(centre_lat)
    places = aggregate(np.asarray(lat, float), np.asarray(lon, float), np.asarray(is_woman))
    cxyz = unit_vectors(centre_lat, centre_lon)
    km = km_between(places.xyz[:, None, :], cxyz[None, :, :])
    near = km <= rule.radius_km
    reach = places.total @ near
    reach_w = places.women @ near
    pp, jj = np.nonzero(near)
    n_pairs = len(pp)
    if m == 0 or n_pairs == 0:
        return _verdict(places, m, np.zeros(m, bool), {}, reach, reach_w, rule, names, lat)
    s = rule.min_women_share
    # variables: z_j (m), women x_pj (n_pairs), others x_pj (n_pairs)
    xw = m + np.arange(n_pairs)
    xo = m + n_pairs + np.arange(n_pairs)
    n_var = m + 2 * n_pairs
    rows, cols, vals, lo, hi = [], [], [], [], []
    n_pl = len(places)
    # each place gives at most its women / others
    rows += [pp, n_pl + pp]
    cols += [xw, xo]
    vals += [np.ones(n_pairs), np.ones(n_pairs)]
    lo += [np.full(2 * n_pl, -np.inf)]
    hi += [places.women.astype(float), places.others.astype(float)]
    base = 2 * n_pl
    # size >= min_size z_j ; size <= reach_j z_j ; women - share * size >= 0 (tiny slack)
    for offset, (w_coef, o_coef, z_coef) in enumerate(
            [(1.0, 1.0, -rule.min_size), (-1.0, -1.0, 0.0), (1 - s, -s, 0.0)]):
        r0 = base + offset * m
        rows += [r0 + jj, r0 + jj, r0 + np.arange(m)]
        cols += [xw, xo, np.arange(m)]
        z = reach.astype(float) if offset == 1 else np.full(m, z_coef)
        vals += [np.full(n_pairs, w_coef), np.full(n_pairs, o_coef), z]
        lo += [np.full(m, -1e-9)]
        hi += [np.full(m, np.inf)]
    a = sparse.csr_array((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                         shape=(base + 3 * m, n_var))
    total = int(places.total.sum())
    # lexicographic weights: a sub-chapter beats all members; a member beats any distance
    dist_pen = 0.5 * km[pp, jj] / rule.radius_km / max(total, 1)
    cost = np.concatenate([np.full(m, -(total + 1.0)), -1.0 + dist_pen, -1.0 + dist_pen])
    ub = np.concatenate([np.ones(m), places.women[pp], places.others[pp]]).astype(float)
    res = milp(cost, constraints=LinearConstraint(a, np.concatenate(lo), np.concatenate(hi)),
               integrality=np.ones(n_var), bounds=Bounds(np.zeros(n_var), ub),
               options={"time_limit": time_limit, "disp": False})
    if res.x is None:
        return _verdict(places, m, np.zeros(m, bool), {}, reach, reach_w, rule, names, lat)
    x = np.round(res.x).astype(np.int64)
    valid = x[:m] > 0
    pool = MemberPool(places)
    members: dict[int, list[int]] = {j: [] for j in range(m)}
    for i in range(n_pairs):
        if x[xw[i]] or x[xo[i]]:
            members[int(jj[i])] += pool.take(int(pp[i]), int(x[xw[i]]), int(x[xo[i]]))
    return _verdict(places, m, valid, members, reach, reach_w, rule, names, lat)


def _verdict(places: Places, m: int, valid: NDArray[np.bool_], members: dict[int, list[int]],
             reach: NDArray[np.int64], reach_w: NDArray[np.int64], rule: Rule,
             names: list[str], lat: FloatArray) -> Split:
    is_woman_member = np.zeros(len(lat), dtype=bool)
    for p in range(len(places)):
        s = places.start[p]
        is_woman_member[places.members[s:s + places.women[p]]] = True
    parts = [SubChapter(j, sorted(members.get(j, [])),
                        int(is_woman_member[members.get(j, [])].sum()) if members.get(j) else 0,
                        bool(valid[j]), int(reach[j]), int(reach_w[j])) for j in range(m)]
    placed = {i for part in parts if part.valid for i in part.members}
    unplaced = [i for i in range(len(lat)) if i not in placed]
    n_valid = int(valid.sum())
    reasons: list[Reason] = []
    if n_valid < 2:
        reasons.append(reason("planner.split.too_few_groups", valid=n_valid, groups=m,
                              size=rule.min_size,
                              percent=round(rule.min_women_share * 100)))
    for part in parts:
        if part.valid:
            continue
        reasons.append(centre_short(names[part.centre], part.reach, rule.radius_km,
                                    part.reach_women, minimum=rule.min_size))
    if unplaced and n_valid >= 2:
        reasons.append(reason("planner.split.unplaced", n=len(unplaced)))
    return Split(n_valid >= 2, parts, unplaced, reasons)


CENTRE_SHORT = "planner.split.centre_short"
CENTRE_SHORT_HIDDEN = "planner.split.centre_short_hidden"


def reach_women_shown(members: int, women: int, *, minimum: int) -> int | None:
    """The women among the `members` within a centre's reach, or None when the privacy rule
    (domain/disclosure.py) hides them: fewer than `minimum` people, or all or none women.
    Only the count is said (never whether it meets the share), so the share does not matter."""
    return women_figure(members, women, minimum=minimum, required_share=Fraction(0)).count


def centre_short(centre: str, members: int, km: float, women: int, *, minimum: int) -> Reason:
    """Why a centre makes no sub-chapter: its members within reach and, only when the privacy
    rule lets them be said, how many of them are women (`planner.split.centre_short`); else
    `planner.split.centre_short_hidden`, which has no women figure at all."""
    shown = reach_women_shown(members, women, minimum=minimum)
    if shown is None:
        return reason(CENTRE_SHORT_HIDDEN, centre=centre, members=members, km=km)
    return reason(CENTRE_SHORT, centre=centre, members=members, km=km, women=shown)


def reason_shown(stored: Mapping[str, Any], *, minimum: int) -> dict[str, Any]:
    """A stored split reason (JSON) as it may be shown: a `centre_short` whose women figure the
    privacy rule hides (a run stored before this rule, or a stricter minimum since) becomes
    `centre_short_hidden`; any other reason is returned as it is. Idempotent."""
    params = dict(stored.get("params") or {})
    if stored.get("code") != CENTRE_SHORT or "women" not in params:
        return dict(stored)
    members, women = int(params["members"]), int(params["women"])
    if 0 <= women <= members and \
            reach_women_shown(members, women, minimum=max(1, minimum)) is not None:
        return dict(stored)
    return reason(CENTRE_SHORT_HIDDEN, centre=str(params["centre"]), members=members,
                  km=float(params["km"])).as_json()
