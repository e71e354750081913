"""Verdicts for stored chapters: each chapter's stored month results (meetings.ChapterMonth,
kept by meetings/months.py) read into the pure rule, one row per chapter and month; and the
chapter pages, which show a chapter with its meetings and its verdict."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, fields
from functools import cached_property
from zoneinfo import ZoneInfo

from django.db.models import Count, Max, QuerySet
from django.shortcuts import get_object_or_404

from chapterhouse.chapters.models import Chapter
from chapterhouse.chapters.selectors import (
    ChapterPeople,
    chapter_people,
)
from chapterhouse.domain import qualification
from chapterhouse.domain.qualification import MonthCheck, Rule, Status, Verdict
from chapterhouse.meetings.models import ChapterMonth, Meeting
from chapterhouse.meetings.months import meeting_records, month_check, rule_key
from chapterhouse.organizations.context import Context


class Standing:
    """A chapter on a day, read from its stored months (meetings.ChapterMonth). Its status is
    read from the months' flags; the verdict with its reasons is built when first asked for
    (a page of the dashboard's table, not every chapter)."""

    def __init__(self, checks: dict[datetime.date, MonthCheck], qualified_before:
                 datetime.date | None, *, rule: Rule, on: datetime.date, attendees: int,
                 counted: int, month_ok: bool) -> None:
        self._checks, self._qualified_before = checks, qualified_before
        self._rule, self._on = rule, on
        self.attendees = attendees  # over all the meetings of the rule's window
        self.counted = counted  # of whom counted toward the share
        self.month_ok = month_ok  # this month (not yet whole) already has a passing meeting
        passing = all(self._checks[m].ok if m in self._checks else False
                      for m in qualification.window(on, rule.months))
        self.status = (Status.QUALIFYING if passing
                       else Status.LAPSED if qualified_before else Status.FORMING)

    @cached_property
    def verdict(self) -> Verdict:
        return qualification.verdict_of(self._checks, self._rule, self._on,
                                         self._qualified_before)

    @property
    def at_risk(self) -> bool:
        """Qualifying, but no passing meeting yet this month (next month it would fail)."""
        return self.status is Status.QUALIFYING and not self.month_ok


MONTH_FIELDS = ("chapter_id", "month", "rule_key", "zone", "meetings", "best_meeting",
                "best_start", "best_attendees", "best_counted", "best_guests",
                "enough_attendees", "enough_women", "attendees", "counted")
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
                      on: datetime.date) -> dict[int, Standing]:
    """Each chapter's verdict on `on` and the figures the dashboard adds to it, keyed by id,
    in two queries whatever the number of chapters, meetings and attendance rows (plus, for a
    chapter whose stored months were written under another rule or zone, its attendance: a
    stale result is never shown)."""
    chapters = list(chapters.select_related("place") if isinstance(chapters, QuerySet)
                    else chapters)
    if not chapters:
        return {}
    key, current = rule_key(rule), qualification.first_of_month(on)
    window = qualification.window(on, rule.months)
    zones = {c.pk: c.place.timezone for c in chapters}
    ids = list(zones)
    months: dict[int, _Months] = {pk: _Months() for pk in ids}
    stale: set[int] = set()
    shown = set(window)
    for row in _of_ids(ChapterMonth.objects.filter(month__in=[*window, current]), ids
                       ).only(*MONTH_FIELDS):
        found = months.get(row.chapter_id)
        if found is None:
            continue
        if row.rule_key != key or row.zone != zones[row.chapter_id]:
            stale.add(row.chapter_id)
        elif row.month == current:
            found.month_ok = row.enough_attendees and row.enough_women
        elif row.month in shown:
            found.checks[row.month] = month_check(row)
            found.attendees += row.attendees
            found.counted += row.counted
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
    if stale:
        months.update(_recomputed(sorted(stale), zones, rule=rule, on=on))
    return {
        pk: Standing(m.checks, m.qualified_before, rule=rule, on=on, attendees=m.attendees,
                     counted=m.counted, month_ok=m.month_ok)
        for pk, m in months.items()
    }


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
    """The verdict of each chapter on `on`, keyed by chapter id (chapter_standings)."""
    return {pk: s.verdict for pk, s in chapter_standings(chapters, rule=rule, on=on).items()}


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


def chapter_page(ctx: Context, chapter: Chapter) -> ChapterPage:
    """A chapter's page: description, local vision, meetings, verdict, and what the viewer may
    see of its people (chapters.selectors.chapter_people). A constant number of queries."""
    now = ctx.now()
    people = chapter_people(ctx, chapter)
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
