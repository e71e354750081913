"""The qualification rule (DOMAIN.md), as a pure function over plain data.

A chapter *qualifies* on a date D when, in each of the last `months` whole calendar months before
D, it held at least one meeting with at least `min_attendees` distinct attendees of whom at least
`min_women_share` said a gender the organization counts (undisclosed never counts, so the rule
errs on the strict side). Which calendar month a meeting falls in is decided by the chapter's own
time zone. A chapter that does not qualify is *forming*, or *lapsed* if it qualified on some
earlier date. Attendance decides, not the roster.

No database access here: callers turn rows into `MeetingRecord`s.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

from chapterhouse.domain.disclosure import women_figure
from chapterhouse.domain.reasons import Reason, reason
from chapterhouse.domain.timebounds import local_time


class Status(enum.StrEnum):
    QUALIFYING = "qualifying"
    FORMING = "forming"
    LAPSED = "lapsed"


@dataclass(frozen=True, slots=True)
class Rule:
    min_attendees: int = 5
    min_women_share: Decimal | float | str = Decimal("0.30")
    months: int = 3
    counted_genders: frozenset[str] = frozenset({"woman"})

    def __post_init__(self) -> None:
        # Accept any iterable of genders but keep the rule hashable.
        object.__setattr__(self, "counted_genders", frozenset(self.counted_genders))
        if self.months < 1:
            raise ValueError(f"months must be at least 1, not {self.months}")
        if self.min_attendees < 1:
            raise ValueError(f"min_attendees must be at least 1, not {self.min_attendees}")
        if not 0 <= self.share <= 1:
            raise ValueError(f"min_women_share must be between 0 and 1, not {self.min_women_share}")

    @property
    def share(self) -> Fraction:
        # Fraction(str(...)) so that 0.3 means exactly 3/10 and 3 women of 10 pass.
        return Fraction(str(self.min_women_share))


@dataclass(frozen=True, slots=True)
class Attendee:
    member: str
    gender: str | None = None
    # A guest without an account has no self-described gender: `counts` is whether the
    # coordinator said they count toward the share (None for members: their gender decides).
    counts: bool | None = None


@dataclass(frozen=True, slots=True)
class MeetingRecord:
    meeting: str
    start: datetime.datetime  # aware
    attendees: tuple[Attendee, ...] = ()


@dataclass(frozen=True, slots=True)
class MeetingCount:
    meeting: str
    start: datetime.datetime
    attendees: int
    counted: int  # attendees whose gender counts toward the share
    guests: int = 0  # attendees without an account (named by the coordinator)

    @property
    def share(self) -> Fraction:
        return Fraction(self.counted, self.attendees) if self.attendees else Fraction(0)


@dataclass(frozen=True, slots=True)
class MonthCheck:
    """One calendar month: did the chapter's best meeting satisfy the rule?"""

    month: datetime.date  # first day of the month
    meetings: int
    best: MeetingCount | None
    enough_attendees: bool
    enough_women: bool

    @property
    def ok(self) -> bool:
        return self.enough_attendees and self.enough_women


@dataclass(frozen=True, slots=True)
class Verdict:
    status: Status
    on: datetime.date
    rule: Rule
    months: tuple[MonthCheck, ...]  # the window, oldest first
    qualified_before: datetime.date | None = None  # last month of an earlier qualifying run
    reasons: tuple[Reason, ...] = field(default=())  # explain(): codes, never English

    @property
    def last_qualified(self) -> Reason | None:
        """For a lapsed chapter: the last month it qualified through."""
        if self.qualified_before is None:
            return None
        return reason("qualification.last_qualified", month=month_key(self.qualified_before))

    @property
    def month_reasons(self) -> tuple[tuple[MonthCheck, Reason], ...]:
        """Each month of the window with its reason, oldest first (for templates)."""
        return tuple((m, describe_month(m, self.rule)) for m in self.months)


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + (month.month - 1) + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def window(on: datetime.date, months: int) -> list[datetime.date]:
    """The last `months` whole calendar months before `on`, oldest first."""
    current = first_of_month(on)
    return [add_months(current, -k) for k in range(months, 0, -1)]


def count_meeting(record: MeetingRecord, rule: Rule) -> MeetingCount:
    # The same member listed twice counts once. Their disclosed genders are pooled so that the
    # order of the listing never matters; a member counts only if every gender they disclosed
    # counts (strict on contradictions, but a blank duplicate does not erase a disclosed one).
    # A guest counts only if every listing of them says so.
    disclosed: dict[str, set[str]] = {}
    declared: dict[str, bool] = {}
    for attendee in record.attendees:
        genders = disclosed.setdefault(attendee.member, set())
        if attendee.gender:
            genders.add(attendee.gender)
        if attendee.counts is not None:
            declared[attendee.member] = declared.get(attendee.member, True) and attendee.counts
    counted = sum(1 for key, g in disclosed.items()
                  if (declared[key] if key in declared else bool(g) and g <= rule.counted_genders))
    return MeetingCount(record.meeting, record.start, len(disclosed), counted, len(declared))


def _passes(count: MeetingCount, rule: Rule) -> tuple[bool, bool]:
    enough = count.attendees >= rule.min_attendees
    women = count.attendees > 0 and Fraction(count.counted, count.attendees) >= rule.share
    return enough, women


def _counts_by_month(
    meetings: Iterable[MeetingRecord], rule: Rule, zone: ZoneInfo, until: datetime.date | None
) -> dict[datetime.date, list[MeetingCount]]:
    by_month: dict[datetime.date, list[MeetingCount]] = {}
    current = first_of_month(until) if until is not None else None
    for record in meetings:
        if record.start.utcoffset() is None:
            # astimezone() would silently read a naive time as the server's local time.
            raise ValueError(f"meeting {record.meeting!r} starts at a naive datetime")
        local = local_time(record.start, zone).date()
        month = first_of_month(local)
        if current is not None and month >= current:
            continue
        by_month.setdefault(month, []).append(count_meeting(record, rule))
    return by_month


def _check(month: datetime.date, counts: list[MeetingCount], rule: Rule) -> MonthCheck:
    # The best meeting: one that passes if any; else the closest to passing. The meeting id
    # breaks the last tie so the choice never depends on the order of the input.
    best = max(counts, key=lambda c: (*_passes(c, rule), c.attendees, c.share, c.start, c.meeting))
    enough, women = _passes(best, rule)
    return MonthCheck(month, len(counts), best, enough, women)


def check_months(
    meetings: Iterable[MeetingRecord], rule: Rule, zone: ZoneInfo, until: datetime.date
) -> dict[datetime.date, MonthCheck]:
    """Every calendar month (in the chapter's zone) before `until`'s month that had a meeting."""
    return {month: _check(month, counts, rule)
            for month, counts in _counts_by_month(meetings, rule, zone, until).items()}


@dataclass(frozen=True, slots=True)
class MonthResult:
    """What is stored of one month of a chapter (meetings.ChapterMonth): its check, the
    attendees and counted attendees over all its meetings (the women's share), and `run`, the
    number of consecutive passing months ending with it (0 when it does not pass)."""

    check: MonthCheck
    attendees: int
    counted: int
    run: int


def month_results(
    meetings: Iterable[MeetingRecord], rule: Rule, zone: ZoneInfo
) -> dict[datetime.date, MonthResult]:
    """Every calendar month (in the chapter's zone) that had a meeting, whatever the date:
    a month's result does not depend on the day it is read (only whole months are read)."""
    by_month = _counts_by_month(meetings, rule, zone, None)
    results: dict[datetime.date, MonthResult] = {}
    run, previous = 0, None
    for month in sorted(by_month):
        counts = by_month[month]
        check = _check(month, counts, rule)
        if check.ok:
            run = run + 1 if previous is not None and add_months(previous, 1) == month else 1
            previous = month
        else:
            run, previous = 0, None
        results[month] = MonthResult(check, sum(c.attendees for c in counts),
                                     sum(c.counted for c in counts), run)
    return results


def _empty(month: datetime.date) -> MonthCheck:
    return MonthCheck(month, 0, None, False, False)


def verdict(
    meetings: Sequence[MeetingRecord], rule: Rule, on: datetime.date, zone: ZoneInfo
) -> Verdict:
    """The chapter's status on `on`, with the month-by-month checks of its window."""
    checks = check_months(meetings, rule, zone, on)
    return verdict_of(checks, rule, on, lambda: _last_qualifying_run_end(checks, rule.months))


def verdict_of(
    checks: Mapping[datetime.date, MonthCheck], rule: Rule, on: datetime.date,
    qualified_before: Callable[[], datetime.date | None] | datetime.date | None,
) -> Verdict:
    """The verdict from the checks of the window's months (others are ignored) and, for a
    chapter that does not qualify, the last month that completed an earlier qualifying run
    (a callable is asked only then)."""
    months = tuple(checks.get(m) or _empty(m) for m in window(on, rule.months))
    if all(m.ok for m in months):
        status, earlier = Status.QUALIFYING, None
    else:
        earlier = qualified_before() if callable(qualified_before) else qualified_before
        status = Status.LAPSED if earlier else Status.FORMING
    result = Verdict(status, on, rule, months, earlier)
    return Verdict(status, on, rule, months, earlier, tuple(explain(result)))


def _last_qualifying_run_end(
    checks: dict[datetime.date, MonthCheck], months: int
) -> datetime.date | None:
    """The last month that completed a run of `months` consecutive passing months, if any."""
    ok = sorted(m for m, c in checks.items() if c.ok)
    run, last_end, previous = 0, None, None
    for month in ok:
        run = run + 1 if previous is not None and add_months(previous, 1) == month else 1
        if run >= months:
            last_end = month
        previous = month
    return last_end


def month_key(month: datetime.date) -> str:
    """A month as a reason's parameter: "2013-12" (the words print it in the reader's language)."""
    return month.strftime("%Y-%m")


def describe_month(check: MonthCheck, rule: Rule) -> Reason:
    """One month of the window: its best meeting, what may be said of its women
    (domain/disclosure.py), and what it lacked."""
    month = month_key(check.month)
    best = check.best
    if best is None:
        return reason("qualification.no_meeting", month=month)
    women = women_figure(best.attendees, best.counted, minimum=rule.min_attendees,
                         required_share=rule.share, guests=best.guests)
    shown = women.count is not None and women.share is not None
    return reason(
        "qualification.month", month=month, attendees=best.attendees,
        women=women.count if shown else None,
        share=float(women.share) if shown and women.share is not None else None,
        ok=check.ok,
        needs_attendees=None if check.enough_attendees else rule.min_attendees,
        # Below the minimum nothing is said about the group's women, not even the share missed.
        needs_share=float(rule.share) if women.met is False else None,
    )


def summarize(result: Verdict) -> list[Reason]:
    """The verdict in a line, and for a lapsed chapter the last month it qualified."""
    rule = result.rule
    if result.status is Status.QUALIFYING:
        return [reason("qualification.qualifying", months=rule.months)]
    failing = sum(1 for m in result.months if not m.ok)
    summary = [reason("qualification.lapsed", failing=failing, months=rule.months)
               if result.status is Status.LAPSED
               else reason("qualification.forming", failing=failing, months=rule.months)]
    if result.last_qualified is not None:
        summary.append(result.last_qualified)
    return summary


def explain(result: Verdict) -> list[Reason]:
    """The verdict's reasons: the summary (summarize), then one per month of the window."""
    return [*summarize(result), *(describe_month(m, result.rule) for m in result.months)]
