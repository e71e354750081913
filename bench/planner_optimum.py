"""The true optimum of an instance, offline: the exact program per component, warm-started.

    .venv/bin/python bench/planner_optimum.py --countries NL,BE --members 500 --jitter 15 \
        [--search 30] [--time-limit 900]

The planner's cores (greedy, then `--search` seconds of window search) are HiGHS's first
solution in each connected component of the "within 2R" graph; HiGHS then improves them and
raises its dual bound until it proves the optimum or reaches `--time-limit` per component.
The sum of the components' bounds bounds every plan (the candidate centres are exact for
meeting points anywhere). Cold starts rarely find a good solution on these models (the root LP
alone takes 20-40 s on a 500-place component), warm starts do.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from instances import make

from chapterhouse.planning import exact, lns
from chapterhouse.planning.aggregate import aggregate
from chapterhouse.planning.bounds import components
from chapterhouse.planning.candidates import cover, pair_centres
from chapterhouse.planning.groups import Group
from chapterhouse.planning.rule import Rule
from chapterhouse.planning.seeding import greedy


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--countries", default="NL,BE")
    parser.add_argument("--members", type=int, default=500)
    parser.add_argument("--jitter", type=float, default=15.0)
    parser.add_argument("--search", type=float, default=30.0)
    parser.add_argument("--time-limit", type=float, default=900.0)
    args = parser.parse_args()
    rule = Rule()
    inst = make("optimum", args.members, args.countries.split(","), jitter_km=args.jitter, seed=1)
    places = aggregate(inst.lat, inst.lon, inst.is_woman)
    w, o = places.women.copy(), places.others.copy()
    centres = np.concatenate([places.xyz, pair_centres(places.xyz, rule.radius_km, 8)])
    cores = greedy(places.xyz, w, o, rule, cover(centres, places.xyz, rule.radius_km))
    cores, _ = lns.improve(places.xyz, places.women, places.others, cores, rule, args.search)
    print(f"planner cores after {args.search:.0f} s of search: {len(cores)}", flush=True)
    label = components(places.xyz, rule.radius_km)
    found = bound = 0
    proven = True
    for c in np.argsort(-np.bincount(label), kind="stable"):
        members = np.flatnonzero(label == c)
        local = {int(p): i for i, p in enumerate(members)}
        start = [Group(g.centre, {local[p]: list(t) for p, t in g.takes.items()})
                 for g in cores if label[next(iter(g.takes))] == c]
        t = time.perf_counter()
        res = exact.solve(places.xyz[members], places.women[members], places.others[members],
                          rule, time_limit=args.time_limit, start=start or None)
        found += res.count
        bound += res.bound
        proven &= res.optimal
        if len(members) > 20 or res.count != len(start):
            print(f"component of {len(members)} places: start {len(start)} -> {res.count}, "
                  f"bound {res.bound}{' (optimal)' if res.optimal else ''}, "
                  f"{time.perf_counter() - t:.0f} s", flush=True)
    print(f"best {found}, upper bound {bound}{', proven optimal' if proven else ''}")


if __name__ == "__main__":
    main()
