"""The organizing workspace (issue 13): an organizer's candidates and the chapters they carry,
each at its stage computed from the data, and the organization-wide view of every candidate
that matters. For organizers and staff (the planner's readers); everyone else gets 404.

The reads live in planner/workspace.py (see there why); these views only parse and render.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from chapterhouse.context import context_of
from chapterhouse.domain.roles import Capability
from chapterhouse.domain.stages import STAGES
from chapterhouse.organizations.context import Context
from chapterhouse.planner.workspace import (
    WorkFilter,
    late_rules,
    stage_rules,
    workspace_of,
    workspace_organization,
)

PER_PAGE = 50


def _organizing_context(request: HttpRequest) -> Context:
    ctx = context_of(request)
    if not ctx.actor.may(Capability.PLANNER_VIEW):
        raise Http404
    return ctx


def workspace(request: HttpRequest) -> HttpResponse:
    """The organizer's own candidates and chapters."""
    ctx = _organizing_context(request)
    mine = workspace_of(ctx, ctx.actor.member)
    return render(request, "organizing/workspace.html", {
        "workspace": mine, "rows": mine.rows, "counts": mine.counts,
        "stage_rules": stage_rules(), "late_rules": late_rules(),
        "may_start": ctx.actor.may(Capability.PLANNER_START),
    })


def _filter(request: HttpRequest) -> WorkFilter:
    stage = request.GET.get("stage", "")
    organizer = request.GET.get("organizer", "")
    return WorkFilter(
        stage=stage if stage in {s.value for s in STAGES} else "",
        organizer=int(organizer) if organizer.isascii() and organizer.isdigit()
        and len(organizer) < 10 else None,
        late=request.GET.get("late") == "1",
    )


def workspace_all(request: HttpRequest) -> HttpResponse:
    """Every candidate that matters organization-wide, filterable, a page at a time."""
    ctx = _organizing_context(request)
    chosen = _filter(request)
    found = workspace_organization(ctx, chosen)
    page = Paginator(found.rows, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "organizing/all.html", {
        "found": found, "page": page, "rows": list(page.object_list), "chosen": chosen,
        "query": query.urlencode(), "stages": [(s.value, label) for s, label, _n in found.counts],
        "stage_rules": stage_rules(), "late_rules": late_rules(),
    })
