"""Verdicts for stored chapters: each chapter's stored month results (meetings.ChapterMonth,
kept by meetings/months.py) read into the pure rule, one row per chapter and month; and the
chapter pages, which show a chapter with its meetings and its verdict."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Max, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from chapterhouse.chapters.models import Chapter
from chapterhouse.chapters.selectors import (
    ChapterPeople,
    chapter_people,
)
from chapterhouse.domain import qualification
from chapterhouse.domain.qualification import MonthCheck, Rule, Status, Verdict
from chapterhouse.meetings.models import ChapterMonth, Meeting
from chapterhouse.meetings.months import meeting_records, rule_key
from chapterhouse.organizations.context import Context


class Standing:
    """A chapter on a day, read from its stored months (meetings.ChapterMonth). Its status is
    read from the months' flags; the verdict with its reasons is built when first asked for
    (a page of the dashboard's table, not every chapter)."""

    def __init__(self, checks: dict[datetime.date, MonthCheck], qualified_before:
                 datetime.date | None, *, rule: Rule, on: datetime.date, attendees: int,
                 counted: int, month_ok: bool, recomputing: bool = False) -> None:
        self._checks, self._qualified_before = checks, qualified_before
        self._rule, self._on = rule, on
        self.attendees = attendees  # over all the meetings of the rule's window
        self.counted = counted  # of whom counted toward the share
        self.month_ok = month_ok  # this month (not yet whole) already has a passing meeting
        # Its months hold for an earlier rule and the rebuild has not reached it yet: no
        # status, no verdict (never a wrong one), counted in no total.
        self.recomputing = recomputing
        passing = all(self._checks[m].ok if m in self._checks else False
                      for m in qualification.window(on, rule.months))
        self.status: Status | None = (
            None if recomputing else Status.QUALIFYING if passing
            else Status.LAPSED if qualified_before else Status.FORMING)

    @classmethod
    def being_recomputed(cls, *, rule: Rule, on: datetime.date) -> Standing:
        return cls({}, None, rule=rule, on=on, attendees=0, counted=0, month_ok=False,
                   recomputing=True)

    @cached_property
    def verdict(self) -> Verdict:
        if self.recomputing:
            raise ValueError("a chapter being recomputed has no verdict yet")
        return qualification.verdict_of(self._checks, self._rule, self._on,
                                         self._qualified_before)

    @property
    def at_risk(self) -> bool:
        """Qualifying, but no passing meeting yet this month (next month it would fail). The
        health warnings (dashboard, emails, chapter page) use the fuller rule of
        domain/risk.py, read by verdicts/risks.py."""
        return self.status is Status.QUALIFYING and not self.month_ok


MONTH_FIELDS = ("chapter_id", "month", "rule_key", "zone", "meetings", "best_meeting",
                "best_start", "best_attendees", "best_counted", "best_guests",
                "enough_attendees", "enough_women", "attendees", "counted")
# A view recomputes at most this many chapters from their attendance (those whose stored months
# hold for an earlier rule: right after a change of the rule, every chapter until the rebuild
# task reaches it); the others are shown as being recomputed. A chapter is about a thousand
# attendance rows, so twenty stay well under a second.
RECOMPUTED_INLINE = 20
# Above this many chapters, read the months of every chapter and keep those asked for: one
# query either way, without an IN list of thousands of ids.
CHAPTERS_LISTED = 500


_NONE = MonthCheck(datetime.date.min, 0, None, False, False)


@dataclass
class _Months:
    checks: dict[datetime.date, MonthCheck] = field(default_factory=dict)
    attendees: int = 0
    counted: int = 0
    month_ok: bool = False
    qualified_before: datetime.date | None = None


def _of_ids(queryset: QuerySet[ChapterMonth], ids: list[int]) -> QuerySet[ChapterMonth]:
    return queryset.filter(chapter_id__in=ids) if len(ids) <= CHAPTERS_LISTED else queryset


def chapter_standings(chapters: QuerySet[Chapter] | list[Chapter], *, rule: Rule,
                      on: datetime.date, recompute_at_most: int | None = RECOMPUTED_INLINE
                      ) -> dict[int, Standing]:
    """Each chapter's verdict on `on` and the figures the dashboard adds to it, keyed by id,
    in two queries whatever the number of chapters, meetings and attendance rows (plus, for a
    chapter whose stored months were written under another rule or zone, its attendance: a
    stale result is never shown). At most `recompute_at_most` such chapters are recomputed
    (None: all); the others' standings say they are being recomputed (`recomputing`)."""
    chapters = list(chapters.select_related("place") if isinstance(chapters, QuerySet)
                    else chapters)
    return standings_of_zones({c.pk: c.place.timezone for c in chapters}, rule=rule, on=on,
                              recompute_at_most=recompute_at_most)


def _check_of(row: tuple[Any, ...]) -> MonthCheck:
    """A stored month read as MONTH_FIELDS values, as the rule's MonthCheck (meetings.months.
    month_check for a model row)."""
    best = qualification.MeetingCount(str(row[5]), row[6], row[7], row[8], row[9])
    return MonthCheck(row[1], row[4], best, row[10], row[11])


def standings_of_zones(zones: dict[int, str], *, rule: Rule, on: datetime.date,
                       recompute_at_most: int | None = RECOMPUTED_INLINE
                       ) -> dict[int, Standing]:
    """chapter_standings for chapters given as {id: time zone}."""
    if not zones:
        return {}
    key, current = rule_key(rule), qualification.first_of_month(on)
    window = qualification.window(on, rule.months)
    ids = list(zones)
    months: dict[int, _Months] = {pk: _Months() for pk in ids}
    stale: set[int] = set()
    shown = set(window)
    rows = _of_ids(ChapterMonth.objects.filter(month__in=[*window, current]), ids)
    for row in rows.values_list(*MONTH_FIELDS):
        chapter_id, month = row[0], row[1]
        found = months.get(chapter_id)
        if found is None:
            continue
        if row[2] != key or row[3] != zones[chapter_id]:
            stale.add(chapter_id)
        elif month == current:
            found.month_ok = row[10] and row[11]
        elif month in shown:
            found.checks[month] = _check_of(row)
            found.attendees += row[12]
            found.counted += row[13]
    failing = [pk for pk, m in months.items()
               if pk not in stale and not all(m.checks.get(w, _NONE).ok for w in window)]
    if failing:
        # The last month that completed a run of `months` passing months, per chapter.
        runs = _of_ids(ChapterMonth.objects.filter(month__lt=current, run__gte=rule.months),
                       failing)
        for pk, row_key, zone, last in (runs.values("chapter_id", "rule_key", "zone")
                                        .annotate(last=Max("month")).values_list(
                                            "chapter_id", "rule_key", "zone", "last")):
            if pk not in months:
                continue
            if row_key != key or zone != zones[pk]:
                stale.add(pk)
            else:
                months[pk].qualified_before = last
    inline = sorted(stale)[:recompute_at_most]
    if inline:
        months.update(_recomputed(inline, zones, rule=rule, on=on))
    waiting = stale.difference(inline)
    return {
        pk: Standing.being_recomputed(rule=rule, on=on) if pk in waiting
        else Standing(m.checks, m.qualified_before, rule=rule, on=on, attendees=m.attendees,
                      counted=m.counted, month_ok=m.month_ok)
        for pk, m in months.items()
    }


@dataclass(frozen=True, slots=True)
class Summary:
    """A chapter's standing without its verdict: what the organization's figures count."""

    status: Status | None  # None: being recomputed (Standing.recomputing)
    attendees: int  # over the rule's window (a qualifying chapter's count toward the share)
    counted: int
    at_risk: bool


def chapter_summaries(chapter_ids: list[int], *, rule: Rule, on: datetime.date,
                      recompute_at_most: int | None = RECOMPUTED_INLINE
                      ) -> dict[int, Summary]:
    """The status of each of these chapters on `on` (all founded by then, typically every
    one), computed in the database: per chapter, its passing months in the rule's window and
    their attendance summed, and whether it ever completed a run of passing months. Two
    grouped queries, one small row per chapter, whatever the number of months stored; a
    chapter whose months were stored under another rule or zone is read as
    chapter_standings reads it (from its attendance, at most `recompute_at_most` of them; the
    others' status is None: being recomputed)."""
    key, current = rule_key(rule), qualification.first_of_month(on)
    window = qualification.window(on, rule.months)
    wanted = set(chapter_ids)
    fresh = Q(rule_key=key, zone=F("chapter__place__timezone"))
    ok, shown = Q(enough_attendees=True, enough_women=True), Q(month__in=window)
    months = (ChapterMonth.objects.filter(month__in=[*window, current]).order_by()
              .values("chapter_id").annotate(
                  passing=Count("pk", filter=fresh & ok & shown),
                  attendees=Sum("attendees", filter=fresh & shown),
                  counted=Sum("counted", filter=fresh & shown),
                  month_ok=Count("pk", filter=fresh & ok & Q(month=current)),
                  stale=Count("pk", filter=~fresh))
              .values_list("chapter_id", "passing", "attendees", "counted", "month_ok",
                           "stale"))
    found: dict[int, tuple[int, int, int, int]] = {}
    stale: set[int] = set()
    for pk, passing, attendees, counted, month_ok, bad in months:
        if pk not in wanted:
            continue
        if bad:
            stale.add(pk)
        found[pk] = (passing, attendees or 0, counted or 0, month_ok)
    runs = (ChapterMonth.objects.filter(month__lt=current, run__gte=rule.months).order_by()
            .values("chapter_id").annotate(stale=Count("pk", filter=~fresh))
            .values_list("chapter_id", "stale"))
    qualified_before: set[int] = set()
    for pk, bad in runs:
        if pk in wanted:
            (stale.add if bad else qualified_before.add)(pk)
    summaries = {}
    for pk in wanted - stale:
        passing, attendees, counted, month_ok = found.get(pk, (0, 0, 0, 0))
        status = (Status.QUALIFYING if passing == len(window)
                  else Status.LAPSED if pk in qualified_before else Status.FORMING)
        summaries[pk] = Summary(status, attendees, counted,
                                status is Status.QUALIFYING and not month_ok)
    if stale:
        zones = dict(Chapter.objects.filter(pk__in=sorted(stale))
                     .values_list("pk", "place__timezone"))
        for pk, standing in standings_of_zones(zones, rule=rule, on=on,
                                               recompute_at_most=recompute_at_most).items():
            summaries[pk] = Summary(standing.status, standing.attendees, standing.counted,
                                    standing.at_risk)
    return summaries


def _recomputed(ids: list[int], zones: dict[int, str], *, rule: Rule, on: datetime.date
                ) -> dict[int, _Months]:
    """Chapters whose stored months do not hold for this rule, from their attendance."""
    current = qualification.first_of_month(on)
    shown = set(qualification.window(on, rule.months))
    records = meeting_records(ids)
    found = {}
    for pk in ids:
        results = qualification.month_results(records[pk], rule, ZoneInfo(zones[pk]))
        months = _Months()
        for month, result in results.items():
            if month in shown:
                months.checks[month] = result.check
                months.attendees += result.attendees
                months.counted += result.counted
            elif month == current:
                months.month_ok = result.check.ok
            if month < current and result.run >= rule.months:
                months.qualified_before = max(months.qualified_before or month, month)
        found[pk] = months
    return found


def chapter_verdicts(chapters: QuerySet[Chapter] | list[Chapter], *, rule: Rule,
                     on: datetime.date) -> dict[int, Verdict]:
    """The verdict of each chapter on `on`, keyed by chapter id (chapter_standings, every
    chapter recomputed if need be: a chapter's page, the few chapters near a member)."""
    return {pk: s.verdict for pk, s in chapter_standings(chapters, rule=rule, on=on,
                                                         recompute_at_most=None).items()}


def chapter_verdicts_recomputed(chapters: QuerySet[Chapter] | list[Chapter], *, rule: Rule,
                                on: datetime.date) -> dict[int, Verdict]:
    """The same verdicts computed from every attendance row (for checks and tests)."""
    chapters = list(chapters.select_related("place") if isinstance(chapters, QuerySet)
                    else chapters)
    records = meeting_records([c.pk for c in chapters], until=on)
    return {
        c.pk: qualification.verdict(records[c.pk], rule, on, c.place.zone) for c in chapters
    }


def chapter_qualifies(chapter: Chapter, *, rule: Rule, on: datetime.date) -> bool:
    """Whether the chapter qualifies on `on` (a forming or lapsed chapter does not)."""
    return chapter_verdicts([chapter], rule=rule, on=on)[chapter.pk].status == Status.QUALIFYING


# The chapter pages: a chapter, its meetings and its verdict together -------------------------

RECENT_MEETINGS = 12
UPCOMING_MEETINGS = 6


@dataclass(frozen=True)
class ChapterPage(ChapterPeople):
    """Everything the chapter's page shows (chapters.selectors.ChapterPeople, and:)."""

    chapter: Chapter
    verdict: Verdict
    meetings: list[Meeting]  # the recent ones, newest first, with `attendee_count`
    upcoming: list[Meeting]


def chapter_page(ctx: Context, chapter: Chapter, *, roster_page: int | str = 1) -> ChapterPage:
    """A chapter's page: description, local vision, meetings, verdict, and what the viewer may
    see of its people (chapters.selectors.chapter_people). A constant number of queries."""
    now = ctx.now()
    people = chapter_people(ctx, chapter, roster_page=roster_page)
    past = (chapter.meetings.filter(starts_at__lt=now)
            .annotate(attendee_count=Count("attendances", distinct=True)
                      + Count("guests", distinct=True)).order_by("-starts_at"))
    upcoming = chapter.meetings.filter(starts_at__gte=now).order_by("starts_at")
    return ChapterPage(
        **{f.name: getattr(people, f.name) for f in fields(ChapterPeople)},
        chapter=chapter,
        verdict=chapter_verdicts([chapter], rule=ctx.organization.rule,
                                 on=ctx.organization.today)[chapter.pk],
        meetings=list(past[:RECENT_MEETINGS]),
        upcoming=list(upcoming[:UPCOMING_MEETINGS]),
    )


@dataclass(frozen=True)
class MeetingAttendance:
    """Who came to a meeting: names for the chapter's members; of gender only whether the
    meeting met the share (a count beside names would tell too much)."""

    meeting: Meeting
    attendees: list[str]  # members (as they are named), then guests
    counted: int  # attendees counted toward the share: for `women_figure`, never shown
    guests: int


def meeting_attendance(chapter: Chapter, meeting_id: int, *, rule: Rule) -> MeetingAttendance:
    meeting = get_object_or_404(chapter.meetings, pk=meeting_id)
    attendees = list(meeting.attendances.select_related("member").order_by("member__display_name"))
    guests = list(meeting.guests.all())
    counted = (sum(1 for a in attendees if a.member.gender in rule.counted_genders)
               + sum(1 for g in guests if g.counts_toward_share))
    return MeetingAttendance(
        meeting=meeting,
        attendees=[str(a.member) for a in attendees] + [g.name for g in guests],
        counted=counted,
        guests=len(guests),
    )
