from dataclasses import fields

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from chapterhouse.context import context_of
from chapterhouse.dashboard.selectors import dashboard_page
from chapterhouse.domain.roles import Capability
from chapterhouse.planner.workspace import stage_counts, stage_rules


def dashboard(request: HttpRequest) -> HttpResponse:
    """Where the organization stands against the goals its members voted for."""
    ctx = context_of(request)
    if not ctx.organization.dashboard_public and not ctx.actor.is_member:
        return redirect_to_login(request.get_full_path())
    page = dashboard_page(ctx, query=request.GET.get("q", ""),
                          page=request.GET.get("page", 1))
    if page is None:  # the very first figures, being computed by another request
        return render(request, "dashboard/computing.html")
    # Candidates per stage (planner/workspace.py): for organizers and staff, who follow them.
    pipeline = (stage_counts(ctx) if ctx.actor.may(Capability.PLANNER_VIEW) else [])
    return render(request, "dashboard/dashboard.html",
                  {**{f.name: getattr(page, f.name) for f in fields(page)},
                   "stage_counts": pipeline, "stage_rules": stage_rules() if pipeline else []})
