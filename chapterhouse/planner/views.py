"""The planner page, requesting a run, and "Start it". Only organizers and staff see any of it;
everyone else gets 404 (the planner's existence is not advertised; docs/roles.md)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chapterhouse.context import context_of
from chapterhouse.core.errors import show_refusal
from chapterhouse.domain.roles import Capability
from chapterhouse.organizations.context import Context
from chapterhouse.planner.forms import PlanForm
from chapterhouse.planner.models import RunStatus
from chapterhouse.planner.selectors import (
    PlannerOverview,
    plan_candidate,
    plan_runs_done,
    planner_overview,
)
from chapterhouse.planner.services import plan_candidate_start, plan_run_request


def _planner_context(request: HttpRequest, capability: Capability) -> Context:
    """The request's context, if its member may use `capability`; 404 otherwise."""
    ctx = context_of(request)
    if not ctx.actor.may(capability):
        raise Http404
    return ctx


def planner(request: HttpRequest) -> HttpResponse:
    """The growth plan: candidate chapters, splits, organizers, dates, and the map."""
    ctx = _planner_context(request, Capability.PLANNER_VIEW)
    overview = planner_overview(ctx)
    return render(request, "planner/planner.html", {
        "latest": overview.latest,
        "run": overview.run,
        "result": overview.result,
        "summary": overview.summary,
        "rows": overview.rows,
        "splits": overview.splits,
        "recruits": overview.recruits,
        "form": PlanForm(initial={"radius_km": overview.radius_km,
                                  "min_size": overview.min_size}),
        "rate": overview.rate,
        "groups": overview.groups,
        "map_tiles": settings.MAP_TILE_URL,
        "map_data": _map_data(overview),
        # A run past its lease has no worker: say so and stop refreshing (docs/tasks.md).
        "stalled": overview.stalled,
        "running": overview.running,
    })


def _map_data(overview: PlannerOverview) -> dict[str, Any]:
    """What planner-map.js draws (members rounded to about a kilometre)."""
    return {
        "tiles": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
        "labels": {"unaffiliated": _("unaffiliated members"), "members": _("members")},
        "radius_m": overview.radius_km * 1000,
        "members": [{"lat": round(lat, 2), "lon": round(lon, 2), "n": n}
                    for lat, lon, n in overview.unaffiliated],
        "chapters": [{"lat": c.place.latitude, "lon": c.place.longitude, "name": c.name}
                     for c in overview.chapters],
        "candidates": [{"lat": r.lat, "lon": r.lon, "n": r.size, "i": r.index + 1,
                        "place": r.place} for r in overview.rows],
    }


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
    run = get_object_or_404(plan_runs_done(), pk=run_id)
    if plan_candidate(run, index) is None:
        raise Http404
    try:
        started = plan_candidate_start(ctx, run=run, index=index)
    except ValidationError as error:
        show_refusal(request, error)
        return redirect("planner")
    messages.success(request, _("%(chapter)s is forming: %(n)d members were invited.")
                     % {"chapter": started.chapter.name, "n": started.invited})
    return redirect("chapter_detail", started.chapter.slug)
