"""The history page's charts in the reader's language, drawn from the cached history
(goals/history.py) and the goal set in force; and the public progress figures."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import translation
from django.utils.formats import date_format, number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext

from chapterhouse.domain.history import History
from chapterhouse.goals.charts import GoalChart, Labels, chart_svg
from chapterhouse.goals.history import history_series
from chapterhouse.goals.models import GoalSet
from chapterhouse.goals.progress import Kind
from chapterhouse.goals.selectors import goal_set_current
from chapterhouse.organizations.context import Context


@dataclass(frozen=True)
class HistoryPage:
    history: History
    goal_set: GoalSet | None
    charts: list[GoalChart]


def _year(day: datetime.date) -> str:
    return date_format(day, "Y")


def _count(value: float) -> str:
    return number_format(round(value), force_grouping=True)


def _percent(value: float) -> str:
    return f"{number_format(round(value))}%"


def goal_charts(history: History, goal_set: GoalSet | None) -> list[GoalChart]:
    """A chart per goal: members, qualifying chapters, continents, women's participation."""
    deadline = goal_set.deadline if goal_set else None
    series: list[tuple[Kind, str, list[tuple[datetime.date, float | None]], float | None,
                       bool]] = [
        (Kind.MEMBERS, gettext("Members"),
         [(p.on, float(p.members)) for p in history.points],
         float(goal_set.target_members) if goal_set else None, False),
        (Kind.CHAPTERS, gettext("Qualifying chapters"),
         [(p.on, float(p.chapters)) for p in history.points],
         float(goal_set.target_chapters) if goal_set else None, False),
        (Kind.CONTINENTS, gettext("Continents with a qualifying chapter"),
         [(p.on, float(p.continents)) for p in history.points],
         float(goal_set.target_continents) if goal_set else None, False),
        (Kind.WOMEN_SHARE, gettext("Women's participation"),
         [(p.on, None if p.women_share is None else float(p.women_share))
          for p in history.points],
         float(goal_set.target_women_share) if goal_set else None, True),
    ]
    # The legend's words, short enough for a phone (the chart's caption names the goal).
    labels_actual = pgettext("history chart legend", "Actual")
    labels_target, labels_deadline = gettext("Target"), gettext("Deadline")
    charts = []
    for kind, figure, rows, target, percent in series:
        svg = chart_svg(rows, target=target, deadline=deadline,
                        labels=Labels(labels_actual, labels_target, labels_deadline),
                        percent=percent, x_label=_year, y_label=_percent if percent else _count)
        # Safe: drawn by pygal, which escapes every text (the translated labels) as XML.
        charts.append(GoalChart(kind=kind.value, title=figure, svg=mark_safe(svg),  # noqa: S308
                                rows=rows, percent=percent, target=target, deadline=deadline))
    return charts


def history_page(ctx: Context) -> HistoryPage:
    """The history (cached), and its charts drawn in the reader's language (cached with it:
    the same history, goal set and language draw the same charts)."""
    history = history_series(ctx)
    goal_set = goal_set_current(ctx.organization)
    targets = (goal_set.pk, goal_set.target_members, goal_set.target_chapters,
               goal_set.target_continents, goal_set.target_women_share,
               goal_set.deadline) if goal_set else None
    digest = hashlib.sha256(repr((history, targets)).encode()).hexdigest()[:32]
    key = f"history-charts:{ctx.organization.pk}:{digest}:{translation.get_language()}"
    charts = cache.get(key)
    if not isinstance(charts, list):
        charts = goal_charts(history, goal_set)
        cache.set(key, charts, timeout=24 * 3600)
    return HistoryPage(history=history, goal_set=goal_set, charts=charts)
