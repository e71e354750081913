"""The planner's reads: what the planner page shows, from the latest runs and a few queries
(place names for the candidates, organizer names, sympathetic organizations near clusters of
unaffiliated members, the attendance rate), all as of the organization's today."""

from __future__ import annotations

import dataclasses
import datetime
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.core.cache import cache
from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from chapterhouse.chapters.models import Chapter, ChapterMembership
from chapterhouse.chapters.selectors import members_unaffiliated
from chapterhouse.domain.disclosure import women_figure
from chapterhouse.domain.qualification import Rule
from chapterhouse.domain.reasons import Reason
from chapterhouse.meetings.models import Attendance, Meeting
from chapterhouse.members.models import Member
from chapterhouse.organizations.context import Context
from chapterhouse.organizing.models import Affiliation, Organizer, SympatheticOrganization
from chapterhouse.places.countries import country_name
from chapterhouse.planner.models import PlanCandidate, PlanRun, RunStatus
from chapterhouse.planning.geo import FloatArray, km_between, unit_vectors
from chapterhouse.planning.rule import suggested_size
from chapterhouse.planning.splits import reason_shown

DEFAULT_RADIUS_KM = 25.0  # the form's radius before any run


@dataclass(frozen=True)
class CandidateRow:
    index: int
    place: str
    lat: float
    lon: float
    size: int
    women: int
    max_travel_km: float
    organizer: str | None
    organizer_km: float | None
    starts: str | None
    start_by: str | None
    counts_by_deadline: bool | None
    accepted: str | None  # slug of the chapter made from it
    unassigned: Reason | None  # why no organizer takes it on
    country: str = ""  # its country's name
    organizer_id: int | None = None  # the matched organizer (Organizer's id)
    organizer_member_id: int | None = None  # and their member id
    growth_of: tuple[str, str] | None = None  # (name, slug) of the chapter whose area covers it

    @property
    def women_share(self) -> float:
        return self.women / self.size if self.size else 0.0

    @property
    def out_of_reach(self) -> bool:
        """No organizer reaches it (rather than: none has time before the start-by date)."""
        return self.unassigned is not None and (
            self.unassigned.code == "planner.unreached.out_of_reach")


@dataclass(frozen=True)
class RecruitRow:
    places: list[str]  # the candidates a new organizer there would take on
    chapters: int


NAME_BATCH = 20_000  # member ids per query when naming candidates (a million in all at scale)


def candidates_name(candidates: list[dict[str, Any]]) -> None:
    """Give each candidate chapter ("place") its members' most common city, and that city's
    country, once, when the run finishes, rather than on every view of the page."""
    member_ids = sorted({int(i) for c in candidates for i in c["members"]})
    place_of: dict[int, tuple[str | None, str, str]] = {}
    for start in range(0, len(member_ids), NAME_BATCH):
        for pk, name, code, country in Member.objects.filter(
                pk__in=member_ids[start:start + NAME_BATCH]).values_list(
                "pk", "place__name", "place__country_code", "place__country_name"):
            place_of[pk] = (name, code or "", country or "")
    for c in candidates:
        places = Counter(place_of.get(int(i), (None, "", "")) for i in c["members"])
        name, code, country = places.most_common(1)[0][0]
        c["place"] = name or "?"
        c["country"], c["country_name"] = code, country


@dataclass(frozen=True)
class NearbyGroup:
    organization: SympatheticOrganization
    unaffiliated_nearby: int
    candidates_nearby: int


def _reason(stored: Any) -> Reason:
    """A stored reason (its JSON; plain text only if written before the codes)."""
    if isinstance(stored, str):
        return Reason("planner.legacy", {"text": stored})
    return Reason.from_json(stored)


def packed(rows: Any, columns: int) -> bytes:
    """Rows of floats packed as float64 (a run's centres and unaffiliated cities)."""
    return np.asarray(rows, dtype=np.float64).reshape(-1, columns).tobytes()


def unpacked(data: bytes | memoryview | None, columns: int) -> FloatArray:
    return np.frombuffer(bytes(data or b""), dtype=np.float64).reshape(-1, columns)


def nearby_groups(centres: FloatArray, unaffiliated: FloatArray,
                  radius_km: float) -> list[NearbyGroup]:
    """Sympathetic organizations still to affiliate, with the unaffiliated members and
    candidate chapters within the travel radius of each: the ones near clusters come first.

    `centres` has one row per candidate (latitude, longitude, ...), `unaffiliated` one per
    city: latitude, longitude, members there."""
    open_statuses = [Affiliation.IDENTIFIED, Affiliation.CONTACTED, Affiliation.TALKING]
    groups = list(SympatheticOrganization.objects.filter(status__in=open_statuses)
                  .select_related("place"))
    member_xyz = unit_vectors(unaffiliated[:, 0], unaffiliated[:, 1])
    centre_xyz = unit_vectors(centres[:, 0], centres[:, 1])
    rows: list[NearbyGroup] = []
    for group in groups:
        here = unit_vectors(group.place.latitude, group.place.longitude)
        within = km_between(here, member_xyz) <= radius_km
        near = int(unaffiliated[within, 2].sum())
        cands = int((km_between(here, centre_xyz) <= radius_km).sum())
        rows.append(NearbyGroup(group, near, cands))
    return sorted(rows, key=lambda r: (-r.unaffiliated_nearby, r.organization.name))


@dataclass(frozen=True)
class AttendanceRate:
    members: int  # chapter members on the day
    came: int  # of them, attended at least once in the months looked at
    months: int
    attendees: int = 5  # the rule's minimum at a meeting

    @property
    def rate(self) -> float | None:
        return self.came / self.members if self.members else None

    @property
    def suggested_size(self) -> int | None:
        return suggested_size(self.rate, self.attendees) if self.rate else None


def attendance_rate(on: datetime.date, months: int = 3, attendees: int = 5) -> AttendanceRate:
    """The share of chapter members who came to a meeting in the last `months` months: to
    expect `attendees` at a meeting, a new group needs about attendees / rate members."""
    since = datetime.datetime.combine(on - datetime.timedelta(days=int(months * 30.44)),
                                      datetime.time.min, tzinfo=datetime.UTC)
    until = datetime.datetime.combine(on, datetime.time.min, tzinfo=datetime.UTC)
    meetings = Meeting.objects.held().filter(starts_at__gte=since, starts_at__lt=until)
    chapters = Chapter.objects.filter(pk__in=meetings.values("chapter_id"))
    roster = ChapterMembership.objects.current(on).filter(chapter__in=chapters)
    came = (Attendance.objects.filter(meeting__in=meetings,
                                      member_id__in=roster.values("member_id"))
            .values("member_id").distinct().count())
    return AttendanceRate(members=roster.values("member_id").distinct().count(), came=came,
                          months=months, attendees=attendees)


RATE_CACHE_SECONDS = 24 * 3600  # the rate moves with months of attendance: a day old is fine


def attendance_rate_key(on: datetime.date, months: int, attendees: int) -> str:
    return f"planner:attendance-rate:{on.isoformat()}:{months}:{attendees}"


def attendance_rate_known(on: datetime.date, months: int, attendees: int) -> AttendanceRate | None:
    """The rate as last computed for this day and rule, or None until the background task
    (planner.services.attendance_rate_work) has computed it: at ten million attendance rows
    it reads seconds' worth, which no page view should pay."""
    stored = cache.get(attendance_rate_key(on, months, attendees))
    return AttendanceRate(**stored) if isinstance(stored, dict) else None


def plan_run_latest() -> PlanRun | None:
    return PlanRun.objects.defer(*HEAVY).order_by("-created_at").first()


def plan_runs_done() -> QuerySet[PlanRun]:
    return PlanRun.objects.filter(status=RunStatus.DONE).defer(*HEAVY)


def plan_candidate(run: PlanRun, index: int) -> PlanCandidate | None:
    """Candidate `index` of a finished run, or None if it has no such candidate."""
    return PlanCandidate.objects.filter(run=run, index=index).defer("members").first()


def unaffiliated_by_city(on: datetime.date) -> list[tuple[float, float, int]]:
    """Active members without a chapter on `on`, counted by city: latitude, longitude, count."""
    rows = (members_unaffiliated(Member.objects.filter(is_active=True, place__isnull=False), on)
            .values("place__latitude", "place__longitude")
            .annotate(n=Count("pk")).order_by())
    return [(r["place__latitude"], r["place__longitude"], r["n"]) for r in rows]


UNAFFILIATED_CACHE_SECONDS = 600


def unaffiliated_by_city_cached(on: datetime.date) -> FloatArray:
    """unaffiliated_by_city for the map before any plan, at most once in ten minutes (a scan
    of every member: 0.7 s at a million). A finished plan carries its own (PlanRun.unaffiliated)."""
    key = f"planner:unaffiliated:{on.isoformat()}"
    stored = cache.get(key)
    if isinstance(stored, bytes):
        return unpacked(stored, 3)
    data = packed(unaffiliated_by_city(on), 3)
    cache.set(key, data, UNAFFILIATED_CACHE_SECONDS)
    return unpacked(data, 3)


# A run's fields the page never reads: the full result, and the packed arrays (read only by
# what needs them).
HEAVY = ("result", "centres", "unaffiliated")

PAGE_SIZE = 25  # rows a page: each costs a few milliseconds to render
SORTS = {  # the candidates table's orders: by number, by size either way, by place or country
    "index": ("index",),
    "-size": ("-size", "index"),
    "size": ("size", "index"),
    "place": ("place", "index"),
    "country": ("country_name", "-size", "index"),
}
ORGANIZER_FILTERS = ("", "assigned", "none")


@dataclass(frozen=True)
class CandidateFilter:
    """What a coordinator asked of the candidates table (parsed and bounded by the view)."""

    country: str = ""  # a country code, or "" for all
    min_size: int = 0
    organizer: str = ""  # "", "assigned" or "none"
    sort: str = "index"
    page: int = 1


@dataclass(frozen=True)
class CandidatesPage:
    rows: list[CandidateRow]
    number: int  # this page, from 1
    pages: int
    count: int  # candidates that pass the filter
    members: int  # their members, in all
    first: int  # the first row's position among them, from 1 (0 if none)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0


def plan_candidates(run: PlanRun, chosen: CandidateFilter) -> QuerySet[PlanCandidate]:
    candidates = PlanCandidate.objects.filter(run=run)
    if chosen.country:
        candidates = candidates.filter(country=chosen.country)
    if chosen.min_size:
        candidates = candidates.filter(size__gte=chosen.min_size)
    if chosen.organizer == "assigned":
        candidates = candidates.filter(organizer_km__isnull=False)
    elif chosen.organizer == "none":
        candidates = candidates.filter(organizer_km__isnull=True)
    return candidates


def plan_candidates_page(run: PlanRun, chosen: CandidateFilter) -> CandidatesPage:
    """One page of a run's candidates, filtered and sorted: one query whatever the plan's size
    (the page's rows with their organizers' names), and one for the totals of a filter by size
    or organizer (the whole list's and each country's were counted when the run was stored)."""
    candidates = plan_candidates(run, chosen)
    page = run.page or {}
    summary = page.get("summary", {})
    country = [c for c in page.get("countries", []) if c[0] == chosen.country]
    if chosen.min_size or chosen.organizer or (chosen.country and not country) or (
            "new_chapters" not in summary):
        totals = candidates.aggregate(count=Count("pk"), members=Sum("size"))
    elif chosen.country:  # one country's totals were counted when the run was stored
        totals = {"count": country[0][2], "members": country[0][3]}
    else:  # the whole list: the run's summary has its totals (no scan of 50,000 rows)
        totals = {"count": summary["new_chapters"], "members": summary["members_placed"]}
    count = totals["count"] or 0
    pages = max(1, -(-count // PAGE_SIZE))
    number = min(max(1, chosen.page), pages)
    offset = (number - 1) * PAGE_SIZE
    rows = [_row(c) for c in candidates.select_related("organizer__member").defer("members")
            .order_by(*SORTS.get(chosen.sort, SORTS["index"]))[offset:offset + PAGE_SIZE]]
    rows = growth_marked(rows)
    return CandidatesPage(rows=rows, number=number, pages=pages, count=count,
                          members=totals["members"] or 0, first=offset + 1 if rows else 0)


def chapter_areas() -> tuple[list[tuple[str, str]], FloatArray, FloatArray]:
    """Every chapter's (name, slug), home as unit vectors, and radius: one query of small
    rows."""
    every = list(Chapter.objects.values_list("name", "slug", "place__latitude",
                                             "place__longitude", "radius_km"))
    if not every:
        return [], np.zeros((0, 3)), np.zeros(0)
    names = [(name, slug) for name, slug, *_rest in every]
    homes = unit_vectors([r[2] for r in every], [r[3] for r in every])
    return names, homes, np.asarray([r[4] for r in every], dtype=np.float64)


def growth_marked(rows: list[CandidateRow]) -> list[CandidateRow]:
    """The rows whose centre lies inside an existing chapter's area, marked as that (nearest)
    chapter's growth: a new chapter there would be its rival (issue 13). Not for a candidate
    already started (its own chapter covers it)."""
    open_rows = [r for r in rows if not r.accepted]
    if not open_rows:
        return rows
    names, homes, radii = chapter_areas()
    if not names:
        return rows
    centres = unit_vectors([r.lat for r in open_rows], [r.lon for r in open_rows])
    km = km_between(centres[:, None, :], homes[None, :, :])  # rows x chapters
    inside = np.where(km <= radii[None, :], km, np.inf)
    nearest = inside.argmin(axis=1)
    growth = {r.index: names[int(j)] for r, j, row_km in zip(open_rows, nearest, inside,
                                                             strict=True)
              if np.isfinite(row_km[j])}
    return [dataclasses.replace(r, growth_of=growth[r.index]) if r.index in growth else r
            for r in rows]


def _row(c: PlanCandidate) -> CandidateRow:
    organizer = c.organizer.member.display_name if c.organizer else None
    return CandidateRow(
        organizer_id=c.organizer_id if c.organizer_km is not None else None,
        organizer_member_id=c.organizer.member_id if c.organizer and c.organizer_km is not None
        else None,
        index=c.index, place=c.place, lat=c.lat, lon=c.lon, size=c.size, women=c.women,
        max_travel_km=c.max_travel_km,
        organizer=organizer if c.organizer_km is not None else None,
        organizer_km=c.organizer_km,
        starts=c.starts.isoformat() if c.starts else None,
        start_by=c.start_by.isoformat() if c.start_by else None,
        counts_by_deadline=c.counts_by_deadline, accepted=c.accepted or None,
        unassigned=_reason(c.unassigned) if c.unassigned is not None else None,
        country=country_name(c.country, c.country_name))


DOWNLOAD_FIELDS = ("index", "place", "country_name", "lat", "lon", "size", "women",
                   "max_travel_km", "organizer__member__display_name", "organizer_km", "starts",
                   "start_by", "counts_by_deadline", "accepted")


def split_shown(split: dict[str, Any], rule: Rule) -> dict[str, Any]:
    """A split as the page and the downloads may show it: the chapter, whether it works, its
    reasons, and for each part its name, centre, size and validity, with its women only as
    `women_figure` allows (None for a group too small, or all or none women). Never its
    members' ids nor its unplaced members, nor the women within a part's reach.

    Applied when a run is stored and again when the page or a download reads it (idempotent):
    runs stored before this, or by a worker still on older code, are read safely too, and a
    stricter rule since the run applies at once."""
    parts = []
    for part in split.get("parts", []):
        size, women = int(part["size"]), part.get("women")
        count = None if women is None else women_figure(
            size, int(women), minimum=rule.min_attendees, required_share=rule.share).count
        parts.append({"name": part["name"], "center": part["center"], "size": size,
                      "valid": part["valid"], "women": count})
    return {"chapter": split["chapter"], "works": split.get("works", False), "parts": parts,
            "reasons": [reason_shown(r, minimum=rule.min_attendees) if isinstance(r, dict) else r
                        for r in split.get("reasons", [])]}


def plan_recruits_all(run: PlanRun) -> list[dict[str, Any]] | None:
    """Every recruit group of a run (the page keeps only the first RECRUITS_SHOWN), named by
    its candidates' places; None if the run's result has none stored. Two queries: the
    result's `recruits` key alone (not the whole result, megabytes at scale) and the places."""
    recruits = PlanRun.objects.filter(pk=run.pk).values_list("result__recruits", flat=True).get()
    if not isinstance(recruits, list):
        return None
    wanted = {i for r in recruits for i in r["candidates"]}
    places = {index: place for index, place in PlanCandidate.objects.filter(run=run)
              .values_list("index", "place").iterator(chunk_size=5000) if index in wanted}
    return [{"places": [places.get(i, "") for i in r["candidates"]], "chapters": r["chapters"]}
            for r in recruits]


def plan_candidates_all(run: PlanRun) -> Iterator[tuple[Any, ...]]:
    """Every candidate of a run, in order, as DOWNLOAD_FIELDS, a few thousand rows at a time
    (the downloads: plain tuples, as a model instance a row costs ten times the time)."""
    candidates = PlanCandidate.objects.filter(run=run).order_by("index")
    return candidates.values_list(*DOWNLOAD_FIELDS).iterator(chunk_size=5000)


@dataclass(frozen=True)
class PlannerOverview:
    """Everything the planner page shows."""

    latest: PlanRun | None  # the newest run, whatever its state
    run: PlanRun | None  # the run shown: the newest finished one
    stalled: bool  # the newest run is past its lease: no worker has it (docs/tasks.md)
    running: bool  # the newest run is queued or running, with a live lease
    radius_km: float
    min_size: int
    candidates: CandidatesPage | None
    splits: list[dict[str, Any]]  # the run's splits, each with the chapter's `name`
    recruits: list[RecruitRow]  # the first RECRUITS_SHOWN
    recruits_more: int  # how many more there are
    rate: AttendanceRate | None
    groups: list[NearbyGroup]
    countries: list[tuple[str, str, int, int]]  # code, name, candidates, members (most first)

    @property
    def page(self) -> dict[str, Any] | None:
        return self.run.page if self.run else None

    @property
    def summary(self) -> dict[str, Any] | None:
        page = self.page
        return page["summary"] if page else None

    @property
    def rows(self) -> list[CandidateRow]:
        return self.candidates.rows if self.candidates else []


def planner_overview(ctx: Context, chosen: CandidateFilter | None = None) -> PlannerOverview:
    """The planner page as of the organization's today: the newest run's state and the newest
    finished plan, with what the page shows beside it. A bounded number of queries and rows
    whatever the plan's size: the run's page summary, one page of candidates, the splits'
    chapter names, the sympathetic groups (against the run's packed arrays) and the cached
    attendance rate. The map's points come from `planner_map`."""
    organization = ctx.organization
    on = ctx.today()
    latest = plan_run_latest()
    stalled = latest is not None and latest.is_stalled(timezone.now())  # a lease: machine time
    run = latest if latest and latest.status == RunStatus.DONE else (
        plan_runs_done().order_by("-finished_at").first())
    page = run.page if run else None
    radius = run.radius_km if run else DEFAULT_RADIUS_KM
    splits = (page or {}).get("splits", [])
    names = dict(Chapter.objects.filter(slug__in=[s["chapter"] for s in splits])
                 .values_list("slug", "name")) if splits else {}
    if run is not None and page is not None:
        arrays = PlanRun.objects.filter(pk=run.pk).values_list("centres", "unaffiliated").get()
        centres, points = unpacked(arrays[0], 3), unpacked(arrays[1], 3)
        groups = nearby_groups(centres, points, radius)
    else:
        groups = nearby_groups(np.zeros((0, 3)), unaffiliated_by_city_cached(on), radius)
    return PlannerOverview(
        latest=latest,
        run=run if page is not None else None,
        stalled=stalled,
        running=latest is not None and latest.is_active and not stalled,
        radius_km=radius,
        min_size=run.min_size if run else organization.min_attendees,
        candidates=plan_candidates_page(run, chosen or CandidateFilter())
        if run is not None and page is not None else None,
        splits=[{**split_shown(split, organization.rule),
                 "name": names.get(split["chapter"], split["chapter"])} for split in splits],
        recruits=[RecruitRow(places=r["places"], chapters=r["chapters"])
                  for r in (page or {}).get("recruits", [])],
        recruits_more=(page or {}).get("recruits_more", 0),
        rate=attendance_rate_known(on, organization.qualifying_months,
                                   organization.min_attendees),
        groups=groups,
        countries=[(c[0], country_name(c[0], c[1]), c[2], c[3])
                   for c in (page or {}).get("countries", [])],
    )


# The map: points aggregated in cells sized by the zoom, never one point per member.

CELL_PIXELS = 32  # a cell is about this wide on screen at the zoom asked for
MAX_CELLS = 4096  # per layer, whatever the box asked for
SINGLE_LIMIT = 300  # up to this many candidates or chapters in the box: drawn one by one


@dataclass(frozen=True)
class MapBox:
    south: float
    west: float
    north: float
    east: float
    zoom: int

    def cell_degrees(self) -> float:
        cell = 360.0 / (2 ** self.zoom * 256 / CELL_PIXELS)
        area = max(self.north - self.south, 1e-6) * max(self.east - self.west, 1e-6)
        return max(cell, (area / MAX_CELLS) ** 0.5)  # a huge box gets bigger cells

    def inside(self, lat: FloatArray, lon: FloatArray) -> Any:
        return ((lat >= self.south) & (lat <= self.north)
                & (lon >= self.west) & (lon <= self.east))


def cells(points: FloatArray, box: MapBox) -> list[list[float]]:
    """Points (latitude, longitude, weight) in the box, summed by grid cell: each cell's
    weighted centre, its number of points and their weight."""
    points = points[box.inside(points[:, 0], points[:, 1])]
    if not len(points):
        return []
    cell = box.cell_degrees()
    keys = (np.floor((points[:, 0] + 90) / cell) * 1e6
            + np.floor((points[:, 1] + 180) / cell))
    _, group, count = np.unique(keys, return_inverse=True, return_counts=True)
    group = group.reshape(-1)
    weight = np.bincount(group, weights=points[:, 2])
    safe = np.where(weight > 0, weight, 1.0)
    centre = [np.where(weight > 0,  # the weighted centre, or the plain one if no weight
                       np.bincount(group, weights=points[:, i] * points[:, 2]) / safe,
                       np.bincount(group, weights=points[:, i]) / count) for i in (0, 1)]
    return [[round(float(lat), 3), round(float(lon), 3), int(n), int(w)]
            for lat, lon, n, w in zip(centre[0], centre[1], count, weight, strict=True)]


def planner_map(run: PlanRun | None, box: MapBox, on: datetime.date) -> dict[str, Any]:
    """The map's layers within the box: unaffiliated members by cell (counts, never a person),
    chapters and the run's candidates one by one when few are in view, else by cell. Three
    queries at most, and a few thousand points at most whatever the plan's size."""
    members = unpacked(run.unaffiliated, 3) if run is not None else (
        unaffiliated_by_city_cached(on))
    centres = unpacked(run.centres, 3) if run is not None else np.zeros((0, 3))
    chapters = list(
        Chapter.objects.filter(place__latitude__range=(box.south, box.north),
                               place__longitude__range=(box.west, box.east))
        .values_list("place__latitude", "place__longitude", "name"))
    data: dict[str, Any] = {"members": cells(members, box)}
    if len(chapters) <= SINGLE_LIMIT:
        data["chapters"] = [[round(lat, 4), round(lon, 4), name] for lat, lon, name in chapters]
    else:
        data["chapter_cells"] = cells(np.array([(lat, lon, 1.0) for lat, lon, _ in chapters],
                                               dtype=np.float64), box)
    if run is None:
        return data
    # At most SINGLE_LIMIT + 1 rows, to know whether few enough are in view to draw one by one.
    few = [[c["lat"], c["lon"], c["size"], c["index"] + 1, c["place"]] for c in
           PlanCandidate.objects.filter(run=run, lat__range=(box.south, box.north),
                                        lon__range=(box.west, box.east))
           .values("lat", "lon", "size", "index", "place").order_by("index")[:SINGLE_LIMIT + 1]]
    if len(few) <= SINGLE_LIMIT:
        data["candidates"] = few
    else:
        data["candidate_cells"] = cells(centres, box)
    return data


def organizer_choices() -> list[tuple[int, str]]:
    """The active organizers staff may choose to carry a candidate the plan matched to none."""
    return [(o.pk, o.member.display_name) for o in Organizer.objects.active()]
