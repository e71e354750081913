"""The dashboard's reads: where the organization stands against the goals its members voted
for, computed once so that the template runs no query."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q

from chapterhouse.chapters.models import Chapter
from chapterhouse.dashboard.forecast import forecast_served
from chapterhouse.decisions.models import Poll
from chapterhouse.domain.forecast import Forecast
from chapterhouse.domain.qualification import Rule, Status, Verdict
from chapterhouse.domain.reasons import Reason
from chapterhouse.goals.models import GoalSet
from chapterhouse.goals.progress import Figure, Progress
from chapterhouse.goals.selectors import goal_set_current, goal_set_progress
from chapterhouse.goals.snapshot import Measurement, measurement_served
from chapterhouse.meetings.months import RebuildProgress, chapter_months_progress
from chapterhouse.organizations.context import Context
from chapterhouse.verdicts.risks import risk_list_visible
from chapterhouse.verdicts.selectors import Standing, chapter_standings

CHAPTERS_PER_PAGE = 50  # the demo's 11 chapters fit on one page
AT_RISK_SHOWN = 20  # chapters at risk named above the table (all are counted)
QUERY_MAX = 100
SEARCH_MAX = 1000  # chapters a search finds at most (their page is listed)


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
    at_risk: list[AtRiskRow]  # the first few chapters at risk, for those allowed to see them
    at_risk_count: int  # for everyone
    at_risk_days: int  # the organization's warning period (domain/risk.py)
    page: Page[int]  # of chapter ids
    query: str  # the search: part of a chapter's name or place
    figures_at: datetime.datetime  # when the figures were computed
    figures_stale: bool  # something they count changed since: being recomputed
    rebuild: RebuildProgress | None  # the rule changed and chapters are being recomputed
    forecast: Forecast | None = None  # issue 14 (dashboard/forecast.py); None: being computed
    forecast_stale: bool = False


def goal_source(goal_set: GoalSet) -> GoalSource | None:
    poll = (Poll.objects.filter(adopts_goal_set=goal_set, closed_at__isnull=False)
            .annotate(voters=Count("participations")).first())
    if poll is None or poll.closed_at is None:
        return None
    return GoalSource(poll.pk, poll.title, poll.closed_at, poll.voters)


def chapters_found(query: str) -> set[int]:
    """Ids of the chapters whose name, place or country contains `query` (case-insensitive),
    at most SEARCH_MAX: one query over the chapters and their places (ten thousand rows at
    the size served, never members or attendance), bounded whatever is typed."""
    found = (Chapter.objects.filter(Q(name__icontains=query) | Q(place__name__icontains=query)
                                    | Q(place__country_name__icontains=query))
             .order_by("pk").values_list("pk", flat=True)[:SEARCH_MAX])
    return set(found)


@dataclass(frozen=True)
class ChapterRow:
    chapter: Chapter
    standing: Standing

    @property
    def status(self) -> Status | None:  # None: being recomputed
        return self.standing.status

    @property
    def verdict(self) -> Verdict:  # built when first asked for
        return self.standing.verdict


@dataclass(frozen=True)
class AtRiskRow:
    chapter: Chapter
    reasons: tuple[Reason, ...]  # why (domain/risk.py): never a figure of women


def chapter_rows(ids: list[int], *, rule: Rule, on: datetime.date) -> list[ChapterRow]:
    """These chapters in this order, with their standing (two queries for any number)."""
    if not ids:
        return []
    chapters = Chapter.objects.select_related("place").in_bulk(ids)
    standings = chapter_standings([chapters[pk] for pk in ids if pk in chapters],
                                  rule=rule, on=on)
    return [ChapterRow(chapters[pk], standings[pk]) for pk in ids if pk in chapters]


def dashboard_page(ctx: Context, *, query: str = "", page: int | str = 1
                   ) -> DashboardPage | None:
    """The organization measured on its own today (its clock), against the goal set in force;
    its chapters summarised (counts per verdict, those at risk) and listed a page at a time,
    searched by name or place. The organization-wide figures come from the cache
    (goals/snapshot.py), perhaps the last ones while new ones are computed in the background;
    the rest is a constant number of queries for one page of chapters. None while the very
    first figures are being computed by another request."""
    organization = ctx.organization
    on, rule = organization.today, organization.rule  # the figures' date
    served = measurement_served(organization)
    if served is None:
        return None
    measurement = served.measurement
    goal_set = goal_set_current(organization)
    progress = goal_set_progress(goal_set, measurement.snapshot) if goal_set else None
    query = " ".join(query.split())[:QUERY_MAX]
    ordered = measurement.order
    if query:
        found = chapters_found(query)
        ordered = [pk for pk in ordered if pk in found]
    shown = Paginator(ordered, CHAPTERS_PER_PAGE).get_page(page)
    page_ids = list(shown.object_list)
    rows = chapter_rows(page_ids, rule=rule, on=on)
    # Which chapters are at risk, and why, only for staff and organizers (verdicts/risks.py).
    at_risk: list[AtRiskRow] = []
    if measurement.at_risk_count and risk_list_visible(ctx):
        risk_ids = measurement.at_risk[:AT_RISK_SHOWN]
        reasons = getattr(measurement, "at_risk_reasons", {})
        chapters = Chapter.objects.in_bulk(risk_ids)
        at_risk = [AtRiskRow(chapters[pk], reasons.get(pk, ())) for pk in risk_ids
                   if pk in chapters]
    # After a change of the rule: how far the rebuild has come (two counts, only then).
    rebuild = (chapter_months_progress(rule) if measurement.recomputing
               or any(row.standing.recomputing for row in rows) else None)
    served_forecast = forecast_served(organization, goal_set) if goal_set else None
    return DashboardPage(
        forecast=served_forecast[0] if served_forecast else None,
        forecast_stale=served_forecast[1] if served_forecast else False,
        measurement=measurement,
        goal_set=goal_set,
        goal_source=goal_source(goal_set) if goal_set else None,
        progress=progress,
        figures={f.kind.value: f for f in progress.figures} if progress else {},
        rows=rows,
        rule=rule,
        counts=measurement.counts,
        at_risk=at_risk,
        at_risk_count=measurement.at_risk_count,
        at_risk_days=organization.at_risk_days,
        page=shown,
        query=query,
        figures_at=served.at,
        figures_stale=served.stale,
        rebuild=rebuild,
    )
