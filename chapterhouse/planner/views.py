import numpy as np
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chapterhouse.audit.services import Action, audit_record
from chapterhouse.chapters.founding import chapter_found
from chapterhouse.chapters.models import Chapter
from chapterhouse.members.models import Member
from chapterhouse.members.roles import Capability
from chapterhouse.organizations.models import Organization
from chapterhouse.planner import overview
from chapterhouse.planner.access import require_planner
from chapterhouse.planner.forms import PlanForm
from chapterhouse.planner.jobs import plan_run_request
from chapterhouse.planner.models import PlanRun, RunStatus


def planner(request):
    """The growth plan: candidate chapters, splits, organizers, dates, and the map."""
    require_planner(request)
    organization = Organization.objects.current()
    on = organization.today
    latest = PlanRun.objects.order_by("-created_at").first()
    stalled = latest is not None and latest.is_stalled(timezone.now())
    run = latest if latest and latest.status == RunStatus.DONE else (
        PlanRun.objects.latest_done())
    result = run.result if run else None
    unaffiliated = (Member.objects.filter(is_active=True, place__isnull=False)
                    .unaffiliated(on).values("place__latitude", "place__longitude")
                    .annotate(n=Count("pk")).order_by())
    points = [(u["place__latitude"], u["place__longitude"], u["n"]) for u in unaffiliated]
    unaffiliated_xyn = np.array(points, dtype=np.float64).reshape(-1, 3)
    radius = run.radius_km if run else 25.0
    rows = overview.candidate_rows(result) if result else []
    chapters = list(Chapter.objects.select_related("place").order_by("name"))
    names = {c.slug: c.name for c in chapters}
    splits = [{**split, "name": names.get(split["chapter"], split["chapter"])}
              for split in (result or {}).get("splits", [])]
    return render(request, "planner/planner.html", {
        "latest": latest,
        "run": run,
        "result": result,
        "summary": result["summary"] if result else None,
        "rows": rows,
        "splits": splits,
        "recruits": overview.recruit_rows(result, rows) if result else [],
        "form": PlanForm(initial={"radius_km": radius, "min_size": run.min_size if run else
                                  organization.min_attendees}),
        "rate": overview.attendance_rate(on, organization.qualifying_months,
                                         organization.min_attendees),
        "groups": overview.nearby_groups(result, unaffiliated_xyn, radius),
        "map_tiles": settings.MAP_TILE_URL,
        "map_data": {
            "tiles": settings.MAP_TILE_URL,
            "attribution": settings.MAP_TILE_ATTRIBUTION,
            "labels": {"unaffiliated": _("unaffiliated members"), "members": _("members")},
            "radius_m": radius * 1000,
            "members": [{"lat": round(lat, 2), "lon": round(lon, 2), "n": n}
                        for lat, lon, n in points],
            "chapters": [{"lat": c.place.latitude, "lon": c.place.longitude, "name": c.name}
                         for c in chapters],
            "candidates": [{"lat": r.lat, "lon": r.lon, "n": r.size, "i": r.index + 1,
                            "place": r.place} for r in rows],
        },
        # A run past its lease has no worker: say so and stop refreshing (docs/tasks.md).
        "stalled": stalled,
        "running": latest is not None and latest.is_active and not stalled,
    })


@require_POST
def plan_run_create(request):
    require_planner(request, Capability.PLANNER_RUN)
    form = PlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("planner")
    run = plan_run_request(requested_by=request.user, **form.cleaned_data)
    if run.status == RunStatus.FAILED:
        messages.error(request, _("The planner failed: %(why)s") % {"why": run.message})
    return redirect("planner")


@require_POST
def candidate_accept(request, run_id: int, index: int):
    """Start a forming chapter from a candidate and invite its members."""
    require_planner(request, Capability.PLANNER_START)
    run = get_object_or_404(PlanRun, pk=run_id, status=RunStatus.DONE)
    candidates = run.result["new_chapters"]
    if not 0 <= index < len(candidates):
        raise Http404
    candidate = candidates[index]
    if candidate.get("accepted"):
        messages.error(request, _("This candidate is already a chapter."))
        return redirect("planner")
    organization = Organization.objects.current()
    members = list(Member.objects.filter(pk__in=[int(i) for i in candidate["members"]]))
    try:
        chapter = chapter_found(members=members, by=request.user, on=organization.today,
                                min_size=run.min_size, radius_km=run.radius_km)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("planner")
    candidate["accepted"] = chapter.slug
    run.save(update_fields=["result"])
    audit_record(actor=request.user, action="planner_start", target=chapter, kind=Action.CREATE,
                 changes={"plan_run": run.pk, "candidate": index + 1,
                          "invited": chapter.invitations.count()})
    messages.success(request, _("%(chapter)s is forming: %(n)d members were invited.")
                     % {"chapter": chapter.name, "n": chapter.invitations.count()})
    return redirect("chapter_detail", chapter.slug)
