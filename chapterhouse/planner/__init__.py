"""The growth planner's Django app: plan runs (services.py, a task for large organizations), the
planner page (selectors.py, views.py) and the `plan`, `export_members` and `run_jobs` commands.

The algorithm is the pure engine in chapterhouse/planning/ (numpy, scipy; no Django, no
database): `planning.plan.make_plan` is its entry point, `db_inputs.py` reads its plain inputs
from the database. See docs/planner.md.
"""
