from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from chapterhouse.members.access import may
from chapterhouse.members.roles import Capability
from chapterhouse.resources import filetypes
from chapterhouse.resources.forms import LibraryFilter, ResourceForm
from chapterhouse.resources.models import Resource


def may_add(user) -> bool:
    """Resource editors and staff curate the library (members/roles.py)."""
    return may(user, Capability.RESOURCE_ADD)


def library(request):
    """Organizing resources: open to everyone, like the letter's resources page."""
    filters = LibraryFilter(request.GET or None)
    resources = Resource.objects.all()
    if filters.is_valid():
        if kind := filters.cleaned_data["kind"]:
            resources = resources.filter(kind=kind)
        if language := filters.cleaned_data["language"]:
            resources = resources.filter(language=language)
    return render(request, "resources/library.html", {
        "filters": filters, "resources": resources, "may_add": may_add(request.user)})


# An upload never runs in the site's origin: it is downloaded, not shown; if a browser shows it
# anyway, it is sandboxed (a unique origin, no script) and never sniffed into another type.
UPLOAD_HEADERS = {
    "Content-Security-Policy": "sandbox; default-src 'none'",
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def download(request, resource_id: int):
    resource = get_object_or_404(Resource, pk=resource_id)
    if not resource.file:
        raise Http404
    handle = resource.file.open("rb")
    kind = filetypes.serving_type(handle.read(filetypes.HEAD_BYTES))
    handle.seek(0)
    response = FileResponse(handle, as_attachment=True, content_type=kind.mime,
                            filename=filetypes.download_name(resource.filename, kind))
    for header, value in UPLOAD_HEADERS.items():
        response[header] = value
    return response


@login_required
def resource_add(request):
    if not may_add(request.user):
        raise Http404
    form = ResourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        resource = form.save(commit=False)
        resource.added_by = request.user
        resource.save()
        messages.success(request, _("Added to the library."))
        return redirect("resources")
    return render(request, "resources/resource_form.html", {"form": form})
