"""The dashboard's reads: where the organization stands against the goals its members voted
for, computed once so that the template runs no query."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count

from chapterhouse.decisions.models import Poll
from chapterhouse.domain.qualification import Rule, Status
from chapterhouse.goals.models import GoalSet
from chapterhouse.goals.progress import Figure, Progress
from chapterhouse.goals.selectors import goal_set_current, goal_set_progress
from chapterhouse.goals.snapshot import ChapterRow, Measurement, measure
from chapterhouse.organizations.context import Context

STATUS_ORDER = {Status.QUALIFYING: 0, Status.LAPSED: 1, Status.FORMING: 2}
CHAPTERS_PER_PAGE = 50  # the demo's 11 chapters fit on one page
AT_RISK_SHOWN = 20  # chapters at risk named above the table (all are counted)
QUERY_MAX = 100


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
    rows: list[ChapterRow]  # this page of the chapters matching `query`: qualifying chapters
    # first, then lapsed, then forming
    rule: Rule
    counts: dict[str, int]  # chapters per verdict ("qualifying", "lapsed", "forming")
    at_risk: list[ChapterRow]  # qualifying, no passing meeting yet this month (the first few)
    at_risk_count: int
    page: Page[ChapterRow]
    query: str  # the search: part of a chapter's name or place


def goal_source(goal_set: GoalSet) -> GoalSource | None:
    poll = (Poll.objects.filter(adopts_goal_set=goal_set, closed_at__isnull=False)
            .annotate(voters=Count("participations")).first())
    if poll is None or poll.closed_at is None:
        return None
    return GoalSource(poll.pk, poll.title, poll.closed_at, poll.voters)


def _matches(row: ChapterRow, query: str) -> bool:
    place = row.chapter.place
    return any(query in text.casefold()
               for text in (row.chapter.name, place.name, place.country_name))


def dashboard_page(ctx: Context, *, query: str = "", page: int | str = 1) -> DashboardPage:
    """The organization measured on its own today (its clock), against the goal set in force;
    its chapters summarised (counts per verdict, those at risk) and listed a page at a time,
    searched by name or place. A constant number of queries (goals/snapshot.py)."""
    organization = ctx.organization
    measurement = measure(organization, organization.today)  # the figures' date
    goal_set = goal_set_current(organization)
    progress = goal_set_progress(goal_set, measurement.snapshot) if goal_set else None
    ordered = sorted(measurement.chapters,
                     key=lambda r: (STATUS_ORDER[r.status], r.chapter.name))
    query = " ".join(query.split())[:QUERY_MAX]
    found = [r for r in ordered if _matches(r, query.casefold())] if query else ordered
    shown = Paginator(found, CHAPTERS_PER_PAGE).get_page(page)
    at_risk = [r for r in ordered if r.at_risk]
    return DashboardPage(
        measurement=measurement,
        goal_set=goal_set,
        goal_source=goal_source(goal_set) if goal_set else None,
        progress=progress,
        figures={f.kind.value: f for f in progress.figures} if progress else {},
        rows=list(shown.object_list),
        rule=organization.rule,
        counts={status.value: sum(1 for r in ordered if r.status is status)
                for status in STATUS_ORDER},
        at_risk=at_risk[:AT_RISK_SHOWN],
        at_risk_count=len(at_risk),
        page=shown,
        query=query,
    )
