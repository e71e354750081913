"""Planner runs as background jobs: requested from the page, executed inline when small,
otherwise by `chapterhouse run_jobs` (a worker that claims queued runs atomically)."""

from __future__ import annotations

import time

from django.db import transaction
from django.utils import timezone

from chapterhouse.goals.models import GoalSet
from chapterhouse.goals.snapshot import measure
from chapterhouse.organizations.models import Organization
from chapterhouse.planner import overview
from chapterhouse.planner.db_inputs import (
    members_from_db,
    organizers_from_db,
    plannable_members,
    split_requests_from_db,
)
from chapterhouse.planner.models import PlanRun, RunStatus
from chapterhouse.planner.plan import Settings, make_plan
from chapterhouse.planner.rule import Rule

# Up to this many members a run takes well under a second (see docs/planner.md): run it in the
# request. Larger organizations queue it for the worker and the page shows its progress.
INLINE_LIMIT = 20_000
PROGRESS_EVERY_SECONDS = 1.0


def plan_run_request(*, requested_by, radius_km: float, min_size: int) -> PlanRun:
    members = plannable_members(Organization.objects.current().today).count()
    run = PlanRun.objects.create(requested_by=requested_by, radius_km=radius_km,
                                 min_size=min_size, members=members)
    if members <= INLINE_LIMIT and plan_run_claim(run):
        plan_run_execute(run)
    return run


def plan_run_claim(run: PlanRun) -> bool:
    """Take a queued run; False if another worker already did (an atomic conditional update)."""
    claimed = PlanRun.objects.filter(pk=run.pk, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=timezone.now(), message="Reading members")
    if claimed:
        run.refresh_from_db()
    return bool(claimed)


def next_queued() -> PlanRun | None:
    for run in PlanRun.objects.filter(status=RunStatus.QUEUED).order_by("created_at"):
        if plan_run_claim(run):
            return run
    return None


def plan_run_execute(run: PlanRun) -> PlanRun:
    """Plan over the organization's members now; store the result or the failure."""
    organization = Organization.objects.current()
    goal_set = GoalSet.objects.filter(organization=organization).current()
    on = organization.today
    try:
        members = members_from_db(on)
        rule = organization.rule  # the qualification rule, with its defaults
        settings = Settings(
            rule=Rule(min_size=run.min_size, min_women_share=float(rule.min_women_share),
                      radius_km=run.radius_km),
            counted_genders=rule.counted_genders,
            today=on,
            deadline=goal_set.deadline if goal_set else None,
            target_chapters=goal_set.target_chapters if goal_set else None,
            qualifying_now=measure(organization, on).snapshot.chapters,
            months_to_qualify=rule.months,
        )
        plan = make_plan(members, settings, organizers_from_db(),
                         split_requests_from_db(on, run.min_size), tick=_progress(run))
    except Exception as error:  # a failed run says why on the page instead of vanishing
        PlanRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, finished_at=timezone.now(), message=str(error)[:300])
        run.refresh_from_db()
        return run
    result = plan.to_json()
    overview.name_candidates(result["new_chapters"])
    with transaction.atomic():
        run.result = result
        run.status = RunStatus.DONE
        run.progress = 1.0
        run.message = ""
        run.finished_at = timezone.now()
        run.save(update_fields=["result", "status", "progress", "message", "finished_at"])
    return run


def _progress(run: PlanRun):
    """A tick callback (one tick per place looked at) that writes progress once a second."""
    state = {"done": 0, "last": time.monotonic()}

    def tick(count: int) -> None:
        state["done"] += count
        now = time.monotonic()
        if now - state["last"] >= PROGRESS_EVERY_SECONDS:
            state["last"] = now
            PlanRun.objects.filter(pk=run.pk).update(
                message=f"Grouping members: {state['done']:,} places looked at")

    return tick
