"""The maps' data as JSON, for maps.js. Each endpoint answers exactly as its page does: 404
where the page would not be shown, and only the layers the actor may see (selectors.py)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from chapterhouse.chapters import permissions
from chapterhouse.context import context_of
from chapterhouse.maps.selectors import chapter_map, dashboard_map, near_map
from chapterhouse.verdicts.nearby import chapters_near


def _private(response: JsonResponse) -> JsonResponse:
    # What a member sees differs from what a visitor sees: never kept by a shared cache; and
    # asked again on each view (a plan made a minute ago shows on the next page).
    response["Cache-Control"] = "private, no-cache"
    response["Vary"] = "Cookie, Accept-Language"
    return response


@require_GET
def dashboard_map_json(request: HttpRequest) -> JsonResponse:
    """The dashboard's map: seen by whoever sees the dashboard."""
    ctx = context_of(request)
    if not ctx.organization.dashboard_public and not ctx.actor.is_member:
        raise Http404
    return _private(JsonResponse(dashboard_map(ctx)))


@require_GET
def near_map_json(request: HttpRequest) -> JsonResponse:
    """"Chapters near you": a member's own city and the chapters near it."""
    ctx = context_of(request)
    if not ctx.actor.is_member:
        raise Http404
    member = ctx.actor.member
    organization = ctx.organization
    nearby = ([] if member.place is None else
              chapters_near(member.place, rule=organization.rule, on=organization.today,
                            now=ctx.now()))
    return _private(JsonResponse(near_map(ctx, member, nearby)))


@require_GET
def chapter_map_json(request: HttpRequest, slug: str) -> JsonResponse:
    """A chapter's page's map: seen by whoever sees the chapter's page."""
    chapter = permissions.chapter_public(request, slug)
    return _private(JsonResponse(chapter_map(context_of(request), chapter)))
