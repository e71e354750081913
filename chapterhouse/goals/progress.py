"""Progress toward a goal set: each figure, what is still needed, the pace, and a forecast.

Pure and typed: the caller measures the organization (see goals/snapshot.py) and passes plain
numbers. Paces are per calendar month; the forecast is "plain": the pace so far, continued.
"""

from __future__ import annotations

import calendar
import datetime
import enum
import math
from dataclasses import dataclass


class Kind(enum.StrEnum):
    MEMBERS = "members"
    CHAPTERS = "chapters"
    CONTINENTS = "continents"
    WOMEN_SHARE = "women_share"


@dataclass(frozen=True, slots=True)
class Targets:
    members: int
    chapters: int
    continents: int
    women_share: float
    deadline: datetime.date


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The organization measured on one day."""

    on: datetime.date
    started: datetime.date  # the pace so far is measured from here (the founding)
    members: int
    chapters: int  # qualifying chapters
    continents: int  # continents with a qualifying chapter
    women_share: float | None  # over attendees of qualifying chapters; None if none attended


@dataclass(frozen=True, slots=True)
class Figure:
    kind: Kind
    current: float
    target: float
    # Only counts that grow over time get a pace and a forecast (members, chapters).
    pace_so_far: float | None = None  # per month since the start
    pace_needed: float | None = None  # per month from now to the deadline
    forecast: float | None = None  # the value at the deadline if the pace so far holds

    @property
    def met(self) -> bool:
        return self.current >= self.target

    @property
    def still_needed(self) -> float:
        return max(self.target - self.current, 0)

    @property
    def forecast_meets(self) -> bool | None:
        if self.forecast is None:
            return None
        return self.forecast >= self.target

    @property
    def forecast_range(self) -> tuple[int, int] | None:
        """Whole numbers around the forecast ('about 9-10')."""
        if self.forecast is None:
            return None
        return math.floor(self.forecast), math.ceil(self.forecast)


@dataclass(frozen=True, slots=True)
class Progress:
    snapshot: Snapshot
    targets: Targets
    months_left: float
    months_so_far: float
    figures: tuple[Figure, ...]

    @property
    def all_met(self) -> bool:
        return all(f.met for f in self.figures)

    def figure(self, kind: Kind) -> Figure:
        return next(f for f in self.figures if f.kind == kind)


def months_between(start: datetime.date, end: datetime.date) -> float:
    """Calendar months from start to end: 1 Feb to 1 Jul is exactly 5, 1 Feb to 15 Feb 0.5.

    Whole months (the same day of the month, or the month's last day when it has no such day)
    plus the elapsed share of the month that follows, so 31 Jan to 1 Feb is 1/28 of a month,
    not the -3/28 of subtracting days of the month. Negative when end is before start.
    """
    if end < start:
        return -months_between(end, start)
    whole = (end.year - start.year) * 12 + (end.month - start.month)
    if _months_after(start, whole) > end:  # end's day of the month is not reached yet
        whole -= 1
    anchor, following = _months_after(start, whole), _months_after(start, whole + 1)
    return whole + (end - anchor).days / (following - anchor).days


def _months_after(day: datetime.date, months: int) -> datetime.date:
    """`day` moved by whole calendar months, kept within the target month (31 Jan + 1 = 28 Feb)."""
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    last = calendar.monthrange(year, month_index + 1)[1]
    return datetime.date(year, month_index + 1, min(day.day, last))


def _growing(kind: Kind, current: int, target: int, months_so_far: float,
             months_left: float) -> Figure:
    pace_so_far = current / months_so_far if months_so_far > 0 else None
    if months_left > 0:
        pace_needed = max(target - current, 0) / months_left
        forecast = current + (pace_so_far or 0.0) * months_left
    else:  # the deadline has passed: what we have is what we got
        pace_needed, forecast = None, float(current)
    return Figure(kind, current, target, pace_so_far, pace_needed, forecast)


def progress(snapshot: Snapshot, targets: Targets) -> Progress:
    months_left = max(months_between(snapshot.on, targets.deadline), 0.0)
    months_so_far = max(months_between(snapshot.started, snapshot.on), 0.0)
    figures = (
        _growing(Kind.MEMBERS, snapshot.members, targets.members, months_so_far, months_left),
        _growing(Kind.CHAPTERS, snapshot.chapters, targets.chapters, months_so_far, months_left),
        Figure(Kind.CONTINENTS, snapshot.continents, targets.continents),
        Figure(Kind.WOMEN_SHARE, snapshot.women_share or 0.0, targets.women_share),
    )
    return Progress(snapshot, targets, months_left, months_so_far, figures)
