"""Counting at the speed of the specialists (issue 12, item 3): our IRV and STV against pyrankvote.

    .venv/bin/python bench/counting_speed.py [--sizes 10000,100000,1000000] [--no-startup]

The real elections the issue measured (Minneapolis 2017, Oakland 2010, San Francisco 2011,
Pierce County 2008) are not available offline, so the elections here are generated, seeded and
shaped like them: IRV with 12 candidates and at most 3 rankings per ballot (as Minneapolis and
San Francisco allow), STV with 16 candidates, 5 seats and at most 6 rankings. Voters fall in four
blocs of unequal size; each bloc prefers its own faction's candidates over a shared popularity
order, and ballots are truncated at random (28% rank one option). So many voters cast the same
ranking (grouping matters) but there are thousands of distinct rankings (it is not trivial).

Each election is counted by `count_irv` / `count_stv` and by pyrankvote (a dev dependency).
The figure is CPU seconds (`time.process_time`) for the count itself, from ballots already in
memory in each library's own types (making the ballots is not timed; the garbage collector is
told to leave those input objects alone, for both). Goal: ours at or below pyrankvote's on every
IRV and STV election. The IRV winners must agree. pyrankvote's STV is not the same rule
(quota votes/(seats+1) unrounded, every ballot given an equal share of a surplus whatever its
value, several elected, transferred and excluded at once, floats): its time is a reference for
the same amount of work, and whether its winners agree is printed, not required.

pyrankvote's IRV is close enough to compare outright: it elects at half the continuing ballots
(rounded up) rather than above half, and excludes together all the trailing candidates who could
not catch up; neither changes a winner unless the count is close.

It also times the `count` command's start-up (`chapterhouse count --help`, wall clock and CPU,
best of 3, with compiled modules cached as in an installation): the goal is half the issue's
0.7 s, in CPU seconds since wall clock on a shared machine varies with the load. It is split into
Python alone, the settings and Django, and Django's setup with every app, which `count` ran
before and now skips. Exit status 1 when a goal is missed or IRV winners differ.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from chapterhouse.decisions.counting import Ballot, count_irv, count_stv  # noqa: E402

STARTUP_GOAL = 0.35  # CPU seconds: half the 0.7 s (wall clock varies with the load)
SIZES = (10_000, 100_000, 1_000_000)


def election(size: int, candidates: int, most_ranked: int, seed: int) -> list[tuple[str, ...]]:
    """`size` rankings of `candidates` named options, each 1..`most_ranked` long."""
    rng = random.Random(seed)
    names = [f"Candidate {i:02d}" for i in range(1, candidates + 1)]
    popularity = [1.0 / (1 + i) ** 0.8 for i in range(candidates)]
    rng.shuffle(popularity)
    factions = [i % 4 for i in range(candidates)]
    rng.shuffle(factions)
    blocs = (0.34, 0.27, 0.22, 0.17)
    cumulative = []
    for bloc in range(4):
        weights = [p * (7.0 if factions[i] == bloc else 1.0) for i, p in enumerate(popularity)]
        total = 0.0
        running = []
        for w in weights:
            total += w
            running.append(total)
        cumulative.append(running)
    # Truncation: 28% rank one option, the rest spread over the longer rankings.
    lengths = [1] * 28 + [n for n in range(2, most_ranked + 1)
                          for _ in range(72 // (most_ranked - 1))]
    rankings: list[tuple[str, ...]] = []
    bloc_of = rng.choices(range(4), weights=blocs, k=size)
    for bloc in bloc_of:
        wanted = lengths[rng.randrange(len(lengths))]
        drawn = rng.choices(names, cum_weights=cumulative[bloc], k=wanted + 4)
        rankings.append(tuple(dict.fromkeys(drawn))[:wanted])
    return rankings


def cpu(call: Callable[[], object], repeat: int) -> tuple[float, object]:
    best = float("inf")
    result: object = None
    for _ in range(repeat):
        gc.collect()
        start = time.process_time()
        result = call()
        best = min(best, time.process_time() - start)
    return best, result


def compare(kind: str, size: int, rankings: list[tuple[str, ...]], seats: int) -> bool:
    import pyrankvote

    ours_ballots = [Ballot(str(i), ranking) for i, ranking in enumerate(rankings, 1)]
    names = sorted({name for ranking in rankings for name in ranking})
    people = {name: pyrankvote.Candidate(name) for name in names}
    theirs_ballots = [pyrankvote.Ballot([people[n] for n in ranking]) for ranking in rankings]
    gc.collect()
    gc.freeze()  # the inputs live on; neither count should pay for scanning them
    repeat = 3 if size <= 100_000 else 1
    if kind == "irv":
        ours_s, ours = cpu(lambda: count_irv(ours_ballots), repeat)
        theirs_s, theirs = cpu(lambda: pyrankvote.instant_runoff_voting(
            list(people.values()), theirs_ballots), repeat)
    else:
        ours_s, ours = cpu(lambda: count_stv(ours_ballots, seats=seats), repeat)
        theirs_s, theirs = cpu(lambda: pyrankvote.single_transferable_vote(
            list(people.values()), theirs_ballots, number_of_seats=seats), repeat)
    gc.unfreeze()
    our_winners = set(ours.winners)  # type: ignore[attr-defined]
    their_winners = {c.name for c in theirs.get_winners()}  # type: ignore[attr-defined]
    agree = our_winners == their_winners
    rounds = len(ours.rounds)  # type: ignore[attr-defined]
    met = ours_s <= theirs_s
    what = f"{kind} {seats} seat{'s' if seats > 1 else ''}"
    print(f"{what:11} {size:>9,} ballots ({len(set(rankings)):,} distinct rankings, "
          f"{rounds} rounds): ours {ours_s:7.3f} s CPU, pyrankvote {theirs_s:7.3f} s CPU "
          f"(x{ours_s / theirs_s:.3f}); goal ours <= pyrankvote: {'met' if met else 'MISSED'}; "
          f"winners {'agree' if agree else 'DIFFER'}"
          + ("" if kind == "irv" or agree else " (pyrankvote's STV is another rule)"))
    if kind == "irv" and not agree:
        print(f"    ours {sorted(our_winners)}, pyrankvote {sorted(their_winners)}")
    return met and (agree or kind != "irv")


def _run(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall, CPU of the child) seconds, each the best of 3 runs after one to warm up."""
    walls, cpus = [], []
    for _ in range(4):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=env)  # noqa: S603
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return min(walls[1:]), min(cpus[1:])


def startup() -> bool:
    """`chapterhouse count --help`, and what dominates it: Python itself, the settings and
    Django, and the app registry (every installed app's models, admin and ready hooks), which
    the command now skips."""
    env = {**os.environ, "SITE_URL": os.environ.get("SITE_URL", "http://127.0.0.1:8000"),
           "DJANGO_SETTINGS_MODULE": "chapterhouse.settings"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: compiled modules are cached
    python = sys.executable
    parts = {
        "python alone": [python, "-c", "pass"],
        "settings + Django's management": [
            python, "-c", "import chapterhouse.settings, django.core.management.base"],
        "django.setup() with every app (what `count` ran before)": [
            python, "-c", "import django; django.setup()"],
    }
    for name, command in parts.items():
        wall, cpu = _run(command, env)
        print(f"    {name}: {wall:.2f} s wall, {cpu:.2f} s CPU")
    wall, cpu = _run([str(Path(python).parent / "chapterhouse"), "count", "--help"], env)
    met = cpu <= STARTUP_GOAL
    print(f"count start-up: `chapterhouse count --help` {wall:.2f} s wall, {cpu:.2f} s CPU "
          f"(best of 3); goal <= {STARTUP_GOAL} s CPU: {'met' if met else 'MISSED'}")
    return met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    parser.add_argument("--no-startup", action="store_true")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"load average {os.getloadavg()[0]:.2f} over 1 min on {os.cpu_count()} cores")
    ok = True
    for size in sizes:
        ok &= compare("irv", size, election(size, 12, 3, seed=size), 1)
    for size in sizes:
        ok &= compare("stv", size, election(size, 16, 6, seed=size + 1), 5)
    if not args.no_startup:
        ok &= startup()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
