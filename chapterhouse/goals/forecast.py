"""The forecast's reads (issue 14): the organization's own history, month by month, fed to the
pure model (domain/forecast.py).

- Qualifying chapters: each chapter's stored month results (meetings.ChapterMonth, kept by
  meetings/months.py). A chapter qualifies on the first day of month M when its row for the
  month before completes a run of the rule's months (`run`), the test verdicts/selectors.py
  applies to the window; one query over the rows that do, whatever the attendance.
- Members: active members by the day they joined; one grouped query.
- The pipeline's chapters: those carried by an organizer (Chapter.organizer) or started from
  a plan's candidate; the plan's open candidates (with an organizer and a start-by date) are
  read by the planner, which sits above goals, and passed in (dashboard/forecast.py).

The month-by-month reading is `chapter_series` alone, so that it can later read the shared
series of goals/history.py instead.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count

from chapterhouse.chapters.models import Chapter
from chapterhouse.domain import forecast as model
from chapterhouse.domain.qualification import Rule, add_months
from chapterhouse.goals.models import GoalSet
from chapterhouse.meetings.models import ChapterMonth
from chapterhouse.meetings.months import rule_key
from chapterhouse.members.models import Member
from chapterhouse.organizations.models import Organization


def chapter_series(rule: Rule, on: datetime.date) -> dict[int, frozenset[datetime.date]]:
    """Each chapter's months (their first days, up to `on`) on which it qualified: the month
    after each stored month that completed a run of `rule.months` passing months. Rows stored
    under another rule (a rebuild under way) are left out."""
    qualified: dict[int, set[datetime.date]] = defaultdict(set)
    rows = (ChapterMonth.objects.filter(rule_key=rule_key(rule), run__gte=rule.months,
                                        month__lt=on.replace(day=1))
            .order_by().values_list("chapter_id", "month"))
    for chapter_id, month in rows.iterator(chunk_size=5000):
        qualified[chapter_id].add(add_months(month, 1))
    return {pk: frozenset(months) for pk, months in qualified.items()}


def member_joins(on: datetime.date) -> dict[datetime.date, int]:
    """Active members by the day they joined, up to `on`: one grouped query."""
    return dict(Member.objects.filter(is_active=True, joined_on__lte=on).order_by()
                .values("joined_on").annotate(n=Count("pk")).values_list("joined_on", "n"))


def forecast_history(organization: Organization, on: datetime.date, *,
                     open_candidates: Iterable[datetime.date] = (),
                     started_from_plan: Iterable[str] = ()) -> model.History:
    """Everything the model is fitted on, as of `on`: four queries. `open_candidates`: the
    start-by dates of the plan's candidates with an organizer, not started yet;
    `started_from_plan`: slugs of chapters started from a plan's candidate."""
    rule = organization.rule
    series = chapter_series(rule, on)
    plan = set(started_from_plan)
    # Every chapter's row (ten thousand small rows at the size served); one enters the model if
    # it ever qualified or belongs to the pipeline (carried by an organizer or started from
    # the plan).
    rows = (Chapter.objects.filter(founded_on__lte=on).order_by()
            .values_list("pk", "founded_on", "slug", "organizer_id"))
    histories = tuple(
        model.ChapterHistory(qualified_on=series.get(pk, frozenset()), started_on=founded,
                             from_plan=slug in plan or organizer is not None)
        for pk, founded, slug, organizer in rows.iterator(chunk_size=5000)
        if pk in series or organizer is not None or slug in plan)
    return model.History(
        founded=organization.founded_on,
        chapters=histories,
        joins=member_joins(on),
        open_candidates=tuple(sorted(open_candidates)),
        rule_months=rule.months,
    )


def goal_forecast(organization: Organization, goal_set: GoalSet, *,
                  open_candidates: Iterable[datetime.date] = (),
                  started_from_plan: Iterable[str] = (),
                  members_now: int | None = None) -> model.Forecast:
    """The goal set's chapters and members goals forecast from the history up to the
    organization's today, with the backtests."""
    on = organization.today
    history = forecast_history(organization, on, open_candidates=open_candidates,
                               started_from_plan=started_from_plan)
    return model.forecast(history, on, deadline=goal_set.deadline,
                          chapters_target=goal_set.target_chapters,
                          members_target=goal_set.target_members, members_now=members_now)

