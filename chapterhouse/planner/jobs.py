"""Planner runs as background jobs: requested from the page, executed inline when small,
otherwise as a task (`plan_run_work`) run by the worker (`chapterhouse db_worker`).

A running run holds a lease (`claimed_until`), renewed by its progress ticks. A worker killed
mid-run stops renewing it; the leases sweep then queues the run again, up to
PLANNER_MAX_ATTEMPTS in all, and fails it after the last one, saying the worker stopped. The
attempt number fences writes, so a run is finished by one attempt only. See docs/tasks.md.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

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

logger = logging.getLogger("chapterhouse.jobs")

# Up to this many members a run takes well under a second (see docs/planner.md): run it in the
# request. Larger organizations queue it for the worker and the page shows its progress.
INLINE_LIMIT = 20_000
PROGRESS_EVERY_SECONDS = 1.0


class LeaseLost(Exception):
    """A newer attempt took this run over (this worker was presumed stopped): stop, write
    nothing."""


def _lease_end(now: datetime) -> datetime:
    return now + timedelta(seconds=settings.PLANNER_LEASE_SECONDS)


def _patience_end(now: datetime) -> datetime:
    return now + timedelta(seconds=settings.PLANNER_QUEUE_PATIENCE_SECONDS)


def plan_run_request(*, requested_by, radius_km: float, min_size: int) -> PlanRun:
    members = plannable_members(Organization.objects.current().today).count()
    run = PlanRun.objects.create(requested_by=requested_by, radius_km=radius_km,
                                 min_size=min_size, members=members,
                                 claimed_until=_patience_end(timezone.now()))
    if members <= INLINE_LIMIT and plan_run_claim(run):
        plan_run_execute(run)
    else:
        plan_run_enqueue(run)
    return run


def plan_run_enqueue(run: PlanRun) -> None:
    """Hand the run to the worker once the run's row is committed (so the worker can see it)."""
    run_id = run.pk
    transaction.on_commit(lambda: plan_run_work.enqueue(run_id))


@task()
def plan_run_work(run_id: int) -> str:
    """The task: claim the run and execute it. A run already taken, finished or deleted is left
    alone, so enqueueing a run twice is harmless."""
    run = PlanRun.objects.filter(pk=run_id).first()
    if run is None or not plan_run_claim(run):
        return "not claimed"
    return plan_run_execute(run).status


def plan_run_claim(run: PlanRun) -> bool:
    """Take a queued run; False if another worker already did (an atomic conditional update)."""
    now = timezone.now()
    claimed = PlanRun.objects.filter(pk=run.pk, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=now, claimed_until=_lease_end(now),
        attempts=F("attempts") + 1, message="Reading members")
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
    tick = _progress(run)
    try:
        _slow_on_purpose(tick)
        members = members_from_db(on)
        rule = organization.rule  # the qualification rule, with its defaults
        settings_ = Settings(
            rule=Rule(min_size=run.min_size, min_women_share=float(rule.min_women_share),
                      radius_km=run.radius_km),
            counted_genders=rule.counted_genders,
            today=on,
            deadline=goal_set.deadline if goal_set else None,
            target_chapters=goal_set.target_chapters if goal_set else None,
            qualifying_now=measure(organization, on).snapshot.chapters,
            months_to_qualify=rule.months,
        )
        plan = make_plan(members, settings_, organizers_from_db(),
                         split_requests_from_db(on, run.min_size), tick=tick)
    except LeaseLost:
        logger.warning("plan run %s: attempt %s was taken over; stopping", run.pk, run.attempts)
        run.refresh_from_db()
        return run
    except Exception as error:  # a failed run says why on the page instead of vanishing
        _finish(run, status=RunStatus.FAILED, message=str(error)[:300])
        return run
    result = plan.to_json()
    overview.name_candidates(result["new_chapters"])
    _finish(run, status=RunStatus.DONE, result=result, progress=1.0, message="")
    return run


def _finish(run: PlanRun, **fields) -> None:
    """Store the outcome, unless a newer attempt holds the run (then this one's is dropped)."""
    stored = PlanRun.objects.filter(
        pk=run.pk, status=RunStatus.RUNNING, attempts=run.attempts,
    ).update(finished_at=timezone.now(), claimed_until=None, **fields)
    if not stored:
        logger.warning("plan run %s: attempt %s lost its lease; outcome dropped",
                       run.pk, run.attempts)
    run.refresh_from_db()


def _progress(run: PlanRun):
    """A tick callback (one tick per place looked at) that writes progress, and renews the
    lease, once a second; it raises LeaseLost when a newer attempt holds the run."""
    state = {"done": 0, "last": time.monotonic()}

    def tick(count: int) -> None:
        state["done"] += count
        now = time.monotonic()
        if now - state["last"] >= PROGRESS_EVERY_SECONDS:
            state["last"] = now
            renewed = PlanRun.objects.filter(
                pk=run.pk, status=RunStatus.RUNNING, attempts=run.attempts,
            ).update(message=f"Grouping members: {state['done']:,} places looked at",
                     claimed_until=_lease_end(timezone.now()))
            if not renewed:
                raise LeaseLost(run.pk)

    return tick


def _slow_on_purpose(tick) -> None:
    """Tests only (PLANNER_SLOW_SECONDS): wait before planning, ticking as a run would."""
    end = time.monotonic() + settings.PLANNER_SLOW_SECONDS
    while time.monotonic() < end:
        time.sleep(0.1)
        tick(0)


@dataclass(frozen=True)
class Recovered:
    requeued: int
    failed: int


def plan_runs_recover(now: datetime) -> Recovered:
    """Runs past their lease: queue them again (their worker stopped, or their task was lost),
    or, when a run has had its last attempt, fail it saying the worker stopped. Each change is
    conditional on the run being unchanged, so two sweeps at once act once."""
    requeued = failed = 0
    stalled = PlanRun.objects.filter(  # no lease at all: left from before leases existed
        Q(claimed_until__lt=now) | Q(claimed_until__isnull=True),
        status__in=[RunStatus.QUEUED, RunStatus.RUNNING])
    for run in stalled:
        unchanged = PlanRun.objects.filter(pk=run.pk, status=run.status, attempts=run.attempts,
                                           claimed_until=run.claimed_until)
        if run.status == RunStatus.RUNNING and run.attempts >= settings.PLANNER_MAX_ATTEMPTS:
            failed += unchanged.update(
                status=RunStatus.FAILED, finished_at=now, claimed_until=None,
                message=_("The worker running this plan stopped before it finished "
                          "(%(attempts)d attempts).") % {"attempts": run.attempts})
            continue
        message = (_("The worker stopped; trying again (attempt %(next)d of %(max)d).")
                   % {"next": run.attempts + 1, "max": settings.PLANNER_MAX_ATTEMPTS}
                   if run.status == RunStatus.RUNNING else run.message)
        if unchanged.update(status=RunStatus.QUEUED, claimed_until=_patience_end(now),
                            message=message):
            plan_run_enqueue(run)
            requeued += 1
    return Recovered(requeued=requeued, failed=failed)
