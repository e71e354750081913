"""The organization's history month by month (domain/history.py), read from stored data: the
members' join dates (and the day an erased member left), and the chapters' stored month results
(meetings.ChapterMonth), never their attendance.

Reuse: `history_series(ctx)` returns a `domain.history.History` whose points (the first day of
each month from the founding, and the figures' date) give members, qualifying chapters (with
those that started and stopped qualifying since the previous point), continents and the
women's share; `History.chapters_by_month()` is the monthly series of qualifying chapters.

Cost and cache: three queries (members grouped by join day, erased members, the stored months
of the organization's rule: one small row per chapter and month, about 250,000 rows at ten
thousand chapters over two years). The result is kept in the cache under the figures' version
(organizations/figures.py, replaced by every write the figures depend on), the figures' date
and the rule, like the dashboard's figures (goals/snapshot.py); after a write the last history
computed is served while one background task computes the new one, so only the very first
request computes it inline.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, F
from django.utils import timezone
from django_tasks import task

from chapterhouse.chapters.models import Chapter
from chapterhouse.domain import history as pure
from chapterhouse.domain.history import History
from chapterhouse.meetings.models import ChapterMonth
from chapterhouse.meetings.months import rule_key
from chapterhouse.members.models import Member
from chapterhouse.organizations.context import Context
from chapterhouse.organizations.figures import figures_version
from chapterhouse.organizations.models import Organization

logger = logging.getLogger(__name__)

CACHED_FOR = 24 * 3600  # seconds; the version, not the time, keeps the history true
REFRESH_LOCK_SECONDS = 600


def history_compute(organization: Organization, on: datetime.date | None = None) -> History:
    """The history up to `on` (the figures' date by default), computed now (three queries)."""
    on = on or organization.today
    rule = organization.rule
    joins: dict[datetime.date, int] = dict(
        Member.objects.filter(is_active=True, joined_on__lte=on).order_by()
        .values("joined_on").annotate(n=Count("pk")).values_list("joined_on", "n"))
    leaves: dict[datetime.date, int] = {}
    # Erased members: counted from joining until erasure (a date after the figures' date, as
    # on a demo whose clock is set back, means: still counted until then, not today).
    for joined, erased in (Member.objects.filter(is_active=False, erased_at__isnull=False,
                                                 joined_on__lte=on)
                           .values_list("joined_on", "erased_at")):
        left = min(timezone.localdate(erased), on)
        if left > joined:
            joins[joined] = joins.get(joined, 0) + 1
            leaves[left] = leaves.get(left, 0) + 1
    chapters = {pk: pure.ChapterFacts(founded, continent) for pk, founded, continent in
                Chapter.objects.filter(founded_on__lte=on)
                .values_list("pk", "founded_on", "place__continent_code")}
    # Only months stored for this rule in the chapter's zone (a chapter being recomputed
    # after a change of the rule is counted in no month, as the dashboard leaves it out).
    # Failed months (run 0) are in no qualifying chapter's window: left in the database.
    rows = (ChapterMonth.objects.filter(rule_key=rule_key(rule), run__gte=1,
                                        zone=F("chapter__place__timezone"), month__lt=on)
            .values_list("chapter_id", "month", "run", "attendees", "counted"))
    months = [pure.MonthRecord(*row) for row in rows]
    return pure.history(founded=organization.founded_on, today=on, joins=joins, leaves=leaves,
                        chapters=chapters, months=months, rule_months=rule.months,
                        min_attendees=rule.min_attendees, required_share=rule.share)


def history_key(organization: Organization, on: datetime.date, version: str) -> str:
    rule = organization.rule
    return (f"history:{organization.pk}:{version}:{on.isoformat()}:{rule_key(rule)}:"
            f"{rule.months}:{organization.founded_on.isoformat()}")


def _latest_key(organization: Organization) -> str:
    return f"history-latest:{organization.pk}"


def _lock_key(organization: Organization) -> str:
    return f"history-refresh:{organization.pk}"


@dataclass(frozen=True)
class Stored:
    history: History
    key: str


def _stored(organization: Organization, on: datetime.date, key: str) -> History:
    computed = history_compute(organization, on)
    cache.set(key, Stored(computed, key), timeout=CACHED_FOR)
    cache.set(_latest_key(organization), Stored(computed, key), timeout=None)
    return computed


def history_series(ctx: Context) -> History:
    """The organization's history up to its figures' date (module docstring): from the cache
    when current; else the last one computed while a background task computes the new one;
    computed inline only when none is stored. Nothing the visitor sends reaches it."""
    return history_of(ctx.organization)


def history_of(organization: Organization) -> History:
    """history_series for an organization (readers without a request's context)."""
    on = organization.today
    key = history_key(organization, on, figures_version())
    found = cache.get(key)
    if isinstance(found, Stored):
        return found.history
    latest = cache.get(_latest_key(organization))
    if isinstance(latest, Stored) and latest.history.last is not None \
            and latest.history.last.on == on:
        if cache.add(_lock_key(organization), 1, REFRESH_LOCK_SECONDS):
            try:
                history_refresh_work.enqueue(organization.pk)
            except Exception:
                cache.delete(_lock_key(organization))
                raise
        return latest.history
    return _stored(organization, on, key)


@task()
def history_refresh_work(organization_id: int) -> str:
    """Compute the history under the current figures' version and store it."""
    organization = Organization.objects.filter(pk=organization_id).first()
    try:
        if organization is None:
            return "no such organization"
        on = organization.today
        key = history_key(organization, on, figures_version())
        if isinstance(cache.get(key), Stored):
            return "already current"
        computed = _stored(organization, on, key)
        logger.info("history computed for organization %s: %s points", organization_id,
                    len(computed.points))
        return f"history computed: {len(computed.points)} point(s)"
    finally:
        if organization is not None:
            cache.delete(_lock_key(organization))
