"""The maps' reads: what each map may show to whom, as plain data ready for JSON.

Who sees what (tests/maps/test_map_endpoints.py checks the matrix):
- chapters, with their verdict and area: whoever may see the dashboard and chapter pages
  (everyone when the dashboard is public, else members);
- unaffiliated members counted by city: members only, and only cities with at least the
  disclosure minimum (small_counts.py), never a person;
- candidate chapters of the latest plan, numbered and sized by members: organizers and staff,
  who see them on the planner already;
- "you": a member's own city, on their own "chapters near you" map.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chapterhouse.chapters.models import Chapter
from chapterhouse.chapters.selectors import members_unaffiliated
from chapterhouse.domain.qualification import Status
from chapterhouse.domain.roles import Capability
from chapterhouse.maps.small_counts import Counted, Disclosed, counts_disclosed
from chapterhouse.members.models import Member
from chapterhouse.organizations.context import Context
from chapterhouse.places.models import Place
from chapterhouse.planner.models import PlanCandidate, PlanRun, RunStatus
from chapterhouse.verdicts.nearby import NearbyChapter
from chapterhouse.verdicts.selectors import chapter_summaries

CHAPTERS_SHOWN = 2000  # chapters drawn one by one on the dashboard's map, most advanced first
CITIES_SHOWN = 1000  # cities with unaffiliated members drawn, largest first
CANDIDATES_SHOWN = 300  # candidates drawn, by their number in the plan
CITIES_CACHE_SECONDS = 600  # a scan of every member: at most once in ten minutes

STATUS_ORDER = {Status.QUALIFYING: 0, Status.LAPSED: 1, Status.FORMING: 2, None: 3}


def _status_words() -> dict[str | None, str]:
    return {Status.QUALIFYING: _("qualifying"), Status.LAPSED: _("lapsed"),
            Status.FORMING: _("forming"), None: _("being recomputed")}


def _chapter_point(chapter: Chapter, status: Status | None, *, area: bool = False
                   ) -> dict[str, Any]:
    words = _status_words()
    point: dict[str, Any] = {
        "lat": round(chapter.place.latitude, 4), "lon": round(chapter.place.longitude, 4),
        "name": chapter.name, "url": reverse("chapter_detail", args=[chapter.slug]),
        "status": str(status) if status else "recomputing", "status_word": words[status],
        "place": str(chapter.place),
        "label": (_("%(chapter)s: %(status)s") if chapter.name == chapter.place.name
                  else _("%(chapter)s (%(place)s): %(status)s")) % {
            "chapter": chapter.name, "place": chapter.place.city_label, "status": words[status]},
    }
    if area:
        point["radius_km"] = chapter.radius_km
    return point


def chapters_layer(ctx: Context) -> tuple[list[dict[str, Any]], int]:
    """Every chapter (at most CHAPTERS_SHOWN, qualifying ones first) with its status, and how
    many chapters there are. Three queries whatever the number."""
    organization = ctx.organization
    chapters = list(Chapter.objects.select_related("place").order_by("name", "pk"))
    summaries = chapter_summaries([c.pk for c in chapters], rule=organization.rule,
                                  on=organization.today)
    status = {pk: s.status for pk, s in summaries.items()}
    chapters.sort(key=lambda c: STATUS_ORDER[status.get(c.pk)])
    return ([_chapter_point(c, status.get(c.pk)) for c in chapters[:CHAPTERS_SHOWN]],
            len(chapters))


def _unaffiliated_counts(on: datetime.date) -> list[tuple[int, int]]:
    """(place id, members) for every city with an active member in no chapter on `on`."""
    key = f"maps:unaffiliated:{on.isoformat()}"
    stored = cache.get(key)
    if isinstance(stored, list):
        return [(int(p), int(n)) for p, n in stored]
    rows = list(members_unaffiliated(Member.objects.filter(is_active=True,
                                                           place__isnull=False), on)
                .order_by().values("place_id").annotate(n=Count("pk"))
                .values_list("place_id", "n"))
    cache.set(key, rows, CITIES_CACHE_SECONDS)
    return rows


@dataclass(frozen=True)
class MembersLayer:
    disclosed: Disclosed[int]  # place ids
    places: dict[int, Place]  # the places shown

    def as_json(self) -> dict[str, Any]:
        d = self.disclosed
        cities = []
        for c in d.shown:
            place = self.places[c.place]
            cities.append({
                "lat": round(place.latitude, 3), "lon": round(place.longitude, 3),
                "n": c.count, "name": str(place),
                "label": ngettext("%(place)s: %(n)d unaffiliated member",
                                  "%(place)s: %(n)d unaffiliated members", c.count)
                % {"place": place.city_label, "n": c.count},
            })
        return {"cities": cities, "minimum": d.minimum, "hidden": d.hidden_people,
                "hidden_cities": d.hidden_places, "rule": members_rule(d)}


def members_rule(d: Disclosed[int]) -> str:
    """The small-count rule, as said beside the map."""
    rule = ngettext(
        "Unaffiliated members (active members in no chapter) are counted by city. A city is "
        "drawn only when at least %(minimum)d member lives there, so that no mark points at a "
        "person.",
        "Unaffiliated members (active members in no chapter) are counted by city. A city is "
        "drawn only when at least %(minimum)d members live there, so that no mark points at a "
        "person.", d.minimum) % {"minimum": d.minimum}
    if d.hidden_people:
        rule += " " + ngettext(
            "%(n)d more member lives in cities with fewer: counted here, not drawn.",
            "%(n)d more members live in cities with fewer: counted here, not drawn.",
            d.hidden_people) % {"n": d.hidden_people}
    return rule


def members_layer(ctx: Context) -> MembersLayer:
    """Unaffiliated members by city under the small-count rule: two queries (one cached)."""
    organization = ctx.organization
    disclosed = counts_disclosed(
        [Counted(pk, n) for pk, n in _unaffiliated_counts(organization.today)],
        minimum=organization.min_attendees, shown_at_most=CITIES_SHOWN)
    return MembersLayer(disclosed, Place.objects.in_bulk([c.place for c in disclosed.shown]))


def _latest_run() -> PlanRun | None:
    return (PlanRun.objects.filter(status=RunStatus.DONE, page__isnull=False)
            .only("pk", "finished_at").order_by("-finished_at", "-pk").first())


def candidates_layer() -> dict[str, Any] | None:
    """The latest finished plan's candidates, by number (at most CANDIDATES_SHOWN): where,
    how many members, and whether an organizer takes it on. None without a plan."""
    run = _latest_run()
    if run is None:
        return None
    rows = (PlanCandidate.objects.filter(run=run).order_by("index")
            .values("index", "place", "lat", "lon", "size", "organizer_id"))
    total = PlanCandidate.objects.filter(run=run).count()
    return {
        "total": total,
        "items": [{
            "number": r["index"] + 1, "lat": round(r["lat"], 3), "lon": round(r["lon"], 3),
            "n": r["size"], "name": r["place"], "carried": r["organizer_id"] is not None,
            "label": ngettext("Candidate %(number)d, near %(place)s: %(n)d member",
                              "Candidate %(number)d, near %(place)s: %(n)d members", r["size"])
            % {"number": r["index"] + 1, "place": r["place"], "n": r["size"]},
        } for r in rows[:CANDIDATES_SHOWN]],
    }


def _layers_for(ctx: Context) -> dict[str, Any]:
    """The members and candidates layers this actor may see (None where not)."""
    actor = ctx.actor
    return {
        "members": members_layer(ctx).as_json() if actor.is_member else None,
        "candidates": candidates_layer() if actor.may(Capability.PLANNER_VIEW) else None,
    }


def dashboard_map(ctx: Context) -> dict[str, Any]:
    """The dashboard's map: every chapter by verdict, and the layers the actor may see."""
    chapters, count = chapters_layer(ctx)
    return {"view": "world", "chapters": chapters, "chapters_total": count,
            **_layers_for(ctx), "you": None}


def near_map(ctx: Context, member: Member, nearby: list[NearbyChapter]) -> dict[str, Any]:
    """"Chapters near you": the member's own city, the chapters listed with their areas."""
    place = member.place
    statuses = {n.chapter.pk: n.verdict.status for n in nearby}
    you = None if place is None else {
        "lat": round(place.latitude, 4), "lon": round(place.longitude, 4),
        "label": _("Your city: %(place)s") % {"place": place.city_label}}
    return {"view": "fit", "chapters": [_chapter_point(n.chapter, statuses[n.chapter.pk],
                                                       area=True) for n in nearby],
            "chapters_total": len(nearby), "members": None, "candidates": None, "you": you}


def chapter_map(ctx: Context, chapter: Chapter) -> dict[str, Any]:
    """A chapter's page: the chapter and its area."""
    summary = chapter_summaries([chapter.pk], rule=ctx.organization.rule,
                                on=ctx.organization.today).get(chapter.pk)
    return {"view": "fit", "chapters": [_chapter_point(chapter, summary.status if summary
                                                       else None, area=True)],
            "chapters_total": 1, "members": None, "candidates": None, "you": None}
