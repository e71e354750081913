"""The shared library: open to everyone to read; resource editors and staff add to it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chapterhouse.context import context_of
from chapterhouse.domain.roles import Capability
from chapterhouse.resources import selectors, services
from chapterhouse.resources.forms import LibraryFilter, ResourceForm


def library(request: HttpRequest) -> HttpResponse:
    """Organizing resources: open to everyone, like the letter's resources page."""
    ctx = context_of(request)
    filters = LibraryFilter(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    return render(request, "resources/library.html", {
        "filters": filters,
        "resources": selectors.resources_listed(kind=chosen.get("kind", ""),
                                                language=chosen.get("language", "")),
        "may_add": ctx.actor.may(Capability.RESOURCE_ADD),
    })


# An upload never runs in the site's origin: it is downloaded, not shown; if a browser shows it
# anyway, it is sandboxed (a unique origin, no script) and never sniffed into another type.
UPLOAD_HEADERS = {
    "Content-Security-Policy": "sandbox; default-src 'none'",
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def download(request: HttpRequest, resource_id: int) -> FileResponse:
    found = selectors.resource_download(resource_id)
    if found is None:
        raise Http404
    response = FileResponse(found.handle, as_attachment=True, content_type=found.kind.mime,
                            filename=found.name)
    for header, value in UPLOAD_HEADERS.items():
        response[header] = value
    return response


@login_required
def resource_add(request: HttpRequest) -> HttpResponse:
    ctx = context_of(request)
    if not ctx.actor.may(Capability.RESOURCE_ADD):
        raise Http404
    form = ResourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.resource_add(ctx, title=data["title"], description=data["description"],
                              kind=data["kind"], language=data["language"],
                              file=data["file"] or None, link=data["link"])
        messages.success(request, _("Added to the library."))
        return redirect("resources")
    return render(request, "resources/resource_form.html", {"form": form})
