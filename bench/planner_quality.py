"""Quality of the planner against stored references: the best known plans, proven where possible.

    .venv/bin/python bench/planner_quality.py [--modes fast,quality] [--only 0,4] [--milp]

Instances: `instances.QUALITY_SPECS` (issue 12's varied instances: 400-3,443 members, radius
10-50 km, 20-40% women, some members affiliated or unwilling, at city points and jittered, dense
Europe and sparse worldwide). References: bench/quality_reference.json, computed once by
bench/planner_reference.py (the exact program per component, warm-started; each row says how
it was proven). No integer program runs here unless `--milp` asks to recompute the references
(minutes per instance). Prints, per instance, each mode's chapters and seconds as % of the
reference, against the goals: fast >= 98%, quality >= 99%.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from instances import QUALITY_SPECS, Spec, make_eligible

from chapterhouse.planning.aggregate import aggregate
from chapterhouse.planning.new_chapters import find_new_chapters
from chapterhouse.planning.rule import Rule

HERE = Path(__file__).resolve().parent

REFERENCE = HERE / "quality_reference.json"
GOALS = {"fast": 98.0, "quality": 99.0}


def describe(spec: Spec) -> str:
    if isinstance(spec.countries, int):
        where = spec.name if spec.countries else "World (all countries)"
    else:
        where = f"{spec.name} ({'-'.join(spec.countries)})"
    points = "city" if spec.jitter_km == 0 else f"jitter {spec.jitter_km:.0f}"
    return (f"{where} | {spec.members} | {points} | {spec.radius_km:.0f} | "
            f"{100 * spec.women_share:.0f}% | {100 * spec.affiliated:.0f}% / "
            f"{100 * spec.unwilling:.0f}%")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--modes", default="fast,quality")
    parser.add_argument("--only", default="", help="indices of QUALITY_SPECS, comma separated")
    parser.add_argument("--milp", action="store_true",
                        help="recompute each reference with the exact program (slow)")
    parser.add_argument("--time-limit", type=float, default=120.0, help="with --milp")
    args = parser.parse_args()
    modes = args.modes.split(",")
    stored = {json.dumps(r["spec"], sort_keys=True): r
              for r in json.loads(REFERENCE.read_text())["instances"]}
    todo = [int(i) for i in args.only.split(",")] if args.only else range(len(QUALITY_SPECS))
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("| # | instance | members | points | R km | women | affiliated / unwilling "
          "| eligible | places | reference | " + " | ".join(modes) + " |")
    print("| ---: | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | "
          + " | ".join("---:" for _ in modes) + " |")
    worst = dict.fromkeys(modes, 101.0)
    for i in todo:
        spec = QUALITY_SPECS[i]
        ref = stored.get(json.dumps(spec.as_json(), sort_keys=True))
        if args.milp:
            from planner_reference import reference

            ref = reference(spec, 10.0, args.time_limit)
        if ref is None:
            print(f"| {i} | {describe(spec)} | no reference: run bench/planner_reference.py |")
            continue
        inst = make_eligible(spec)
        rule = Rule(radius_km=spec.radius_km)
        cells = []
        for mode in modes:
            t = time.perf_counter()
            got = len(find_new_chapters(inst.lat, inst.lon, inst.is_woman, rule,
                                        mode=mode).chapters)
            seconds = time.perf_counter() - t
            pct = 100.0 * got / ref["best"]
            worst[mode] = min(worst[mode], pct)
            mark = "" if pct >= GOALS[mode] else " **below goal**"
            cells.append(f"{got} ({seconds:.2f} s) {pct:.1f}%{mark}")
            if got > ref["bound"]:
                raise SystemExit(f"instance {i}: {got} chapters beat the bound {ref['bound']}")
        kind = "optimum" if ref["proven"] else f"best known, bound {ref['bound']}"
        places = len(aggregate(inst.lat, inst.lon, inst.is_woman))
        print(f"| {i} | {describe(spec)} | {len(inst.lat)} | {places} | {ref['best']} ({kind}) | "
              + " | ".join(cells) + " |", flush=True)
    for mode in modes:
        print(f"{mode}: worst {worst[mode]:.1f}% of the reference (goal {GOALS[mode]:.0f}%)")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
