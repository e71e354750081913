"""Keep the stored months (meetings/months.py) true on every write through the ORM: the
services, the admin, erasure and deletion of a member (its attendance goes with it) all save
or delete rows, and each such row names its chapter. `bulk_create` and `update()` send no
signal; their callers call `chapter_months_refresh` themselves.

The same writes, and those of members, memberships, chapters and the organization, make the
dashboard's cached figures stale (organizations/figures.py): the receivers below replace their
version. They sit here, beside the months' receivers, so that the demo's seeders suspend both
at once (months_suspended) and Django deletes their rows in bulk.

Also: a member leaving a chapter (chapters.signals.membership_ended) withdraws their RSVPs to
its upcoming meetings, in the leaving transaction."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save

from chapterhouse.chapters.models import Chapter, ChapterMembership
from chapterhouse.chapters.signals import membership_ended
from chapterhouse.meetings.models import (
    Attendance,
    ChapterMonth,
    GuestAttendance,
    Meeting,
    Rsvp,
)
from chapterhouse.meetings.months import (
    chapter_changed,
    chapter_months_rebuild,
    chapter_months_rule_changed,
    rule_key,
)
from chapterhouse.members.models import Member
from chapterhouse.organizations.figures import figures_changed
from chapterhouse.organizations.models import Organization


def _skipped(kwargs: dict[str, Any]) -> bool:
    """A fixture load, or a row deleted with its whole chapter (nothing left to store)."""
    origin = kwargs.get("origin")
    return bool(kwargs.get("raw")) or isinstance(origin, Chapter) or (
        isinstance(origin, QuerySet) and origin.model is Chapter)


def _attendee_changed(sender: type, instance: Attendance | GuestAttendance, **kwargs: Any
                      ) -> None:
    if _skipped(kwargs):
        return
    meeting = instance._state.fields_cache.get("meeting")
    chapter_id = meeting.chapter_id if meeting is not None else (
        Meeting.objects.filter(pk=instance.meeting_id).values_list("chapter_id", flat=True)
        .first())
    chapter_changed(chapter_id)


def _meeting_changed(sender: type, instance: Meeting, **kwargs: Any) -> None:
    if _skipped(kwargs):
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and not {"starts_at", "chapter", "cancelled_at"} & set(
            update_fields):
        return
    chapter_changed(instance.chapter_id)
    moved_from = getattr(instance, "_stored_chapter_id", None)
    if moved_from is not None and moved_from != instance.chapter_id:
        chapter_changed(moved_from)
    instance._stored_chapter_id = instance.chapter_id


def _member_changed(sender: type, instance: Member, created: bool = False, **kwargs: Any
                    ) -> None:
    """A member's gender decides whether they count toward the share at every meeting they
    came to (an erased member keeps it: nothing changes then)."""
    before = getattr(instance, "_stored_gender", None)
    instance._stored_gender = instance.gender
    if created or kwargs.get("raw") or before is None or before == instance.gender:
        return
    for chapter_id in set(Attendance.objects.filter(member=instance)
                          .values_list("meeting__chapter_id", flat=True)):
        chapter_changed(chapter_id)


def _organization_changed(sender: type, instance: Organization, **kwargs: Any) -> None:
    """A new rule (minimum, share, counted genders) rebuilds every stored month; until then
    no reader shows a month stored under another rule (verdicts/selectors.py)."""
    if kwargs.get("raw"):
        return
    if ChapterMonth.objects.exclude(rule_key=rule_key(instance.rule)).exists():
        chapter_months_rule_changed(instance.rule)  # now, or as a task (the admin)


# What a member is counted by on the dashboard (goals/snapshot.py): not their last login.
MEMBER_FIGURE_FIELDS = {"is_active", "joined_on", "place", "place_id", "gender"}


def _figures_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if kwargs.get("raw") or (sender is Member and update_fields is not None
                             and not MEMBER_FIGURE_FIELDS & set(update_fields)):
        return
    figures_changed()


def _membership_ended(sender: type, membership: ChapterMembership,
                      after: datetime.datetime, **kwargs: Any) -> None:
    """A member left: their answers to the chapter's meetings that start after `after` go (a
    former member is not coming, and must not count in the yes/maybe totals nor be told of
    changes). Answers to meetings that started, and attendance, are history and stay."""
    Rsvp.objects.filter(member_id=membership.member_id, meeting__chapter_id=membership.chapter_id,
                        meeting__starts_at__gt=after).delete()


def connect_membership() -> None:
    """Not a months receiver: months_suspended leaves it connected."""
    membership_ended.connect(_membership_ended, sender=ChapterMembership,
                             dispatch_uid="meetings-membership-ended")


def connect() -> None:
    for signal, receiver, sender, uid in _receivers():
        signal.connect(receiver, sender=sender, dispatch_uid=uid)


def disconnect() -> None:
    for signal, _receiver, sender, uid in _receivers():
        signal.disconnect(sender=sender, dispatch_uid=uid)


@contextmanager
def months_suspended(*, rebuild: bool = True) -> Iterator[None]:
    """For the demo's seeders, which delete and write millions of rows: no receiver (so that
    Django deletes in bulk rather than row by row), then every chapter's months rebuilt (unless
    `rebuild=False`: the seeder wrote them itself). Process-wide: for commands, never in a web
    request."""
    disconnect()
    try:
        yield
    finally:
        connect()
        figures_changed()  # the figures' receivers were off too
    if rebuild:
        chapter_months_rebuild()


def _receivers() -> list[tuple[Any, Any, type, str]]:
    return [
        *((signal, _attendee_changed, model, f"months-{name}-{model.__name__}")
          for model in (Attendance, GuestAttendance)
          for signal, name in ((post_save, "save"), (post_delete, "delete"))),
        (post_save, _meeting_changed, Meeting, "months-save-meeting"),
        (post_delete, _meeting_changed, Meeting, "months-delete-meeting"),
        (post_save, _member_changed, Member, "months-member"),
        (post_save, _organization_changed, Organization, "months-organization"),
        *((signal, _figures_changed, model, f"figures-{name}-{model.__name__}")
          for model in (Member, ChapterMembership, Chapter, Organization)
          for signal, name in ((post_save, "save"), (post_delete, "delete"))),
    ]
