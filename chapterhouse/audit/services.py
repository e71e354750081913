"""Writing to the audit log explicitly, for what model signals do not see.

django-auditlog records every save, delete and many-to-many change of the models in
`registry.AUDITED`. This module records the rest:
- `audit_record`: an action that reveals data or is not a plain save (an export of members,
  "download my data", an erasure, the planner's "Start it").
- `audit_bulk_created`: rows written with `bulk_create`, which sends no signals.
- `audit_member_forget`: an erased member's email and name leave the entries (they stay).

The actor is who acted; inside a request it defaults to the request's user (AuditlogMiddleware
fills in entries written without one). Entries are never edited or deleted by the site.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.encoding import smart_str

# LogEntry.Action: CREATE, UPDATE, DELETE, ACCESS. Explicit actions read as one of these, and
# their own name is kept in `changes_text` (searchable in the admin) and `additional_data`.
Action = LogEntry.Action


def _pair(value: Any) -> list[str]:
    """auditlog's shape for a change: [before, after], as text ("None" for nothing)."""
    before, after = value if isinstance(value, tuple | list) and len(value) == 2 else (None, value)
    return [smart_str(before), smart_str(after)]


def audit_record(*, actor: Any = None, action: str, target: models.Model | None = None,
                 changes: Mapping[str, Any] | None = None, about: Iterable[Any] = (),
                 kind: int = Action.ACCESS) -> LogEntry:
    """Record that `actor` did `action` (a short name: "export_members", "data_download",
    "erasure", "planner_start", ...) to `target` (default: the organization, for actions on
    everyone), with `changes` as {name: value} or {name: (before, after)}. `about` lists the
    members the entry concerns besides the target (they find it in their own export).
    `kind` is auditlog's action: ACCESS for what reveals data, else CREATE, UPDATE or DELETE."""
    if target is None:
        from chapterhouse.organizations.models import Organization

        target = Organization.objects.current()
    about_ids = sorted({getattr(m, "pk", m) for m in about})
    if isinstance(target, _member_model()):
        about_ids = sorted({*about_ids, target.pk})
    return LogEntry.objects.log_create(
        target,
        force_log=True,
        action=kind,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        changes={name: _pair(value) for name, value in (changes or {}).items()},
        changes_text=action,
        additional_data={"action": action, "about": about_marker(about_ids)},
    )


def about_marker(member_ids: Iterable[int]) -> str:
    """",3,15,": the members an explicit entry is about, as text that a substring lookup finds
    on SQLite and PostgreSQL alike (selectors.audit_entries_about)."""
    ids = sorted(set(member_ids))
    return f",{','.join(str(i) for i in ids)}," if ids else ""


def audit_bulk_created(instances: Iterable[models.Model], *, actor: Any = None) -> int:
    """Record rows saved with `bulk_create` as auditlog would have recorded their creation, in
    one insert. The instances need their primary keys (re-read them if the insert ignored
    conflicts) and what their str() reads (select_related). How many entries."""
    from auditlog.cid import get_cid
    from auditlog.diff import model_instance_diff

    actor = actor if getattr(actor, "is_authenticated", False) else None
    now = timezone.now()
    entries = [
        LogEntry(content_type=ContentType.objects.get_for_model(instance),
                 object_pk=smart_str(instance.pk), object_id=instance.pk,
                 object_repr=smart_str(instance), action=Action.CREATE,
                 changes=model_instance_diff(None, instance), actor=actor,
                 actor_email=getattr(actor, "email", None), cid=get_cid(), timestamp=now)
        for instance in instances
    ]
    if not entries:
        return 0
    # The first entry is saved alone: AuditlogMiddleware's signal gives it the request's user,
    # which a bulk insert would skip. The others take the same actor, in one insert.
    first, *rest = entries
    first.save()
    for entry in rest:
        entry.actor, entry.actor_email = first.actor, first.actor_email
    LogEntry.objects.bulk_create(rest)
    return len(entries)


def audit_member_forget(*, member: Any, former_name: str, placeholder: str,
                        chapters: Iterable[models.Model] = ()) -> int:
    """For an erasure: drop the member's email from the entries they made, and their former
    name (as a whole word) from the entries about them, in their descriptions and recorded
    changes ("Ana at Vienna" -> "former member at Vienna"), and from the coordinator changes of
    the `chapters` they coordinated. The entries stay: who changed what remains answerable.
    Call it before the member's rows are deleted or lose their link to them. How many entries
    changed."""
    import json
    import re

    from chapterhouse.audit.selectors import about_member

    emails: int = LogEntry.objects.filter(actor=member).exclude(actor_email=None).update(
        actor_email=None)
    if not former_name.strip():
        return emails
    name = re.compile(rf"(?<!\w){re.escape(former_name)}(?!\w)")
    chapter_ids = [c.pk for c in chapters]
    scope = about_member(member)
    if chapter_ids:
        chapter_type = ContentType.objects.get_for_model(type(next(iter(chapters))))
        scope |= Q(content_type=chapter_type, object_id__in=chapter_ids)
    changed = []
    for entry in LogEntry.objects.filter(scope):
        text = json.dumps(entry.changes, ensure_ascii=False)
        repr_new = name.sub(placeholder, entry.object_repr)
        text_new = name.sub(placeholder, text)
        if repr_new != entry.object_repr or text_new != text:
            entry.object_repr, entry.changes = repr_new, json.loads(text_new)
            changed.append(entry)
    LogEntry.objects.bulk_update(changed, ["object_repr", "changes"], batch_size=500)
    return emails + len(changed)


def _member_model() -> type[models.Model]:
    from django.contrib.auth import get_user_model

    return get_user_model()

