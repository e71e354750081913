"""The engagement ladder and the follow-ups it calls for (issue 13, item 2: "People followed,
from the data").

Pure and typed: `followups/selectors.py` reads a person's history in one chapter (when they
arrived, the meetings they came to, the meetings they said yes to, the conversations logged
with them) and asks this module where they stand and whether someone should talk to them.
Nothing here is typed in by hand: every rung and every follow-up is computed from RSVPs,
attendance and the conversation log, on the organization's clock (`now`, `today`).

The ladder, lowest to highest; a person is on the highest rung they reach:

- NOT_REACHED: joined 14 days ago or more, never welcomed, never came to a meeting.
- NEW: joined in the last 14 days (the day they joined counts as the first).
- WELCOMED: someone of the chapter talked with them (a conversation or a welcome is logged).
- ATTENDED: came to at least one of the chapter's meetings.
- REGULAR: came to a meeting in each of the last 3 calendar months: the current month and the
  two before it if they already came this month, else the three months before this one.
- CORE: coordinates the chapter or is an organizer.

Follow-ups (core people are never on the queue: they are the ones following up):

- WELCOME: arrived 48 hours ago or more (and less than WELCOME_WINDOW_DAYS ago), not welcomed
  and never came. Leaves when a conversation is logged or they come to a meeting.
- NO_SHOW: said yes to a meeting whose attendance was taken (in the last NO_SHOW_WINDOW_DAYS)
  and did not come, and has not come since. Leaves when they come to a meeting or a
  conversation is logged on or after the first such meeting.
- LAPSED: was a regular at their last meeting (came in that month and the two before it), and
  the chapter has since met in at least 2 other months without them. Leaves when they come
  back or a conversation is logged on or after the first meeting they missed.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable
from dataclasses import dataclass

from chapterhouse.domain.reasons import Reason, reason

NEW_DAYS = 14
WELCOME_AFTER = datetime.timedelta(hours=48)
WELCOME_WINDOW_DAYS = 60  # after two months without a welcome, the queue stops asking
REGULAR_MONTHS = 3
LAPSED_MISSED_MONTHS = 2
LAPSED_WINDOW_MONTHS = 12  # a regular gone for a year is no longer a follow-up
NO_SHOW_WINDOW_DAYS = 90


class Rung(enum.StrEnum):
    NOT_REACHED = "not_reached"
    NEW = "new"
    WELCOMED = "welcomed"
    ATTENDED = "attended"
    REGULAR = "regular"
    CORE = "core"


LADDER: tuple[Rung, ...] = (Rung.NOT_REACHED, Rung.NEW, Rung.WELCOMED, Rung.ATTENDED,
                            Rung.REGULAR, Rung.CORE)


class Need(enum.StrEnum):
    WELCOME = "welcome"
    NO_SHOW = "no_show"
    LAPSED = "lapsed"


@dataclass(frozen=True)
class History:
    """One person as one chapter knows them. Dates of meetings are local to the chapter."""

    arrived_at: datetime.datetime  # joined the chapter (or, without a chapter, the organization)
    attended: tuple[datetime.date, ...] = ()  # the chapter's meetings they came to
    said_yes: tuple[datetime.date, ...] = ()  # meetings they said yes to, attendance taken
    talked: tuple[datetime.date, ...] = ()  # days a conversation with them was logged here
    core: bool = False  # coordinates the chapter or organizes


@dataclass(frozen=True)
class FollowUp:
    need: Need
    since: datetime.date  # since when it is there
    reason: Reason


def arrival(joined_on: datetime.date, recorded_at: datetime.datetime) -> datetime.datetime:
    """When someone arrived: the moment the row was written if it was written on the day it
    says they joined, else the start of that day (UTC). A demo or an import gives a history
    with dates only; a fixed clock's "today" is not the real day either."""
    if recorded_at.astimezone(datetime.UTC).date() == joined_on:
        return recorded_at
    return datetime.datetime.combine(joined_on, datetime.time.min, tzinfo=datetime.UTC)


def _month(day: datetime.date) -> int:
    return day.year * 12 + day.month - 1


def _regular_ending(months: set[int], last: int) -> bool:
    return all(last - back in months for back in range(REGULAR_MONTHS))


def is_regular(attended: Iterable[datetime.date], today: datetime.date) -> bool:
    """Came in each of the last 3 calendar months (see the module's docstring)."""
    months = {_month(day) for day in attended if day <= today}
    current = _month(today)
    return _regular_ending(months, current if current in months else current - 1)


def is_new(history: History, today: datetime.date) -> bool:
    return (today - history.arrived_at.astimezone(datetime.UTC).date()).days < NEW_DAYS


def rung(history: History, *, today: datetime.date) -> Rung:
    """The highest rung the person reaches."""
    if history.core:
        return Rung.CORE
    came = [day for day in history.attended if day <= today]
    if is_regular(came, today):
        return Rung.REGULAR
    if came:
        return Rung.ATTENDED
    if history.talked:
        return Rung.WELCOMED
    if is_new(history, today):
        return Rung.NEW
    return Rung.NOT_REACHED


def welcome_due(history: History, *, now: datetime.datetime,
                today: datetime.date) -> FollowUp | None:
    """Waiting 48 hours or more for a welcome (within WELCOME_WINDOW_DAYS of arriving)."""
    if history.core or history.talked or any(day <= today for day in history.attended):
        return None
    waited = now - history.arrived_at
    arrived_on = history.arrived_at.astimezone(datetime.UTC).date()
    if waited < WELCOME_AFTER or (today - arrived_on).days >= WELCOME_WINDOW_DAYS:
        return None
    return FollowUp(Need.WELCOME, arrived_on,
                    reason("followups.welcome", days=waited.days,
                           hours=int(waited.total_seconds() // 3600)))


def no_show(history: History, *, today: datetime.date) -> FollowUp | None:
    """Said yes, did not come, and has not come since."""
    if history.core:
        return None
    came = {day for day in history.attended if day <= today}
    last_came = max(came, default=None)
    absent = sorted(day for day in set(history.said_yes)
                    if day not in came and day <= today
                    and (today - day).days <= NO_SHOW_WINDOW_DAYS
                    and (last_came is None or day > last_came))
    if not absent:
        return None
    if any(day >= absent[0] for day in history.talked):
        return None
    return FollowUp(Need.NO_SHOW, absent[0],
                    reason("followups.no_show", count=len(absent), last=absent[-1].isoformat()))


def lapsed(history: History, *, held: Iterable[datetime.date],
           today: datetime.date) -> FollowUp | None:
    """A regular at their last meeting, since absent from meetings in 2 or more months.
    `held`: the chapter's meetings whose attendance was taken."""
    if history.core:
        return None
    came = [day for day in history.attended if day <= today]
    if not came:
        return None
    last = max(came)
    last_month = _month(last)
    if (_month(today) - last_month > LAPSED_WINDOW_MONTHS
            or not _regular_ending({_month(day) for day in came}, last_month)):
        return None
    missed = sorted(day for day in set(held) if last_month < _month(day) and day <= today)
    missed_months = {_month(day) for day in missed}
    if len(missed_months) < LAPSED_MISSED_MONTHS:
        return None
    if any(day >= missed[0] for day in history.talked):
        return None
    return FollowUp(Need.LAPSED, missed[0],
                    reason("followups.lapsed", months=len(missed_months), last=last.isoformat()))


def follow_ups(history: History, *, held: Iterable[datetime.date], now: datetime.datetime,
               today: datetime.date) -> list[FollowUp]:
    """Every follow-up the person needs in this chapter, oldest first."""
    found = [welcome_due(history, now=now, today=today), no_show(history, today=today),
             lapsed(history, held=held, today=today)]
    return sorted((f for f in found if f is not None), key=lambda f: f.since)
