"""Readiness for the founding convention: each goal met or not, and since when.

Pure and typed. The caller passes the organization measured at a series of dates (the first day
of every month since the founding from its history, and today: convention/selectors.py); a goal
is met "since" the first of those dates from which it has been met at every later one up to
today (a goal met, lost and met again counts from the last time). The members goal can be dated
to the day from join dates, so the caller may pass that day (`members_met_on`).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from chapterhouse.goals.progress import Kind, Snapshot, Targets


@dataclass(frozen=True, slots=True)
class GoalReadiness:
    kind: Kind
    current: float
    target: float
    met: bool
    since: datetime.date | None  # the date it was met (None when not met today)
    exact: bool  # `since` is the day itself (members), not the end of the month it was seen


@dataclass(frozen=True, slots=True)
class Readiness:
    on: datetime.date
    goals: tuple[GoalReadiness, ...]

    @property
    def ready(self) -> bool:
        return all(goal.met for goal in self.goals)

    @property
    def ready_since(self) -> datetime.date | None:
        """The day the last goal was met: when the convention could first be called."""
        if not self.ready:
            return None
        dates = [goal.since for goal in self.goals if goal.since is not None]
        return max(dates) if dates else None


def value(snapshot: Snapshot, kind: Kind) -> float:
    if kind is Kind.MEMBERS:
        return snapshot.members
    if kind is Kind.CHAPTERS:
        return snapshot.chapters
    if kind is Kind.CONTINENTS:
        return snapshot.continents
    return snapshot.women_share if snapshot.women_share is not None else 0.0


def target(targets: Targets, kind: Kind) -> float:
    return {Kind.MEMBERS: float(targets.members), Kind.CHAPTERS: float(targets.chapters),
            Kind.CONTINENTS: float(targets.continents),
            Kind.WOMEN_SHARE: targets.women_share}[kind]


def readiness(targets: Targets, history: Sequence[Snapshot],
              members_met_on: datetime.date | None = None) -> Readiness:
    """Each goal against the last snapshot of `history` (in date order, today last), dated by
    the earlier ones."""
    if not history:
        raise ValueError("readiness needs at least today's snapshot")
    points = sorted(history, key=lambda s: s.on)
    today = points[-1]
    goals = []
    for kind in Kind:
        wanted = target(targets, kind)
        met = value(today, kind) >= wanted
        since: datetime.date | None = None
        exact = False
        if met:
            since = today.on
            for point in reversed(points):
                if value(point, kind) < wanted:
                    break
                since = point.on
            if kind is Kind.MEMBERS and members_met_on is not None:
                since, exact = min(members_met_on, since), True
        goals.append(GoalReadiness(kind, value(today, kind), wanted, met, since, exact))
    return Readiness(today.on, tuple(goals))
