"""The dashboard's forecast (issue 14), computed outside the request as its figures are
(goals/snapshot.py): stored in the cache under the figures' version, the date, the rule, the
goal set and the latest plan; a request finds it there, or serves the last one (stale) while
one background task computes the new one. Only the very first is computed inline.

Here, not in goals, because it reads the plan's candidates (planner sits above goals): the
history is read by goals/forecast.py, the model is domain/forecast.py.
"""

from __future__ import annotations

import datetime
import logging
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone
from django_tasks import task

from chapterhouse.domain.forecast import Forecast
from chapterhouse.goals.forecast import goal_forecast
from chapterhouse.goals.models import GoalSet
from chapterhouse.meetings.months import rule_key
from chapterhouse.organizations.figures import figures_version
from chapterhouse.organizations.models import Organization
from chapterhouse.planner.models import PlanCandidate, PlanRun

logger = logging.getLogger(__name__)

CACHED_FOR = 24 * 3600
REFRESH_LOCK_SECONDS = 600


@dataclass(frozen=True)
class ComputedForecast:
    forecast: Forecast
    at: datetime.datetime
    key: str
    seconds: float  # how long it took


def pipeline(run: PlanRun | None) -> tuple[list[datetime.date], list[str]]:
    """The latest plan's candidates with an organizer and a start-by date, not started (their
    start-by dates), and the slugs of the chapters started from any plan's candidates."""
    open_ = (list(PlanCandidate.objects.filter(run=run, organizer__isnull=False, accepted="",
                                               start_by__isnull=False)
                  .values_list("start_by", flat=True)) if run else [])
    started = list(PlanCandidate.objects.exclude(accepted="").order_by()
                   .values_list("accepted", flat=True).distinct())
    return [d for d in open_ if d is not None], started


def forecast_key(organization: Organization, goal_set: GoalSet, run: PlanRun | None) -> str:
    rule = organization.rule
    return (f"forecast:{organization.pk}:{figures_version()}:{organization.today.isoformat()}:"
            f"{rule_key(rule)}:{rule.months}:{goal_set.pk}:{goal_set.deadline.isoformat()}:"
            f"{goal_set.target_chapters}:{goal_set.target_members}:{run.pk if run else 0}")


def latest_key(organization: Organization) -> str:
    return f"forecast-latest:{organization.pk}"


def _computed(organization: Organization, goal_set: GoalSet, run: PlanRun | None,
              key: str) -> ComputedForecast:
    started_at = time.perf_counter()
    open_, started = pipeline(run)
    result = goal_forecast(organization, goal_set, open_candidates=open_,
                           started_from_plan=started)
    computed = ComputedForecast(result, timezone.now(), key, time.perf_counter() - started_at)
    cache.set(key, computed, timeout=CACHED_FOR)
    cache.set(latest_key(organization), computed, timeout=None)
    logger.info("forecast computed for organization %s in %.3f s", organization.pk,
                computed.seconds)
    return computed


def forecast_served(organization: Organization, goal_set: GoalSet
                    ) -> tuple[Forecast, bool] | None:
    """The forecast and whether it is stale: current from the cache; else the last one while a
    task computes the new one; else (none ever) computed now, by one request (a lock); None
    for the others meanwhile."""
    run = PlanRun.objects.latest_done()
    key = forecast_key(organization, goal_set, run)
    found = cache.get(key)
    if isinstance(found, ComputedForecast):
        return found.forecast, False
    latest = cache.get(latest_key(organization))
    # The last forecast is shown while its goals are the same (a new target is a new question).
    if (isinstance(latest, ComputedForecast)
            and latest.forecast.chapters.target == goal_set.target_chapters
            and latest.forecast.members.target == goal_set.target_members
            and latest.forecast.chapters.until == goal_set.deadline):
        forecast_refresh_enqueue(organization)
        return latest.forecast, True
    lock = f"forecast-first:{organization.pk}"
    if not cache.add(lock, 1, REFRESH_LOCK_SECONDS):
        return None
    try:
        return _computed(organization, goal_set, run, key).forecast, False
    finally:
        cache.delete(lock)


def forecast_refresh_enqueue(organization: Organization) -> bool:
    lock = f"forecast-refresh:{organization.pk}"
    if not cache.add(lock, 1, REFRESH_LOCK_SECONDS):
        return False
    try:
        forecast_refresh_work.enqueue(organization.pk)
    except Exception:
        cache.delete(lock)
        raise
    return True


@task()
def forecast_refresh_work(organization_id: int) -> str:
    """Compute the forecast for the goal set in force and store it."""
    organization = Organization.objects.filter(pk=organization_id).first()
    try:
        if organization is None:
            return "no such organization"
        goal_set = GoalSet.objects.filter(organization=organization).current()
        if goal_set is None:
            return "no goal set"
        run = PlanRun.objects.latest_done()
        key = forecast_key(organization, goal_set, run)
        if isinstance(cache.get(key), ComputedForecast):
            return "already current"
        computed = _computed(organization, goal_set, run, key)
        return f"forecast computed in {computed.seconds:.3f} s"
    finally:
        if organization is not None:
            cache.delete(f"forecast-refresh:{organization.pk}")
