"""The demo's chapters: the letter's eight qualifying ones plus a lapsed and two forming, and
a monthly meeting history for each that the qualification rule is checked against.

Meetings are planned in memory over `Draft` indices, verified with the pure rule, and only then
written (see demo.py), so a plan that would not give the intended verdict fails loudly.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from chapterhouse.chapters.models import Origin
from chapterhouse.core.reasons import explain_english
from chapterhouse.demo.people import Draft, nearby, weighted_sample
from chapterhouse.domain import qualification
from chapterhouse.domain.qualification import Attendee, MeetingRecord, Rule, Status
from chapterhouse.places import gazetteer

NEW_YORK_CITY = 5128581
NYC_BOROUGHS = (5125771, 5110302, 5133273, 5110266, 5139568)  # Manhattan ... Staten Island
RADIUS_KM = 40
FOUNDERS = 5
BASE_MEMBERS = 3443  # roster sizes below are for the letter's membership
THIN_MONTH_CHANCE = 0.08  # a qualifying chapter's off month, before the verdict's window


@dataclass(frozen=True, slots=True)
class ChapterPlan:
    name: str
    home: int  # GeoNames id
    first_month: datetime.date  # the month of the founding meeting
    ramp_months: int  # months as a group of 3-4 before 5+ come regularly
    roster: int  # members at the letter's size of organization
    expected: Status
    weekday: int  # 0 = Monday
    nth: int  # the nth such weekday of each month
    venue: str
    places: tuple[int, ...] = ()  # where members live; default: cities within RADIUS_KM
    home_weight: float = 1.0  # scales the home city's population when placing members
    origin: str = Origin.FOUNDED
    affiliated_from: str = ""
    coordinators: int = 1
    max_attendees: int = 10
    short_months: tuple[datetime.date, ...] = ()  # months whose best meeting had 4


def _month(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, 1)


PLANS: tuple[ChapterPlan, ...] = (
    ChapterPlan("New York City", NEW_YORK_CITY, _month(2012, 3), 6, 300, Status.QUALIFYING,
                weekday=1, nth=2, venue="Public library, meeting room",
                places=(NEW_YORK_CITY, *NYC_BOROUGHS), coordinators=2, max_attendees=14,
                home_weight=0.25),  # most say their borough, so a split has members to take
    ChapterPlan("Vienna", 2761369, _month(2012, 6), 4, 130, Status.QUALIFYING,
                weekday=3, nth=1, venue="Volkshochschule, room 2"),
    ChapterPlan("Missoula", 5666639, _month(2012, 9), 3, 60, Status.QUALIFYING,
                weekday=2, nth=3, venue="Public library, meeting room", max_attendees=8),
    ChapterPlan("London", 2643743, _month(2012, 11), 5, 220, Status.QUALIFYING,
                weekday=0, nth=2, venue="Community centre, upstairs room", coordinators=2,
                max_attendees=12),
    ChapterPlan("Oslo", 3143244, _month(2013, 1), 0, 110, Status.QUALIFYING,
                weekday=3, nth=2, venue="Folkets hus, meeting room",
                origin=Origin.AFFILIATED, affiliated_from="Norwegian anarchist network"),
    ChapterPlan("Brisbane", 2174003, _month(2013, 2), 4, 110, Status.QUALIFYING,
                weekday=2, nth=1, venue="Public library, meeting room"),
    ChapterPlan("Toronto", 6167865, _month(2013, 4), 3, 150, Status.QUALIFYING,
                weekday=1, nth=3, venue="Community centre, room B", coordinators=2),
    ChapterPlan("Melbourne", 2158177, _month(2013, 9), 2, 120, Status.QUALIFYING,
                weekday=3, nth=4, venue="Trades Hall, small room"),
    # Qualified through most of 2013, then December's best meeting had 4: lapsed.
    ChapterPlan("Berlin", 2950159, _month(2012, 10), 5, 140, Status.LAPSED,
                weekday=2, nth=2, venue="Stadtteilzentrum, Raum 3",
                short_months=(_month(2013, 12),)),
    # Still a small group of 3-4: forming.
    ChapterPlan("São Paulo", 3448439, _month(2013, 7), 99, 60, Status.FORMING,
                weekday=1, nth=1, venue="Biblioteca pública, sala de reuniões"),
    ChapterPlan("Istanbul", 745044, _month(2014, 1), 99, 43, Status.FORMING,
                weekday=3, nth=3, venue="Kültür merkezi, toplantı odası"),
)


@dataclass(slots=True)
class PlannedMeeting:
    chapter: int  # index into PLANS
    starts_at: datetime.datetime  # aware, UTC
    venue: str
    attendees: list[int]  # Draft indices


def roster_sizes(members: int) -> list[int]:
    """Rosters shrink for a small demo and stay the same for a large one (more unaffiliated)."""
    scale = min(1.0, members / BASE_MEMBERS)
    return [max(12, round(plan.roster * scale)) for plan in PLANS]


def home_places(plan: ChapterPlan) -> tuple[int, ...]:
    """Where the chapter's members live: the home city first, then its neighbours."""
    if plan.places:
        return plan.places
    others = [c.geonameid for c in nearby(plan.home, RADIUS_KM) if c.geonameid != plan.home]
    return (plan.home, *others)


def meeting_day(plan: ChapterPlan, month: datetime.date) -> datetime.date:
    offset = (plan.weekday - month.weekday()) % 7
    return month + datetime.timedelta(days=offset + 7 * (plan.nth - 1))


def founded_on(plan: ChapterPlan) -> datetime.date:
    return meeting_day(plan, plan.first_month)


def _women_needed(count: int, rule: Rule) -> int:
    share = rule.share
    return -(-count * share.numerator // share.denominator)  # ceiling, exactly


def _choose(rng: random.Random, drafts: Sequence[Draft], pool: list[int], k: int) -> list[int]:
    return weighted_sample(rng, pool, [drafts[i].weight for i in pool], k)


def _with_women(rng: random.Random, drafts: Sequence[Draft], eligible: list[int], target: int,
                rule: Rule) -> list[int]:
    """Up to `target` attendees with enough women for the rule (founders make 5 always possible),
    so that a short month fails on attendance alone."""
    women = [i for i in eligible if drafts[i].gender in rule.counted_genders]
    others = [i for i in eligible if drafts[i].gender not in rule.counted_genders]
    for count in range(target, 0, -1):
        low = max(_women_needed(count, rule), count - len(others))
        high = min(len(women), count)
        if low <= high:
            wanted = min(max(round(count * rng.uniform(0.3, 0.36)), low), high)
            return _choose(rng, drafts, women, wanted) + _choose(rng, drafts, others,
                                                                 count - wanted)
    return []


def plan_meetings(rng: random.Random, *, index: int, plan: ChapterPlan,
                  drafts: Sequence[Draft], roster: list[int], today: datetime.date,
                  rule: Rule) -> list[PlannedMeeting]:
    """A monthly meeting from the founding month up to (not including) `today`."""
    zone = ZoneInfo(gazetteer.city(plan.home).timezone)
    cutoff = datetime.datetime.combine(today, datetime.time.min, tzinfo=datetime.UTC)
    window_start = qualification.window(today, rule.months)[0]
    founders = [i for i in roster if drafts[i].founder]
    meetings = []
    month, number = plan.first_month, 0
    while True:
        day = meeting_day(plan, month)
        local = datetime.datetime.combine(day, datetime.time(19, 0), tzinfo=zone)
        starts_at = local.astimezone(datetime.UTC)
        if day >= today or starts_at >= cutoff:
            break
        eligible = [i for i in roster
                    if drafts[i].willing and drafts[i].chapter_day <= day]
        thin = month in plan.short_months or (
            plan.expected is Status.QUALIFYING and number >= plan.ramp_months
            and month < window_start and rng.random() < THIN_MONTH_CHANCE)
        if number < plan.ramp_months:
            attendees = _choose(rng, drafts, founders, rng.choice((3, 3, 4)))
        elif thin:
            attendees = _with_women(rng, drafts, eligible, rule.min_attendees - 1, rule)
        else:
            top = max(plan.max_attendees, rule.min_attendees)
            attendees = _with_women(rng, drafts, eligible, rng.randint(rule.min_attendees, top),
                                    rule)
        meetings.append(PlannedMeeting(index, starts_at, plan.venue, attendees))
        month, number = qualification.add_months(month, 1), number + 1
    _check(plan, meetings, drafts, today, rule, zone)
    return meetings


def _check(plan: ChapterPlan, meetings: list[PlannedMeeting], drafts: Sequence[Draft],
           today: datetime.date, rule: Rule, zone: ZoneInfo) -> None:
    """The demo must show what it claims: verify the verdict instead of hoping for it."""
    records = [
        MeetingRecord(str(k), m.starts_at,
                      tuple(Attendee(str(i), drafts[i].gender or None) for i in m.attendees))
        for k, m in enumerate(meetings)
    ]
    result = qualification.verdict(records, rule, today, zone)
    if result.status is not plan.expected:
        raise RuntimeError(f"Demo chapter {plan.name} would be {result.status}, not "
                           f"{plan.expected}: {'; '.join(map(explain_english, result.reasons))}")
