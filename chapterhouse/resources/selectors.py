"""The library's reads: the filtered list and a stored file ready to download."""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from django.db.models import QuerySet

from chapterhouse.resources import filetypes
from chapterhouse.resources.models import Resource


def resources_listed(*, kind: str = "", language: str = "") -> QuerySet[Resource]:
    resources = Resource.objects.all()
    if kind:
        resources = resources.filter(kind=kind)
    if language:
        resources = resources.filter(language=language)
    return resources


@dataclass(frozen=True)
class Download:
    handle: IO[bytes]
    kind: filetypes.FileType  # judged from the stored bytes, never from the name
    name: str


def resource_download(resource_id: int) -> Download | None:
    """The resource's file, opened, with the type its content has; None without a file."""
    resource = Resource.objects.filter(pk=resource_id).first()
    if resource is None or not resource.file:
        return None
    handle = resource.file.open("rb")
    kind = filetypes.serving_type(handle.read(filetypes.HEAD_BYTES))
    handle.seek(0)
    return Download(handle, kind, filetypes.download_name(resource.filename, kind))
