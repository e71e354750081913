"""Adding to the shared library: resource editors and staff only (domain/roles.py)."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction

from chapterhouse.domain.roles import Capability
from chapterhouse.organizations.context import Context
from chapterhouse.resources.models import Resource

logger = logging.getLogger(__name__)


def resource_add(ctx: Context, *, title: str, kind: str, language: str, description: str = "",
                 file: File[Any] | None = None, link: str = "") -> Resource:
    """A file (already judged by its content: resources.forms, models.validate_upload) or a
    link, in one language."""
    if not ctx.actor.may(Capability.RESOURCE_ADD):
        raise PermissionDenied
    with transaction.atomic():
        resource = Resource(title=title, description=description, kind=kind,
                            language=language, link=link, added_by=ctx.actor.member)
        if file:
            resource.file = file
        resource.save()
    logger.info("resource %s added", resource.pk)
    return resource
