"""The planner page, requesting a run, and "Start it". Only organizers and staff see any of it;
everyone else gets 404 (the planner's existence is not advertised; docs/roles.md)."""

from __future__ import annotations

import csv
import functools
import io
import json
import math
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from chapterhouse.context import context_of
from chapterhouse.core.errors import show_refusal
from chapterhouse.domain.disclosure import women_figure
from chapterhouse.domain.roles import Capability
from chapterhouse.organizations.context import Context
from chapterhouse.planner import selectors
from chapterhouse.planner.forms import PlanForm
from chapterhouse.planner.models import PlanRun, RunStatus
from chapterhouse.planner.selectors import (
    ORGANIZER_FILTERS,
    SORTS,
    CandidateFilter,
    MapBox,
    PlannerOverview,
    organizer_choices,
    plan_candidate,
    plan_candidates_all,
    plan_recruits_all,
    plan_runs_done,
    planner_overview,
    split_shown,
)
from chapterhouse.planner.services import (
    attendance_rate_ensure,
    plan_candidate_grow,
    plan_candidate_start,
    plan_run_index,
    plan_run_request,
)


def _planner_context(request: HttpRequest, capability: Capability) -> Context:
    """The request's context, if its member may use `capability`; 404 otherwise."""
    ctx = context_of(request)
    if not ctx.actor.may(capability):
        raise Http404
    return ctx


def planner(request: HttpRequest) -> HttpResponse:
    """The growth plan: its summary, a page of candidate chapters (filtered and sorted as
    asked), splits, organizers, dates, and the map (whose points planner_map serves)."""
    ctx = _planner_context(request, Capability.PLANNER_VIEW)
    _index_if_needed()
    chosen = _candidate_filter(request)
    overview = planner_overview(ctx, chosen)
    if overview.rate is None:
        attendance_rate_ensure(ctx)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "planner/planner.html", {
        "latest": overview.latest,
        "run": overview.run,
        "summary": overview.summary,
        "candidates": overview.candidates,
        "rows": overview.rows,
        "chosen": chosen,
        "query": query.urlencode(),
        "countries": overview.countries,
        "sorts": _sort_choices(),
        "splits": overview.splits,
        "recruits": overview.recruits,
        "recruits_more": overview.recruits_more,
        "form": PlanForm(initial={"radius_km": overview.radius_km,
                                  "min_size": overview.min_size}),
        "rate": overview.rate,
        "groups": overview.groups,
        "map_tiles": settings.MAP_TILE_URL,
        "map_data": _map_data(overview),
        # A run past its lease has no worker: say so and stop refreshing (docs/tasks.md).
        "stalled": overview.stalled,
        "running": overview.running,
        "viewer_id": ctx.actor.member.pk,
        "is_staff": ctx.actor.is_staff,
        "organizer_choices": organizer_choices() if ctx.actor.is_staff else [],
    })


def _index_if_needed() -> None:
    """A finished run stored before the page read rows gets them on its first view, once."""
    done = plan_runs_done().order_by("-finished_at").only("pk", "page").first()
    if done is not None and done.page is None:
        plan_run_index(run_id=done.pk)


def _sort_choices() -> list[tuple[str, str]]:
    return [("index", _("number")), ("-size", _("largest first")),
            ("size", _("smallest first")), ("place", _("place")), ("country", _("country"))]


def _candidate_filter(request: HttpRequest) -> CandidateFilter:
    """The table's filter from the query string; anything unknown or absurd falls back to the
    default (a bookmark or a hand-edited address never fails)."""
    def number(name: str, default: int, high: int) -> int:
        text = request.GET.get(name, "")
        plain = text.isascii() and text.isdigit() and len(text) < 10  # not "²" nor "١٢٣"
        return min(int(text), high) if plain else default

    country = request.GET.get("country", "")
    organizer = request.GET.get("organizer", "")
    sort = request.GET.get("sort", "index")
    return CandidateFilter(
        country=country.upper() if len(country) == 2 and country.isalpha() else "",
        min_size=number("min_size", 0, 100_000),
        organizer=organizer if organizer in ORGANIZER_FILTERS else "",
        sort=sort if sort in SORTS else "index",
        page=max(1, number("page", 1, 1_000_000)),
    )


def _map_data(overview: PlannerOverview) -> dict[str, Any]:
    """What planner-map.js needs to start: its points it asks planner_map for, by viewport."""
    page = overview.page or {}
    return {
        "tiles": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
        "labels": {"unaffiliated": _("unaffiliated members"), "members": _("members"),
                   "candidates": _("candidate chapters"), "chapters": _("chapters")},
        "radius_m": overview.radius_km * 1000,
        "url": reverse("planner_map"),
        "run": overview.run.pk if overview.run else None,
        "bounds": page.get("bounds"),
    }


def planner_map(request: HttpRequest) -> JsonResponse:
    """The map's points in a viewport (`bbox=south,west,north,east&zoom=z`, and `run=` for a
    finished run's candidates): counts by cell, never a member."""
    ctx = _planner_context(request, Capability.PLANNER_VIEW)
    run_id = request.GET.get("run", "")
    run = None
    if run_id:
        if not (run_id.isascii() and run_id.isdigit()) or len(run_id) > 12:
            raise Http404
        run = get_object_or_404(PlanRun.objects.filter(status=RunStatus.DONE, page__isnull=False)
                                .only("pk", "centres", "unaffiliated"), pk=int(run_id))
    box = _map_box(request)
    if box is None:
        return JsonResponse({"error": _("Give the map's box as bbox=south,west,north,east "
                                        "and its zoom as zoom=0 to 18.")}, status=400)
    return JsonResponse(selectors.planner_map(run, box, ctx.today()))


def _map_box(request: HttpRequest) -> MapBox | None:
    try:
        south, west, north, east = (float(v) for v in request.GET.get("bbox", "").split(","))
        zoom = int(request.GET.get("zoom", ""))
    except ValueError:
        return None
    if not all(math.isfinite(v) for v in (south, west, north, east)) or not 0 <= zoom <= 18:
        return None
    south, north = max(-90.0, south), min(90.0, north)
    west, east = max(-180.0, west), min(180.0, east)
    if south > north or west > east:
        return None
    return MapBox(south=south, west=west, north=north, east=east, zoom=zoom)


CSV_COLUMNS = ["number", "place", "country", "latitude", "longitude", "members", "women",
               "longest_trip_km", "organizer", "organizer_km", "starts", "start_by",
               "counts_by_deadline", "forming_chapter"]


def plan_run_download(request: HttpRequest, run_id: int, fmt: str) -> StreamingHttpResponse:
    # `fmt` comes from the URL pattern ("csv" or "json"), never from the address typed.
    """The whole plan as a file, written as it is read (CSV, or JSON with the summary, splits
    and recruits too): every candidate, no member named."""
    ctx = _planner_context(request, Capability.PLANNER_VIEW)
    run = get_object_or_404(plan_runs_done().filter(page__isnull=False), pk=run_id)
    rule = ctx.organization.rule

    @functools.cache
    def women_shown(size: int, women: int) -> int | None:  # as the page shows it, or not at all
        return women_figure(size, women, minimum=rule.min_attendees,
                            required_share=rule.share).count

    rows = ([index + 1, place, country, lat, lon, size, women_shown(size, women), km,
             organizer if organizer_km is not None else None, organizer_km,
             starts.isoformat() if starts else None, start_by.isoformat() if start_by else None,
             counts, accepted or None]
            for (index, place, country, lat, lon, size, women, km, organizer, organizer_km,
                 starts, start_by, counts, accepted) in plan_candidates_all(run))
    if fmt == "csv":
        body: Iterator[str] = _csv_lines(rows)
        content_type = "text/csv; charset=utf-8"
    else:
        body = _json_chunks(run, rows, ctx)
        content_type = "application/json"
    response = StreamingHttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="plan-{run.pk}.{fmt}"'
    return response


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Any) -> Any:
    """A cell as written: text a spreadsheet would read as a formula (a place or an organizer
    named "=HYPERLINK(...)") behind a quote, so it stays text. Numbers are left alone: a
    negative longitude is a number, not a formula, and must stay one."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_lines(rows: Iterator[list[Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for count, row in enumerate(rows, 1):
        writer.writerow([_csv_cell(v) for v in row])
        if count % 1000 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _json_chunks(run: PlanRun, rows: Iterator[list[Any]], ctx: Context) -> Iterator[str]:
    page = run.page or {}
    rule = ctx.organization.rule
    # Every recruit group, from the result (the page keeps the first ones only); a run whose
    # result has none gives what its page has.
    recruits = plan_recruits_all(run)
    head = {"run": run.pk, "radius_km": run.radius_km, "min_size": run.min_size,
            "finished_at": run.finished_at.isoformat() if run.finished_at else None,
            "summary": page.get("summary"),
            # Split again as shown: a page stored before splits were stripped holds member ids.
            "splits": [split_shown(split, rule) for split in page.get("splits", [])],
            "recruits": page.get("recruits", []) if recruits is None else recruits,
            "recruits_more": page.get("recruits_more", 0) if recruits is None else 0}
    yield json.dumps(head)[:-1] + ', "candidates": ['
    chunk: list[str] = []
    for count, row in enumerate(rows):
        chunk.append(("," if count else "") + json.dumps(dict(zip(CSV_COLUMNS, row,
                                                                   strict=True))))
        if len(chunk) == 1000:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk) + "]}"


@require_POST
def plan_run_create(request: HttpRequest) -> HttpResponse:
    ctx = _planner_context(request, Capability.PLANNER_RUN)
    form = PlanForm(request.POST)
    if not form.is_valid():
        show_refusal(request, ValidationError(form.errors))
        return redirect("planner")
    run = plan_run_request(ctx, radius_km=form.cleaned_data["radius_km"],
                           min_size=form.cleaned_data["min_size"])
    if run.status == RunStatus.FAILED:
        messages.error(request, _("The planner failed: %(why)s") % {"why": run.message})
    return redirect("planner")


@require_POST
def candidate_accept(request: HttpRequest, run_id: int, index: int) -> HttpResponse:
    """Start a forming chapter from a candidate and invite its members."""
    ctx = _planner_context(request, Capability.PLANNER_START)
    plan_run_index(run_id=run_id)  # a run stored before the rows: give it them
    run = get_object_or_404(plan_runs_done(), pk=run_id)
    if plan_candidate(run, index) is None:
        raise Http404
    chosen = request.POST.get("organizer", "")
    organizer_id = int(chosen) if chosen.isascii() and chosen.isdigit() and len(chosen) < 10 \
        else None
    try:
        started = plan_candidate_start(ctx, run=run, index=index, organizer_id=organizer_id)
    except ValidationError as error:
        show_refusal(request, error)
        return redirect("planner")
    messages.success(request, _("%(chapter)s is forming, carried by %(organizer)s: %(n)d members "
                                "were invited.")
                     % {"chapter": started.chapter.name, "n": started.invited,
                        "organizer": started.chapter.organizer.member.display_name
                        if started.chapter.organizer else ""})
    return redirect("chapter_detail", started.chapter.slug)


@require_POST
def candidate_grow(request: HttpRequest, run_id: int, index: int) -> HttpResponse:
    """A candidate inside an existing chapter's area: invite its members to that chapter."""
    ctx = _planner_context(request, Capability.PLANNER_START)
    plan_run_index(run_id=run_id)
    run = get_object_or_404(plan_runs_done(), pk=run_id)
    if plan_candidate(run, index) is None:
        raise Http404
    try:
        grown = plan_candidate_grow(ctx, run=run, index=index)
    except ValidationError as error:
        show_refusal(request, error)
        return redirect("planner")
    invited = grown.invited
    messages.success(request, ngettext(
        "%(n)d member was invited to join %(chapter)s; its coordinators are told. They join "
        "only if they accept.",
        "%(n)d members were invited to join %(chapter)s; its coordinators are told. They join "
        "only if they accept.", invited.invited) % {"n": invited.invited,
                                                     "chapter": grown.chapter.name})
    if invited.already:
        messages.info(request, ngettext(
            "%(n)d of the group was left alone: already invited, declined before, or no "
            "longer free to invite.",
            "%(n)d of the group were left alone: already invited, declined before, or no "
            "longer free to invite.", invited.already) % {"n": invited.already})
    return redirect("chapter_detail", grown.chapter.slug)
