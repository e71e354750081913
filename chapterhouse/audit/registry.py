"""Which models the audit log follows, and which fields of each: one table, read here.

Every model whose changes touch other people's data is registered with django-auditlog, which
records each save, delete and many-to-many change with its actor (the request's user, through
AuditlogMiddleware), time, object and the changed fields. Personal fields are left out by
naming the fields to record (`include_fields`): a member's row records only their roles
(never password, gender, email, city or languages).

Never registered, and a test holds it: `decisions.Ballot`, `decisions.Participation` or any
model of a ballot box. A log entry's time and actor next to a ballot would link the voter to
their choice; the voter's participation has no timestamp on purpose.

Writes that skip model signals (`bulk_create`) are recorded explicitly with
`services.audit_bulk_created`; actions that reveal data or are not plain saves (exports,
"download my data", erasure, the planner's "Start it") with `services.audit_record`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from auditlog.registry import auditlog
from django.apps import apps


@dataclass(frozen=True)
class Audited:
    model: str  # "app_label.ModelName"
    include: tuple[str, ...] = ()  # empty: every field except `exclude`
    exclude: tuple[str, ...] = ()
    m2m: frozenset[str] = field(default_factory=frozenset)
    member_field: str | None = None  # the member an entry is about (audit_entries_about)


AUDITED: tuple[Audited, ...] = (
    Audited("meetings.Attendance", member_field="member"),
    # A guest by name; never whether they counted toward the women's share (per-person gender).
    Audited("meetings.GuestAttendance", include=("meeting", "name", "recorded_by")),
    Audited("chapters.ChapterMembership", member_field="member"),
    Audited("chapters.Invitation", member_field="member"),
    Audited("chapters.JoinRequest", member_field="member"),
    Audited("chapters.CoordinatorOffer", member_field="member"),
    # An invitation by email: the address and the link's hash stay out of the log.
    Audited("chapters.EmailInvitation", include=("chapter", "invited_by", "expires_on",
                                                 "status", "answered_at")),
    Audited("chapters.Chapter", include=("name", "slug", "place", "parent", "origin",
                                         "affiliated_from", "founded_on"),
            m2m=frozenset({"coordinators"})),
    Audited("organizing.Organizer", member_field="member"),
    Audited("decisions.Poll", include=(
        "title", "kind", "level", "region", "chapter", "opens_at", "closes_at", "seats",
        "max_choices", "max_score", "quorum", "pass_threshold", "max_blocks", "secret",
        "results_shown", "changeable", "created_by", "closed_at", "withdrawn_at",
        "withdrawn_reason")),  # never `salt` (it seals ballots), `result` or counts
    Audited("decisions.EndorsementPlan", member_field="member"),
    Audited("resources.Resource"),
    Audited("organizations.Organization"),  # the rule, and with it what may be shown
    Audited("goals.GoalSet"),
    Audited("members.Member", include=("is_active", "is_staff", "is_superuser",
                                       "is_resource_editor", "erased_at", "groups",
                                       "user_permissions"),
            m2m=frozenset({"groups", "user_permissions"})),
)

# Models whose rows, stored or logged with a time and an actor, would undo the secret ballot.
NEVER_AUDITED = frozenset({"decisions.Ballot", "decisions.Participation"})


def register_audited_models() -> None:
    for entry in AUDITED:
        model = apps.get_model(entry.model)
        auditlog.register(model, include_fields=list(entry.include) or None,
                          exclude_fields=list(entry.exclude) or None,
                          m2m_fields=set(entry.m2m) or None)


def member_fields() -> dict[str, str]:
    """`app_label.ModelName` -> the field naming the member each row is about."""
    return {entry.model: entry.member_field for entry in AUDITED if entry.member_field}
