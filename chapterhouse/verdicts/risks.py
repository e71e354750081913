"""Health warnings read from the stored months (meetings.ChapterMonth) into the pure rule
(domain/risk.py): which chapters are at risk and why, for any number of chapters in one query
over a few months' rows, never their attendance."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from chapterhouse.chapters.models import Chapter
from chapterhouse.domain import risk as rules
from chapterhouse.domain.qualification import MonthCheck, Rule, first_of_month
from chapterhouse.domain.risk import Risk
from chapterhouse.meetings.models import ChapterMonth
from chapterhouse.meetings.months import rule_key
from chapterhouse.organizations.context import Context
from chapterhouse.verdicts.selectors import MONTH_FIELDS, _check_of, _of_ids

# The moment the dashboard's figures for a date are computed at (as the demo clock's): noon
# UTC, the same calendar day almost everywhere, so figures cached for a date stay true all day.
FIGURES_TIME = datetime.time(12, 0)


def figures_moment(on: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(on, FIGURES_TIME, tzinfo=datetime.UTC)


# A month that met the rule, as far as the warning needs to know (the rule reads only `ok`
# of the months before the current one): one object for every such row.
_PASSED = MonthCheck(datetime.date.min, 1, None, True, True)


def chapter_risks(zones: dict[int, str], *, rule: Rule, now: datetime.datetime, days: int
                  ) -> dict[int, Risk]:
    """The chapters at risk at `now` among these ({id: time zone}), keyed by id. Two queries
    over the stored months: which months before the current one passed (three small columns
    a row), and the current month's rows in full. A chapter whose months were stored under
    another rule or zone (being rebuilt) is never warned about."""
    if not zones:
        return {}
    infos = {zone: ZoneInfo(zone) for zone in set(zones.values())}
    local = {zone: rules.local_today(now, info) for zone, info in infos.items()}
    currents = sorted({first_of_month(today) for today in local.values()})
    months = sorted({m for today in set(local.values()) for m in rules.months_read(today, rule)}
                    - set(currents))
    stored = ChapterMonth.objects.filter(rule_key=rule_key(rule))
    ids = list(zones)
    checks: dict[int, dict[datetime.date, MonthCheck]] = {}
    stale: set[int] = set()
    passed = _of_ids(stored.filter(month__in=months, enough_attendees=True, enough_women=True),
                     ids)
    for pk, month, zone in passed.values_list("chapter_id", "month", "zone"):
        if pk not in zones:
            continue
        if zone != zones[pk]:
            stale.add(pk)
        else:
            checks.setdefault(pk, {})[month] = _PASSED
    wanted = [pk for pk in checks if pk not in stale]
    if not wanted:
        return {}
    for row in _of_ids(stored.filter(month__in=currents), wanted).values_list(*MONTH_FIELDS):
        pk = row[0]
        if pk not in checks:
            continue
        if row[3] != zones[pk]:
            stale.add(pk)
        else:
            checks[pk][row[1]] = _check_of(row)
    return rules.risks(((pk, checks[pk], infos[zones[pk]]) for pk in checks if pk not in stale),
                       rule, now=now, days=days)


def chapter_risk(ctx: Context, chapter: Chapter) -> Risk | None:
    """This chapter's risk now (the organization's clock, the chapter's zone)."""
    organization = ctx.organization
    return chapter_risks({chapter.pk: chapter.place.timezone}, rule=organization.rule,
                         now=ctx.now(), days=organization.at_risk_days).get(chapter.pk)


def risk_visible(ctx: Context, chapter: Chapter) -> bool:
    """Who is warned about a chapter on its page: its coordinators (and staff, who may
    coordinate any chapter) and its organizer."""
    actor = ctx.actor
    if not actor.is_member:
        return False
    if actor.is_staff or actor.coordinates(chapter):
        return True
    organizer = chapter.organizer
    return organizer is not None and organizer.active and organizer.member_id == actor.member.pk


def risk_list_visible(ctx: Context) -> bool:
    """Who sees which chapters are at risk, and why, on the dashboard: staff and organizers
    (they help chapters organization-wide). Visitors and members see the count only: a public
    list would name chapters whose last meeting fell short, and of what."""
    return ctx.actor.is_staff or ctx.actor.is_organizer
