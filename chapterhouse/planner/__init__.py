"""The growth planner: new chapters from unaffiliated members, splits, organizers, dates.

The algorithm modules are pure (numpy, scipy, h3; no Django, no database); `plan.plan()` is the
entry point and the `plan` management command is a thin shell around it. See docs/planner.md.
"""
