"""An organization of the size Chapterhouse must serve: `seed_demo --members N --chapters K`.

The letter's demo (seeding.py: its 11 chapters, personas, decisions, calls) is built first with a
part of the members; this module then adds the other members and chapters in bulk (bulk.py):
chapters at the world's most populous cities, each with members living around it, a weekly
meeting since its founding (about 95 over the demo's two years), 2-18 attendees a meeting,
and each chapter's stored month results (meetings.ChapterMonth) computed with the rule itself
(domain.qualification.month_results) from the attendance as generated, so they equal a rebuild.

About 72% of the added chapters qualify on the demo's date, 13% lapsed (a qualifying history,
then small meetings over the last months) and the rest are forming (groups of 2-4). Members:
~35% women, joined over the two years (more of them early), 55% of the added ones on a
chapter's roster. All chance comes from the one `random.Random` given.
"""

from __future__ import annotations

import bisect
import datetime
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.utils.text import slugify

from chapterhouse.chapters.models import Chapter, ChapterMembership, Origin
from chapterhouse.demo import bulk
from chapterhouse.demo.people import FIRST_NAMES, INITIALS, join_date, place_rows
from chapterhouse.domain import qualification
from chapterhouse.domain.distance import great_circle_km
from chapterhouse.domain.qualification import Attendee, MeetingRecord, Rule
from chapterhouse.meetings.models import Attendance, ChapterMonth, Meeting
from chapterhouse.meetings.months import month_row, rule_key
from chapterhouse.members.models import Member, recorded_on
from chapterhouse.places import gazetteer
from chapterhouse.places.models import Place

MIN_MEMBERS = 1000  # the letter's part needs a few hundred members for its 90 countries
MEMBERS_PER_CHAPTER = 5  # at most one chapter per 5 members
BASE_MEMBERS = 3443  # the letter's membership, the most the letter's part takes
LETTER_CHAPTERS = 11  # demo/chapters.py PLANS
RADIUS_KM = 40
AFFILIATED_SHARE = 0.55  # of the added members, on an added chapter's roster
GENDERS: tuple[str, ...] = ("woman", "man", "nonbinary", "other", "")
GENDER_WEIGHTS: tuple[float, ...] = (35, 53, 3, 2, 7)
WOMAN = 0
QUALIFYING, LAPSED, FORMING = "qualifying", "lapsed", "forming"
STATUS_SHARES = ((QUALIFYING, 0.72), (LAPSED, 0.13), (FORMING, 0.15))
FOUNDERS = 5
SMALLEST_QUALIFYING = 12  # a smaller roster is a forming group
MIN_ATTENDEES, MAX_ATTENDEES = 5, 18
THIN_CHANCE = 0.06  # a qualifying chapter's meeting of 4
EARLY_FOUNDING_DAYS = 45  # qualifying and lapsed chapters were founded in the first weeks
VENUES = ("Public library, meeting room", "Community centre, small hall",
          "Neighbourhood house, room 1", "Union hall, back room", "Café, upstairs room")
START = datetime.time(19, 0)
EMAIL_DOMAIN = "members.demo.example.org"

Progress = Callable[[int, int], None]


def shape_problem(members: int, chapters: int) -> str | None:
    """Why `--members N --chapters K` cannot be built, or None."""
    if members < MIN_MEMBERS:
        return f"--members must be at least {MIN_MEMBERS:,} with --chapters (got {members:,})."
    if chapters < LETTER_CHAPTERS:
        return (f"--chapters must be at least {LETTER_CHAPTERS} (the letter's chapters are "
                f"part of it; got {chapters:,}).")
    if chapters > members // MEMBERS_PER_CHAPTER:
        return (f"--chapters must be at most --members / {MEMBERS_PER_CHAPTER} "
                f"({members // MEMBERS_PER_CHAPTER:,} for {members:,} members; got "
                f"{chapters:,}).")
    return None


def letter_members(members: int) -> int:
    """How many of the members the letter's part takes (the rest are added here)."""
    return min(BASE_MEMBERS, members // 2)


@dataclass(slots=True)
class Added:
    members: int = 0
    chapters: int = 0
    meetings: int = 0
    attendance: int = 0
    months: int = 0
    unaffiliated: int = 0
    countries: set[str] = field(default_factory=set)
    statuses: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class _Chapter:
    pk: int
    city: gazetteer.GazetteerCity
    status: str
    founded_on: datetime.date
    roster: list[int]  # indices into the added members


@cache
def _by_population() -> tuple[gazetteer.GazetteerCity, ...]:
    return tuple(sorted(gazetteer.cities().values(), key=lambda c: (-c.population, c.geonameid)))


@cache
def _population_cumulative() -> tuple[float, ...]:
    total, result = 0.0, []
    for city in _by_population():
        total += max(city.population, 1)
        result.append(total)
    return tuple(result)


@cache
def _first_language(country_code: str) -> str:
    codes = [c for c in gazetteer.countries()[country_code].get("languages", "").split(",") if c]
    return codes[0][:2].lower() if codes else "en"


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _neighbours(homes: Sequence[gazetteer.GazetteerCity]) -> list[list[int]]:
    """For each home, the same-country cities within RADIUS_KM (home first), by a grid of
    half-degree cells rather than comparing every pair of cities."""
    grid: dict[tuple[int, int], list[gazetteer.GazetteerCity]] = {}
    for city in _by_population():
        grid.setdefault((math.floor(city.latitude * 2), math.floor(city.longitude * 2)),
                        []).append(city)
    result = []
    for home in homes:
        row, col = math.floor(home.latitude * 2), math.floor(home.longitude * 2)
        around = [home.geonameid]
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                for city in grid.get((row + dr, col + dc), ()):
                    if (city.geonameid != home.geonameid
                            and city.country_code == home.country_code
                            and great_circle_km(home.latitude, home.longitude, city.latitude,
                                                city.longitude) <= RADIUS_KM):
                        around.append(city.geonameid)
        result.append(around)
    return result


def _roster_sizes(rng: random.Random, homes: Sequence[gazetteer.GazetteerCity],
                  members: int) -> list[int]:
    """Bigger cities have bigger chapters (population ** 0.3), at least 3 members each."""
    least = min(3, members // max(len(homes), 1))
    weights = [max(c.population, 1) ** 0.3 * rng.uniform(0.6, 1.4) for c in homes]
    pool = max(0, int(members * AFFILIATED_SHARE) - least * len(homes))
    total = sum(weights) or 1.0
    return [least + int(pool * w / total) for w in weights]


def add_chapters(rng: random.Random, *, members: int, chapters: int, rule: Rule,
                 today: datetime.date, founded: datetime.date,
                 progress: Progress | None = None) -> Added:
    """Add `members` members and `chapters` chapters (with meetings, attendance and stored
    months) to the database; run inside seed_demo's transaction, after the letter's part."""
    through = Chapter.coordinators.through
    with bulk.loading([Member, ChapterMembership, through, Meeting, Attendance, ChapterMonth]):
        return _add(rng, members=members, chapters=chapters, rule=rule, today=today,
                    founded=founded, progress=progress)


def _add(rng: random.Random, *, members: int, chapters: int, rule: Rule,
         today: datetime.date, founded: datetime.date, progress: Progress | None) -> Added:
    report = progress or (lambda done, total: None)
    added = Added()
    last_day = today - datetime.timedelta(days=1)
    taken = set(Chapter.objects.values_list("place_id", flat=True))
    slugs = set(Chapter.objects.values_list("slug", flat=True))
    homes = [c for c in _by_population() if c.geonameid not in taken][:chapters]
    around = _neighbours(homes)
    sizes = _roster_sizes(rng, homes, members)
    expected_meetings = chapters * 100
    total_work = members + expected_meetings
    # The members: each added chapter's roster (founders first), then the unaffiliated.
    place: list[int] = []
    gender: list[int] = []
    joined: list[datetime.date] = []
    willing: list[bool] = []
    chapter_day: list[datetime.date | None] = []
    planned: list[_Chapter] = []
    first_chapter = bulk.next_id(Chapter)
    window_start = qualification.window(today, rule.months)[0]
    for index, (home, size) in enumerate(zip(homes, sizes, strict=True)):
        draw = rng.random()
        status = next((s for s, share in _cumulative(STATUS_SHARES) if draw < share), FORMING)
        if size < SMALLEST_QUALIFYING:
            status = FORMING
        if status == FORMING:
            latest = max((last_day - founded).days - 28, 1)
            founded_on = founded + datetime.timedelta(days=rng.randint(0, latest))
        else:
            founded_on = founded + datetime.timedelta(days=rng.randint(7, EARLY_FOUNDING_DAYS))
        roster = list(range(len(place), len(place) + size))
        neighbours = around[index]
        for k in range(size):
            place.append(neighbours[0] if rng.random() < 0.6 or len(neighbours) == 1
                         else rng.choice(neighbours[1:]))
            if k < FOUNDERS:
                gender.append(WOMAN if k < 2 else rng.choices(range(5), GENDER_WEIGHTS)[0])
                joined.append(join_date(rng, founded, founded_on, 1.0))
                willing.append(True)
                chapter_day.append(founded_on)
            else:
                gender.append(rng.choices(range(5), GENDER_WEIGHTS)[0])
                day = join_date(rng, founded, last_day)
                joined.append(day)
                willing.append(rng.random() < 0.85)
                delay = datetime.timedelta(days=rng.randint(0, 60))
                chapter_day.append(min(max(day, founded_on) + delay, last_day))
        planned.append(_Chapter(first_chapter + index, home, status, founded_on, roster))
    rest = members - len(place)
    added.unaffiliated = rest
    for city in rng.choices(_by_population(), cum_weights=_population_cumulative(), k=rest):
        place.append(city.geonameid)
        gender.append(rng.choices(range(5), GENDER_WEIGHTS)[0])
        joined.append(join_date(rng, founded, last_day))
        willing.append(rng.random() < 1 / 3)
        chapter_day.append(None)

    stored = set(Place.objects.values_list("pk", flat=True))
    missing = set(place) - stored
    Place.objects.bulk_create(place_rows(missing), batch_size=2000)
    added.countries = {gazetteer.city(p).country_code for p in set(place)}

    bulk.write(Chapter, ["id", "name", "slug", "place_id", "radius_km", "origin",
                         "description", "founded_on"],
               (_chapter_row(c, slugs, rng) for c in planned))
    added.chapters = len(planned)

    first_member = bulk.next_id(Member)
    unusable = make_password(None)
    with bulk.Writer(Member, ["id", "password", "email", "display_name", "place_id",
                              "languages", "gender", "willing_to_meet", "joined_on",
                              "created_at"]) as writer:
        for i in range(members):
            pk = first_member + i
            code = GENDERS[gender[i]]
            city = gazetteer.city(place[i])
            first = _first_language(city.country_code)
            languages = [first, "en"] if first != "en" and rng.random() < 0.4 else [first]
            name = f"{rng.choice(FIRST_NAMES.get(code, FIRST_NAMES['']))} {rng.choice(INITIALS)}."
            writer.add((pk, unusable, f"m{i + 1}@{EMAIL_DOMAIN}", name, place[i], languages, code,
                        willing[i], joined[i], recorded_on(joined[i])))
            if i % 50_000 == 0:
                report(i, total_work)
    added.members = members
    report(members, total_work)

    through = Chapter.coordinators.through
    first_membership = bulk.next_id(ChapterMembership)
    bulk.write(ChapterMembership, ["id", "chapter_id", "member_id", "joined_on", "created_at"],
               ((first_membership + n, c.pk, first_member + i, chapter_day[i],
                 recorded_on(chapter_day[i]))  # type: ignore[arg-type]
                for n, (c, i) in enumerate((c, i) for c in planned for i in c.roster)))
    first_coordinator = bulk.next_id(through)
    coordinators = [(c.pk, first_member + i) for c in planned
                    for i in c.roster[:rng.choice((1, 1, 2))]]
    bulk.write_integers(through, ["id", "chapter_id", "member_id"],
               ((first_coordinator + n, *row) for n, row in enumerate(coordinators)))

    # Meetings and attendance, generated chapter by chapter; the stored months computed from
    # the same attendance as it is generated (ids decided here, so they are known).
    key = rule_key(rule)
    meeting_rows: list[tuple[int, int, datetime.datetime, str, str]] = []
    attendance_rows: list[tuple[int, int]] = []
    month_rows: list[ChapterMonth] = []
    next_meeting = bulk.next_id(Meeting)
    cutoff = datetime.datetime.combine(today, datetime.time.min, tzinfo=datetime.UTC)
    for c in planned:
        zone = _zone(c.city.timezone)
        venue = rng.choice(VENUES)
        records, next_meeting = _meetings(
            rng, c, gender=gender, willing=willing, chapter_day=chapter_day,
            first_member=first_member, first_id=next_meeting, zone=zone, cutoff=cutoff,
            window_start=window_start, rule=rule)
        for record in records:
            meeting_id = int(record.meeting)
            meeting_rows.append((meeting_id, c.pk, record.start, venue, "Weekly meeting"))
            attendance_rows.extend((meeting_id, int(a.member)) for a in record.attendees)
        month_rows.extend(month_row(c.pk, result, key=key, zone=c.city.timezone)
                          for result in qualification.month_results(records, rule, zone).values())
        added.statuses[c.status] = added.statuses.get(c.status, 0) + 1
        if c.pk % 100 == 0:
            report(members + min(len(meeting_rows), expected_meetings), total_work)
    added.meetings = bulk.write(Meeting, ["id", "chapter_id", "starts_at", "venue", "title"],
                                meeting_rows)
    del meeting_rows
    first_attendance = bulk.next_id(Attendance)
    added.attendance = bulk.write_integers(
        Attendance, ["id", "meeting_id", "member_id"],
        ((first_attendance + n, m, p) for n, (m, p) in enumerate(attendance_rows)))
    del attendance_rows
    first_month = bulk.next_id(ChapterMonth)
    columns = [f.attname for f in ChapterMonth._meta.concrete_fields]
    added.months = bulk.write(ChapterMonth, columns, (
        (first_month + n, *(getattr(row, name) for name in columns[1:]))
        for n, row in enumerate(month_rows)))
    bulk.ids_written(Chapter, Member, ChapterMembership, through, Meeting, Attendance,
                     ChapterMonth)
    report(total_work, total_work)
    return added


def _cumulative(shares: Sequence[tuple[str, float]]) -> list[tuple[str, float]]:
    total, result = 0.0, []
    for status, share in shares:
        total += share
        result.append((status, total))
    return result


def _chapter_row(c: _Chapter, slugs: set[str], rng: random.Random) -> tuple[object, ...]:
    name = c.city.name
    slug = slugify(name)[:180] or "chapter"
    if slug in slugs:  # a second Springfield: name the country, then the place's id
        name = f"{c.city.name} ({c.city.country_name})"
        slug = slugify(name)[:180] or "chapter"
        if slug in slugs:
            slug = f"{slug}-{c.city.geonameid}"
    slugs.add(slug)
    return (c.pk, name, slug, c.city.geonameid, RADIUS_KM, Origin.FOUNDED,
            f"Meets weekly: {rng.choice(VENUES)}.", c.founded_on)


def _meetings(rng: random.Random, c: _Chapter, *, gender: list[int], willing: list[bool],
              chapter_day: list[datetime.date | None], first_member: int, first_id: int,
              zone: ZoneInfo, cutoff: datetime.datetime, window_start: datetime.date,
              rule: Rule) -> tuple[list[MeetingRecord], int]:
    """A weekly meeting from the founding day up to the demo's date, as the rule's records
    (member ids as the database will hold them); the next free meeting id."""
    founders = c.roster[:FOUNDERS]
    others = sorted((i for i in c.roster[FOUNDERS:] if willing[i]),
                    key=lambda i: chapter_day[i])  # type: ignore[arg-type, return-value]
    days = [chapter_day[i] for i in others]
    ramp = datetime.timedelta(weeks=rng.randint(2, 10))
    lapse_from = qualification.add_months(window_start, rng.randint(0, rule.months - 1))
    records: list[MeetingRecord] = []
    day, pk = c.founded_on, first_id
    while True:
        starts_at = datetime.datetime.combine(day, START, tzinfo=zone).astimezone(datetime.UTC)
        if starts_at >= cutoff:
            break
        ready = bisect.bisect_right(days, day)  # type: ignore[type-var]
        eligible = founders + others[:ready]
        small = (c.status == FORMING or day < c.founded_on + ramp
                 or (c.status == LAPSED and day >= lapse_from))
        if small:
            chosen = rng.sample(eligible, min(len(eligible), rng.randint(2, 4)))
        else:
            count = 4 if rng.random() < THIN_CHANCE else rng.randint(MIN_ATTENDEES,
                                                                    MAX_ATTENDEES)
            women = [i for i in eligible if gender[i] == WOMAN]
            men = [i for i in eligible if gender[i] != WOMAN]
            want = max(math.ceil(count * 0.3), round(count * rng.uniform(0.3, 0.45)))
            w = min(want, len(women))
            chosen = rng.sample(women, w) + rng.sample(men, min(count - w, len(men)))
        records.append(MeetingRecord(str(pk), starts_at, tuple(
            Attendee(str(first_member + i), GENDERS[gender[i]] or None) for i in chosen)))
        pk += 1
        day += datetime.timedelta(weeks=1)
    return records, pk
