"""Health warnings: is a chapter *at risk* of lapsing (or of missing its qualification) at the
end of this month, and why? Pure and typed; callers read the chapter's stored months
(meetings.ChapterMonth) into the qualification rule's `MonthCheck`s.

The month at stake is the current calendar month in the chapter's own time zone (the zone that
decides which month a meeting counts in). A chapter is *in the running* when this month
decides its status next month: the `months - 1` whole months before it all met the rule (for a
one-month rule: the month before it did). That is every qualifying chapter (next month it
lapses without a passing meeting now) and every chapter one month short of qualifying (next
month it qualifies with one).

A chapter in the running, with no meeting yet this month that meets the rule, is at risk:

- `month_ending`: `days` or fewer days are left in the month, today included;
- `short_attendees`: a meeting held this month (attendance recorded) had fewer than the rule's
  minimum attendees (its best one, so every one of them);
- `short_women`: it had enough attendees but too few women, said only when the disclosure rule
  (domain/disclosure.py) lets the share's outcome be said of that group;
- `short`: it fell short and the disclosure rule does not let us say which part failed
  (enough people only counting guests): nothing is said of its women.

No figure of women is ever part of a warning: only the rule's required share.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from chapterhouse.domain.disclosure import women_figure
from chapterhouse.domain.qualification import MonthCheck, Rule, add_months, first_of_month, window
from chapterhouse.domain.reasons import Reason, reason
from chapterhouse.domain.timebounds import local_time

DAYS_MIN, DAYS_MAX = 1, 28  # what an organization may set as "days left" (a month's length)


class Code(enum.StrEnum):
    MONTH_ENDING = "month_ending"
    SHORT_ATTENDEES = "short_attendees"
    SHORT_WOMEN = "short_women"
    SHORT = "short"


@dataclass(frozen=True, slots=True)
class Risk:
    """A chapter at risk: the month at stake (its first day, in the chapter's zone), the
    chapter's local date, the days left in the month (today included), whether it qualifies
    now (else it would qualify next month with a passing meeting now), and why."""

    month: datetime.date
    local_today: datetime.date
    days_left: int
    qualifying: bool
    codes: tuple[Code, ...]
    reasons: tuple[Reason, ...]


def month_key(month: datetime.date) -> str:
    return month.strftime("%Y-%m")


def local_today(now: datetime.datetime, zone: ZoneInfo) -> datetime.date:
    """The chapter's date at `now` (aware)."""
    if now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")
    return local_time(now, zone).date()


def days_left(today: datetime.date) -> int:
    """Days left in today's month, today included: 1 on its last day."""
    last = add_months(first_of_month(today), 1) - datetime.timedelta(days=1)
    return (last - today).days + 1


def months_read(today: datetime.date, rule: Rule) -> list[datetime.date]:
    """The months a caller must read for `risk` on `today`: the rule's window and this one."""
    return [*window(today, rule.months), first_of_month(today)]


@dataclass(frozen=True, slots=True)
class _Day:
    """What `risk` needs of a chapter's local date (shared by every chapter on that date)."""

    today: datetime.date
    current: datetime.date
    deciding: tuple[datetime.date, ...]  # the months that must have passed
    window: tuple[datetime.date, ...]  # the rule's whole window (qualifies now)
    left: int
    key: str


def _day(today: datetime.date, rule: Rule) -> _Day:
    return _Day(today, first_of_month(today), tuple(window(today, max(1, rule.months - 1))),
                tuple(window(today, rule.months)), days_left(today),
                month_key(first_of_month(today)))


def risk(checks: Mapping[datetime.date, MonthCheck], rule: Rule, *, now: datetime.datetime,
         zone: ZoneInfo, days: int) -> Risk | None:
    """Whether the chapter whose months (in its zone) are `checks` is at risk at `now`, with
    `days` the organization's warning period; None when it is not."""
    return risks([(0, checks, zone)], rule, now=now, days=days).get(0)


def risks(chapters: Iterable[tuple[int, Mapping[datetime.date, MonthCheck], ZoneInfo]],
          rule: Rule, *, now: datetime.datetime, days: int) -> dict[int, Risk]:
    """`risk` for many chapters given as (key, checks, zone): those at risk, by key. The
    dates are worked out once per time zone (ten thousand chapters, a few zones)."""
    if not DAYS_MIN <= days <= DAYS_MAX:
        raise ValueError(f"days must be between {DAYS_MIN} and {DAYS_MAX}, not {days}")
    by_zone: dict[ZoneInfo, _Day] = {}
    found: dict[int, Risk] = {}
    for key, checks, zone in chapters:
        day = by_zone.get(zone)
        if day is None:
            day = by_zone[zone] = _day(local_today(now, zone), rule)
        result = _risk(checks, rule, now=now, day=day, days=days)
        if result is not None:
            found[key] = result
    return found


def _risk(checks: Mapping[datetime.date, MonthCheck], rule: Rule, *, now: datetime.datetime,
          day: _Day, days: int) -> Risk | None:
    for month in day.deciding:
        check = checks.get(month)
        if check is None or not check.ok:
            return None  # this month does not decide its status next month
    this_month = checks.get(day.current)
    if this_month is not None and this_month.ok:
        return None  # already met the rule this month
    qualifying = all((c := checks.get(m)) is not None and c.ok for m in day.window)
    key = day.key
    codes: list[Code] = []
    reasons: list[Reason] = []
    if day.left <= days:
        codes.append(Code.MONTH_ENDING)
        reasons.append(reason("risk.month_ending", month=key, days_left=day.left,
                              qualifying=qualifying))
    best = this_month.best if this_month is not None else None
    # A meeting with no attendance recorded, or still to come, has not fallen short.
    if best is not None and best.attendees > 0 and best.start <= now:
        if best.attendees < rule.min_attendees:
            codes.append(Code.SHORT_ATTENDEES)
            reasons.append(reason("risk.short_attendees", month=key, attendees=best.attendees,
                                  needed=rule.min_attendees))
        else:
            figure = women_figure(best.attendees, best.counted, minimum=rule.min_attendees,
                                  required_share=rule.share, guests=best.guests)
            if figure.met is False:
                codes.append(Code.SHORT_WOMEN)
                reasons.append(reason("risk.short_women", month=key,
                                      needs_share=float(rule.share)))
            else:  # the group's women may not be spoken of (figure.met is None)
                codes.append(Code.SHORT)
                reasons.append(reason("risk.short", month=key))
    if not codes:
        return None
    return Risk(day.current, day.today, day.left, qualifying, tuple(codes), tuple(reasons))
