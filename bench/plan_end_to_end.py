"""`chapterhouse plan` end to end at 1,000,000 members: wall time, peak memory and the split.

    .venv/bin/python bench/plan_end_to_end.py [--members 1000000] [--runs 1]

Generates once (cached in var/bench/) a members file of that many members at city points in the
90 most populous countries (bench/instances.py, seed 2, as bench/planner_speed.py: 31,676
distinct places and 171,707 new chapters at 1M), then runs `chapterhouse plan --members FILE
--out OUT --timings` as a subprocess: its wall time, its peak RSS (resource.getrusage of the
children), its CPU seconds, and the split the command prints with --timings (read, plan,
write; the rest of the wall time is start-up and exit). On a shared machine the wall time grows
with the load (printed before and after), the CPU time much less. For scale, the same file read
by the standard csv module alone. Goals (issue 12): under 10 s wall and 2 GB at 1M members on
the 2-core machine.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

GOAL_SECONDS = 10.0
GOAL_MB = 2048


def members_file(n: int) -> Path:
    """The cached members file of n members (written once, then reused)."""
    from instances import countries_by_population, make

    path = ROOT / "var" / "bench" / f"members_{n}.csv"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    inst = make("e2e", n, countries_by_population(90), seed=2)
    gender = np.where(inst.is_woman, "woman", "man")
    lines = [f"m{i:07d},{la!r},{lo!r},{g},\n"
             for i, (la, lo, g) in enumerate(zip(inst.lat.tolist(), inst.lon.tolist(),
                                                 gender.tolist(), strict=True))]
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as out:
        out.write("id,lat,lon,gender,chapter\n")
        out.writelines(lines)
    tmp.replace(path)
    return path


def csv_module_seconds(path: Path) -> float:
    """Reading the file with the standard csv module alone (no checks, no conversion)."""
    started = time.perf_counter()
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) > 1
    return time.perf_counter() - started


def run_plan(path: Path, out: Path) -> tuple[float, float, dict[str, float]]:
    """(wall seconds, peak RSS MB, the command's own split and CPU) of one `plan` run."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    started = time.perf_counter()
    ran = subprocess.run([str(ROOT / ".venv" / "bin" / "chapterhouse"), "plan",  # noqa: S603
                          "--members", str(path), "--out", str(out), "--timings"],
                         capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if ran.returncode != 0:
        raise SystemExit(f"plan failed ({ran.returncode}):\n{ran.stderr}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = usage.ru_maxrss
    if peak <= before:
        print("(peak RSS of this run not above an earlier child's: figure is a lower bound)")
    split: dict[str, float] = {}
    for line in ran.stderr.splitlines():
        if line.startswith("timings:"):
            for part in line.removeprefix("timings:").split():
                key, _, value = part.partition("=")
                split[key] = float(value.rstrip("s"))
    split["cpu"] = usage.ru_utime + usage.ru_stime - cpu
    split["start-up and exit"] = wall - sum(split.get(k, 0.0) for k in ("read", "plan", "write"))
    return wall, peak / 1024, split


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    path = members_file(args.members)
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"members file: {path} ({path.stat().st_size / 1e6:.1f} MB, {args.members:,} members)")
    reference = csv_module_seconds(path)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "plan.json"
        for run in range(1, args.runs + 1):
            wall, mb, split = run_plan(path, out)
            size = out.stat().st_size / 1e6
            print(f"run {run}: plan output {size:.1f} MB")
            print(f"  wall time        {wall:6.2f} s    goal < {GOAL_SECONDS:.0f} s   "
                  f"{'ok' if wall < GOAL_SECONDS else 'MISSED'}")
            print(f"  peak RSS         {mb:6.0f} MB   goal < {GOAL_MB} MB "
                  f"{'ok' if mb < GOAL_MB else 'MISSED'}")
            print(f"  CPU time         {split['cpu']:6.2f} s    (user + system)")
            for key in ("read", "plan", "write", "start-up and exit"):
                if key in split:
                    print(f"  {key:<16} {split[key]:6.2f} s")
            if "read" in split:
                print(f"  read / csv module alone ({reference:.2f} s): "
                      f"{split['read'] / reference:.2f}x   goal: a columnar reader, "
                      f"no slower than the csv module alone (<= 1x)")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
