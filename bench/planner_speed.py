"""Speed of the planner: seconds and peak memory by number of members and distinct places.

    .venv/bin/python bench/planner_speed.py [--sizes 3443,100000,1000000]

Each size runs in a fresh subprocess so that its peak RSS (resource.getrusage, ru_maxrss) is its
own. "CPU seconds" is the process's CPU time (time.process_time): on a shared machine the wall
time grows with the load (printed before and after), the CPU time much less. Members are
sampled by population from the cities of the 90 most populous countries; the "points" column
says whether they sit at city points or are jittered up to 15 km.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

CHILD = """
import json, resource, sys, time
sys.path.insert(0, {here!r}); sys.path.insert(0, {root!r})
from instances import countries_by_population, make
from chapterhouse.planning.new_chapters import find_new_chapters
from chapterhouse.planning.rule import Rule
inst = make("speed", {n}, countries_by_population(90), jitter_km={jitter}, seed=2,
            distinct_places={places})
t, c = time.perf_counter(), time.process_time()
found = find_new_chapters(inst.lat, inst.lon, inst.is_woman, Rule())
seconds, cpu = time.perf_counter() - t, time.process_time() - c
print(json.dumps(dict(seconds=seconds, cpu=cpu, chapters=len(found.chapters), places=found.places,
                      placed=int(sum(len(c.members) for c in found.chapters)),
                      mode=found.stats["mode"],
                      rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)))
"""


def measure(n: int, jitter: float, places: int | None) -> dict:
    code = CHILD.format(here=str(HERE), root=str(HERE.parent), n=n, jitter=jitter,
                        places=places)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,  # noqa: S603
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="3443,20000,100000,300000,1000000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("| members | points | distinct places | mode | chapters | members placed | seconds "
          "| CPU seconds | peak RSS MB |")
    print("| ---: | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |")
    runs = [(n, 0.0, None) for n in sizes] + [(n, 15.0, None) for n in sizes if n <= 100_000]
    runs += [(100_000, 0.0, p) for p in (1_000, 5_000, 20_000)]
    for n, jitter, places in runs:
        r = measure(n, jitter, places)
        print(f"| {n:,} | {'city' if jitter == 0 else 'jitter 15 km'}"
              f"{'' if places is None else f' (top {places:,} cities)'} | {r['places']:,} | "
              f"{r['mode']} | {r['chapters']:,} | {r['placed']:,} | {r['seconds']:.2f} | "
              f"{r['cpu']:.2f} | {r['rss_mb']:.0f} |", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
