"""The organization's history: each goal's figure on the first day of every month from the
founding to the figures' date (and on that date), from plain data.

The figures follow the dashboard's rules (goals/snapshot.py) so that the last point is
today's dashboard figure:

- members: members who had joined by the day and had not left by it. A member who left is
  counted until the day their record was erased (`leaves`); one who left without a stored date
  is in neither `joins` nor `leaves`, so is counted in no month (the dashboard counts only
  active members, and when they left is unknown).
- qualifying chapters: a chapter founded by the day whose stored month before the day's month
  ends a run of at least `rule_months` passing months (meetings.ChapterMonth.run, written by
  meetings/months.py with domain.qualification.month_results): exactly "each of the last
  `rule_months` whole months passed", the qualification rule.
- continents: those with a qualifying chapter.
- women's participation: counted attendees over all attendees of the qualifying chapters'
  meetings in the rule's window (the stored months' sums, as the dashboard adds them), given
  only for a group the disclosure rule lets us speak about (domain.disclosure, with the
  attendances of the window's months counted as min_attendees a month, since the same people
  come back each month; and never when all or none are women): otherwise the month is a gap
  (None), never a point.

Each point also says how many chapters started and stopped qualifying since the previous
point, what a forecast of new and lapsed chapters is fitted to.

Pure and typed: the caller reads the rows (goals/history.py) and passes plain values.
"""

from __future__ import annotations

import bisect
import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from itertools import accumulate

from chapterhouse.domain.disclosure import women_figure
from chapterhouse.domain.qualification import add_months, first_of_month


@dataclass(frozen=True, slots=True)
class MonthRecord:
    """A chapter's stored month (meetings.ChapterMonth) as the history reads it."""

    chapter: int
    month: datetime.date  # its first day
    run: int  # consecutive passing months ending with this one; 0 if it failed
    attendees: int  # over all the month's meetings
    counted: int  # of whom counted toward the women's share


@dataclass(frozen=True, slots=True)
class ChapterFacts:
    founded_on: datetime.date
    continent: str


@dataclass(frozen=True, slots=True)
class Point:
    """The organization measured on one day."""

    on: datetime.date
    members: int
    chapters: int  # qualifying
    continents: int  # with a qualifying chapter
    attendees: int  # at the qualifying chapters' meetings in the rule's window
    counted: int  # of whom counted toward the women's share
    women_share: Fraction | None  # None: a gap (too few people to say, or none attended)
    started: int  # chapters qualifying on this day that did not on the previous point
    stopped: int  # chapters qualifying on the previous point that no longer do


@dataclass(frozen=True, slots=True)
class History:
    points: tuple[Point, ...]  # oldest first; the last is on the figures' date

    @property
    def last(self) -> Point | None:
        return self.points[-1] if self.points else None

    def chapters_by_month(self) -> list[tuple[datetime.date, int]]:
        """Qualifying chapters on the first day of each month (and on the figures' date)."""
        return [(p.on, p.chapters) for p in self.points]


def point_dates(founded: datetime.date, today: datetime.date) -> list[datetime.date]:
    """The first day of every month from the founding (its own month's first day when it was
    founded on the 1st, else the next month's) to `today`, then `today` itself."""
    day = first_of_month(founded)
    if day < founded:
        day = add_months(day, 1)
    days = []
    while day <= today:
        days.append(day)
        day = add_months(day, 1)
    if not days or days[-1] != today:
        days.append(today)
    return days


def _counter(changes: Mapping[datetime.date, int]) -> tuple[list[datetime.date], list[int]]:
    days = sorted(changes)
    return days, list(accumulate(changes[d] for d in days))


def _by_day(days: list[datetime.date], totals: list[int], on: datetime.date) -> int:
    """Sum of the changes dated on or before `on`."""
    index = bisect.bisect_right(days, on)
    return totals[index - 1] if index else 0


def history(*, founded: datetime.date, today: datetime.date, joins: Mapping[datetime.date, int],
            leaves: Mapping[datetime.date, int], chapters: Mapping[int, ChapterFacts],
            months: Iterable[MonthRecord], rule_months: int, min_attendees: int,
            required_share: Fraction) -> History:
    """The history from the founding to `today` (module docstring).

    `joins`: members per day joined (everyone counted at some point: active members, and
    those who left on a known day); `leaves`: members per day they left (on that day they are
    no longer counted); `chapters`: every chapter by id; `months`: the chapters' stored months
    for the organization's rule (others are ignored); `rule_months`, `min_attendees`,
    `required_share`: the qualification rule."""
    if rule_months < 1:
        raise ValueError(f"rule_months must be at least 1, not {rule_months}")
    join_days, join_totals = _counter(joins)
    leave_days, leave_totals = _counter(leaves)
    # One pass over each chapter's months in order: the sums of attendance over the window
    # ending at each month that completes a run of `rule_months` passing months (its window
    # is that run's last `rule_months` months, consecutive, all stored).
    by_month: dict[datetime.date, list[tuple[int, int, int]]] = {}
    recent: dict[int, list[MonthRecord]] = {}
    for record in sorted(months, key=lambda r: (r.chapter, r.month)):
        if record.chapter not in chapters or record.run < 1:
            continue
        run = recent.setdefault(record.chapter, [])
        if run and add_months(run[-1].month, 1) != record.month:
            run.clear()
        run.append(record)
        del run[:-rule_months]
        if record.run >= rule_months:
            by_month.setdefault(record.month, []).append(
                (record.chapter, sum(r.attendees for r in run), sum(r.counted for r in run)))
    points: list[Point] = []
    before: set[int] = set()
    for on in point_dates(founded, today):
        last_month = add_months(first_of_month(on), -1)
        found = [entry for entry in by_month.get(last_month, ())
                 if chapters[entry[0]].founded_on <= on]
        qualifying = {chapter for chapter, _a, _c in found}
        attendees = sum(a for _chapter, a, _c in found)
        counted = sum(c for _chapter, _a, c in found)
        # Attendances over `rule_months` months count the same people again each month:
        # the group is taken as big enough when it averages `min_attendees` a month.
        share = (women_figure(attendees, counted, minimum=min_attendees * rule_months,
                              required_share=required_share).share if attendees else None)
        points.append(Point(
            on=on,
            members=(_by_day(join_days, join_totals, on) - _by_day(leave_days, leave_totals, on)),
            chapters=len(qualifying),
            continents=len({chapters[c].continent for c in qualifying}),
            attendees=attendees,
            counted=counted,
            women_share=share,
            started=len(qualifying - before),
            stopped=len(before - qualifying),
        ))
        before = qualifying
    return History(tuple(points))
