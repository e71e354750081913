"""How long the dashboard's forecast takes (issue 14): reading the history and the plan
(goals/forecast.py, dashboard/forecast.py) and the model (domain/forecast.py: the deadline's
simulation and the two backtests), on an organization already built, e.g. the demo or the demo
at scale:

    DATABASE_URL=sqlite:////tmp/scale.sqlite3 DEBUG=1 .venv/bin/chapterhouse seed_demo \\
        --members 100000 --chapters 1000
    DATABASE_URL=sqlite:////tmp/scale.sqlite3 DEBUG=1 .venv/bin/python bench/forecast_time.py

Prints the best of `--runs` runs of each part, and the forecast itself. It is computed in the
background and cached (dashboard/forecast.py), so this is the worker's time, not a visitor's.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chapterhouse.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    import django

    django.setup()
    from chapterhouse.dashboard.forecast import pipeline
    from chapterhouse.domain import forecast as model
    from chapterhouse.goals.forecast import forecast_history
    from chapterhouse.goals.models import GoalSet
    from chapterhouse.organizations.models import Organization
    from chapterhouse.planner.models import PlanRun

    organization = Organization.objects.current()
    goal_set = GoalSet.objects.filter(organization=organization).current()
    if goal_set is None:
        sys.exit("no goal set: nothing to forecast")
    reads, models = [], []
    for _ in range(runs):
        started = time.perf_counter()
        open_, from_plan = pipeline(PlanRun.objects.latest_done())
        history = forecast_history(organization, organization.today, open_candidates=open_,
                                   started_from_plan=from_plan)
        read = time.perf_counter()
        result = model.forecast(history, organization.today, deadline=goal_set.deadline,
                                chapters_target=goal_set.target_chapters,
                                members_target=goal_set.target_members)
        reads.append(read - started)
        models.append(time.perf_counter() - read)
    print(f"chapters in the history: {len(history.chapters)}, "
          f"join days: {len(history.joins)}, load: {os.getloadavg()[0]:.1f}")
    print(f"read: {min(reads):.3f} s, model: {min(models):.3f} s (best of {runs})")
    for name, outlook in (("chapters", result.chapters), ("members", result.members)):
        print(f"{name}: {outlook.current} now; chance of {outlook.target} by "
              f"{outlook.until}: {outlook.chance:.4f}; 80% interval {outlook.low}-"
              f"{outlook.high}, median {outlook.median}")
    for test in result.chapter_backtests + result.member_backtests:
        print(f"backtest {test.months} months: said {test.outlook.low}-{test.outlook.high} "
              f"for {test.until}, was {test.actual} ({'inside' if test.inside else 'outside'})")


if __name__ == "__main__":
    main()
