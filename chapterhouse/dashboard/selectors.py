"""The dashboard's reads: where the organization stands against the goals its members voted
for, computed once so that the template runs no query."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count

from chapterhouse.decisions.models import Poll
from chapterhouse.domain.qualification import Rule, Status
from chapterhouse.goals.models import GoalSet
from chapterhouse.goals.progress import Figure, Progress
from chapterhouse.goals.selectors import goal_set_current, goal_set_progress
from chapterhouse.goals.snapshot import ChapterRow, Measurement, measure
from chapterhouse.organizations.context import Context

STATUS_ORDER = {Status.QUALIFYING: 0, Status.LAPSED: 1, Status.FORMING: 2}


@dataclass(frozen=True)
class GoalSource:
    """The member poll that adopted the goal set."""

    poll_pk: int
    title: str
    closed_at: datetime.datetime
    voters: int


@dataclass(frozen=True)
class DashboardPage:
    measurement: Measurement
    goal_set: GoalSet | None
    goal_source: GoalSource | None  # None: adopted otherwise (its `source` says how)
    progress: Progress | None  # None until a goal set is adopted
    figures: dict[str, Figure]  # progress's figures by kind
    rows: list[ChapterRow]  # qualifying chapters first, then lapsed, then forming
    rule: Rule


def goal_source(goal_set: GoalSet) -> GoalSource | None:
    poll = (Poll.objects.filter(adopts_goal_set=goal_set, closed_at__isnull=False)
            .annotate(voters=Count("participations")).first())
    if poll is None or poll.closed_at is None:
        return None
    return GoalSource(poll.pk, poll.title, poll.closed_at, poll.voters)


def dashboard_page(ctx: Context) -> DashboardPage:
    """The organization measured on its own today (its clock), against the goal set in force."""
    organization = ctx.organization
    measurement = measure(organization, organization.today)  # the figures' date
    goal_set = goal_set_current(organization)
    progress = goal_set_progress(goal_set, measurement.snapshot) if goal_set else None
    return DashboardPage(
        measurement=measurement,
        goal_set=goal_set,
        goal_source=goal_source(goal_set) if goal_set else None,
        progress=progress,
        figures={f.kind.value: f for f in progress.figures} if progress else {},
        rows=sorted(measurement.chapters,
                    key=lambda r: (STATUS_ORDER[r.verdict.status], r.chapter.name)),
        rule=organization.rule,
    )
