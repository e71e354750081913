"""Reading the audit log."""

from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from chapterhouse.audit.registry import member_fields


def audit_entries_about(member: Any) -> QuerySet[LogEntry]:
    """The entries about `member`, oldest first, for their own "download my data": what they
    did, changes to their account's roles, to their rows (attendance, memberships,
    invitations, join requests, organizer and endorsement records) and explicit entries that
    name them. Entries about rows since deleted are found only if they name the member."""
    entries: QuerySet[LogEntry] = (
        LogEntry.objects.filter(Q(actor=member) | about_member(member))
        .select_related("content_type", "actor").order_by("timestamp", "pk"))
    return entries


def about_member(member: Any) -> Q:
    """Entries whose object is the member or one of their rows, or that name them."""
    query = (Q(content_type=ContentType.objects.get_for_model(get_user_model()),
               object_id=member.pk)
             | Q(additional_data__about__icontains=f",{member.pk},"))
    for label, field in member_fields().items():
        model = apps.get_model(label)
        query |= Q(content_type=ContentType.objects.get_for_model(model),
                   object_id__in=model.objects.filter(**{field: member}).values("pk"))
    return query
