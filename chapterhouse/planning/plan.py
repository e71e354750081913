"""The growth plan: new chapters, splits, organizers and dates, as one typed result.

`make_plan` takes the parsed inputs and settings; it touches no database and no Django. What it
has to say (why a candidate has no organizer, why a split does not work) it says as reason codes
(`Reason.as_json()` in the result), worded by planner/reasons.py: the page in the reader's
language, the `plan` command's table in English.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
from numpy.typing import NDArray

from chapterhouse.domain.reasons import reason
from chapterhouse.planning import splits as splitting
from chapterhouse.planning.geo import unit_vectors
from chapterhouse.planning.members_csv import Members
from chapterhouse.planning.new_chapters import FoundChapter, find_new_chapters
from chapterhouse.planning.organizers import Organizer, assign, recruits_needed
from chapterhouse.planning.rule import Rule
from chapterhouse.planning.timeline import counts_by, organizer_starts, start_by

# Why a candidate has no organizer (`unreached[].why`).
OUT_OF_REACH = reason("planner.unreached.out_of_reach").as_json()
NO_TIME = reason("planner.unreached.no_time").as_json()


@dataclass(frozen=True)
class Settings:
    rule: Rule = field(default_factory=Rule)
    counted_genders: frozenset[str] = frozenset({"woman"})
    today: datetime.date | None = None
    deadline: datetime.date | None = None
    target_chapters: int | None = None
    qualifying_now: int = 0
    months_to_qualify: int = 3
    hours_per_chapter: float = 80.0
    # the profile of a recruited organizer, for "how many more would close the gap"
    recruit_hours_per_week: float = 15.0
    recruit_months: float = 4.0
    recruit_reach_km: float = 100.0
    # time for the exact step and the window search; None: by instance size and mode
    exact_seconds: float | None = None
    mode: str = "fast"  # or "quality": a longer search


@dataclass(frozen=True)
class SplitRequest:
    chapter: str
    names: list[str]
    lat: list[float]
    lon: list[float]


@dataclass
class Plan:
    new_chapters: list[dict[str, Any]]
    splits: list[dict[str, Any]]
    assignments: list[dict[str, Any]]
    unreached: list[dict[str, Any]]
    recruits: list[dict[str, Any]]
    summary: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        """The plan as JSON-ready data: the lists themselves, not copies (`dataclasses.asdict`
        took 30 s to deep-copy a million members' plan)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def make_plan(members: Members, settings: Settings, organizers: list[Organizer] | None = None,
              split_requests: list[SplitRequest] | None = None,
              tick: Callable[[int], object] | None = None) -> Plan:
    rule = settings.rule
    is_woman = members.counted(settings.counted_genders)
    eligible = np.flatnonzero(np.array([c == "" for c in members.chapter]) & members.willing)
    found = find_new_chapters(members.lat[eligible], members.lon[eligible], is_woman[eligible],
                              rule, exact_seconds=settings.exact_seconds, mode=settings.mode,
                              tick=tick)
    due = start_by(settings.deadline, settings.months_to_qualify) if settings.deadline else None
    due_text = due.isoformat() if due else None
    chapters: list[dict[str, Any]] = [{
        "center": [round(c.lat, 6), round(c.lon, 6)],
        "members": names,
        "women": c.women,
        "size": len(names),
        "max_travel_km": round(c.max_travel_km, 3),
        "start_by": due_text,
        "organizer": None,
        "starts": None,
        "counts_by_deadline": None,
    } for c, names in zip(found.chapters, _member_ids(members, eligible, found.chapters),
                          strict=True)]
    today = settings.today or datetime.datetime.now(datetime.UTC).date()
    cand_xyz = unit_vectors([c["center"][0] for c in chapters], [c["center"][1] for c in chapters])
    assigned = assign(organizers or [], cand_xyz.reshape(-1, 3), today,
                      hours_per_chapter=settings.hours_per_chapter, deadline=settings.deadline,
                      months_to_qualify=settings.months_to_qualify)
    for a in assigned.assignments:
        row = chapters[a.candidate]
        row["organizer"] = a.organizer
        row["starts"] = a.starts.isoformat()
        if settings.deadline:  # assign() hands out only start dates that count by then
            row["counts_by_deadline"] = True
    counted = sum(1 for c in chapters if c["counts_by_deadline"])
    projected = settings.qualifying_now + counted
    summary: dict[str, Any] = {
        "eligible_members": len(eligible),
        "new_chapters": len(chapters),
        "members_placed": sum(c["size"] for c in chapters),
        "organizers": len(organizers or []),
        "assigned": len(assigned.assignments),
        "unreachable": len(assigned.unreachable),
        "over_capacity": len(assigned.over_capacity),
        "start_by": due.isoformat() if due else None,
        "still_possible": bool(due is None or today <= due),
        "qualifying_now": settings.qualifying_now,
        "projected_at_deadline": projected if settings.deadline else None,
        "target_chapters": settings.target_chapters,
        "solver": found.stats,
    }
    recruits: list[dict[str, Any]] = []
    if settings.target_chapters is not None and settings.deadline is not None:
        gap = max(0, settings.target_chapters - projected)
        summary["gap"] = gap
        slots = sum(1 for s in organizer_starts(today, settings.recruit_hours_per_week,
                                                settings.recruit_months,
                                                settings.hours_per_chapter)
                    if counts_by(s, settings.deadline, settings.months_to_qualify))
        open_ = sorted(assigned.unreachable + assigned.over_capacity)
        lat = np.array([c["center"][0] for c in chapters])
        lon = np.array([c["center"][1] for c in chapters])
        for r in recruits_needed(cand_xyz.reshape(-1, 3), lat, lon, open_, gap, slots=slots,
                                 reach_km=settings.recruit_reach_km):
            recruits.append({"center": [round(r.lat, 6), round(r.lon, 6)],
                             "chapters": len(r.candidates), "candidates": r.candidates})
        summary["more_organizers_needed"] = len(recruits)
        summary["gap_closed"] = sum(r["chapters"] for r in recruits) >= gap
    splits = [_split(members, is_woman, req, rule) for req in split_requests or []]
    return Plan(
        new_chapters=chapters,
        splits=splits,
        assignments=[{"organizer": a.organizer, "chapter": a.candidate, "order": a.order,
                      "km": a.km, "starts": a.starts.isoformat()} for a in assigned.assignments],
        unreached=[{"chapter": c, "center": chapters[c]["center"], "why": why}
                   for why, ids in ((OUT_OF_REACH, assigned.unreachable),
                                    (NO_TIME, assigned.over_capacity))
                   for c in ids],
        recruits=recruits,
        summary=summary,
    )


def _member_ids(members: Members, eligible: NDArray[np.intp], chapters: list[FoundChapter]
                ) -> list[list[str]]:
    """Each chapter's member ids, looked up all at once (a million members in a blink)."""
    if not chapters:
        return []
    rows = eligible[np.concatenate([c.members for c in chapters])]
    ids: list[str] = np.asarray(members.ids, dtype=object)[rows].tolist()
    ends = np.cumsum([len(c.members) for c in chapters]).tolist()
    return [ids[start:end] for start, end in zip([0, *ends[:-1]], ends, strict=True)]


def _split(members: Members, is_woman: np.ndarray, req: SplitRequest, rule: Rule
           ) -> dict[str, Any]:
    mine = np.flatnonzero(np.array([c == req.chapter for c in members.chapter]))
    if members.active_given[mine].any():  # recent attendees given: only they count
        mine = mine[members.active_given[mine]]
    if len(mine) == 0:
        return {"chapter": req.chapter, "works": False, "parts": [],
                "reasons": [reason("planner.split.no_members", chapter=req.chapter).as_json()]}
    result = splitting.split(members.lat[mine], members.lon[mine], is_woman[mine],
                             np.array(req.lat), np.array(req.lon), rule, req.names)
    return {
        "chapter": req.chapter,
        "works": result.works,
        "parts": [{"name": req.names[p.centre], "center": [req.lat[p.centre], req.lon[p.centre]],
                   "valid": p.valid, "size": len(p.members), "women": p.women,
                   "reach": p.reach,
                   "reach_women": splitting.reach_women_shown(p.reach, p.reach_women,
                                                              minimum=rule.min_size),
                   "members": [members.ids[i] for i in mine[p.members]]}
                  for p in result.parts],
        "unplaced": [members.ids[i] for i in mine[result.unplaced]],
        "reasons": [r.as_json() for r in result.reasons],
    }

