"""Each chapter's month results, stored (ChapterMonth) so that verdicts read one row per
chapter and month instead of every attendance row.

The rule itself is pure (domain.qualification.month_results); this module reads a chapter's
meetings and attendance, applies it, and writes the rows. It lives in `meetings`, which owns
attendance, so that every write of attendance can keep the rows true without reaching up to
`verdicts` (which reads them). Writes reach it three ways:

- the signal receivers below (an attendance, a guest or a meeting saved or deleted, a
  member's gender changed, the organization's rule changed): every write through the ORM,
  the services, the admin and erasure included;
- `months_deferred()`, which services that write many rows wrap around their writes, so that
  a chapter is recomputed once at the end rather than once per row;
- `chapter_months_refresh()` after a `bulk_create` (which sends no signal): the meeting
  services, the demo seeders and `chapterhouse verdicts_rebuild`.

A chapter is always recomputed whole: at the size Chapterhouse serves a chapter has about a
thousand attendance rows, three queries' worth.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from zoneinfo import ZoneInfo

from django.db import transaction

from chapterhouse.chapters.models import Chapter
from chapterhouse.domain import qualification
from chapterhouse.domain.qualification import Attendee, MeetingRecord, MonthResult, Rule
from chapterhouse.meetings.models import Attendance, ChapterMonth, GuestAttendance, Meeting
from chapterhouse.organizations.models import Organization

logger = logging.getLogger(__name__)

REBUILD_BATCH = 200  # chapters recomputed per round of queries by the rebuild


def rule_key(rule: Rule) -> str:
    """What a stored month depends on in the rule (not the number of months, applied when
    read): "5|3/10|woman"."""
    return f"{rule.min_attendees}|{rule.share}|{','.join(sorted(rule.counted_genders))}"


def meeting_records(chapter_ids: Iterable[int], *, until: datetime.date | None = None
                    ) -> dict[int, list[MeetingRecord]]:
    """Each chapter's meetings (before `until`, with a day of margin: the chapter's own zone
    decides the month and the rule filters exactly) with their attendees, members and guests,
    in three queries."""
    chapter_ids = list(chapter_ids)
    meetings = Meeting.objects.filter(chapter_id__in=chapter_ids)
    if until is not None:
        meetings = meetings.filter(starts_at__lt=datetime.datetime.combine(
            until + datetime.timedelta(days=1), datetime.time.min, tzinfo=datetime.UTC))
    attendees: dict[int, list[Attendee]] = defaultdict(list)
    rows = Attendance.objects.filter(meeting__in=meetings).values_list(
        "meeting_id", "member_id", "member__gender")
    for meeting_id, member_id, gender in rows.iterator(chunk_size=5000):
        attendees[meeting_id].append(Attendee(str(member_id), gender or None))
    guests = GuestAttendance.objects.filter(meeting__in=meetings).values_list(
        "meeting_id", "pk", "counts_toward_share")
    for meeting_id, guest_id, counts in guests.iterator(chunk_size=5000):
        attendees[meeting_id].append(Attendee(f"guest-{guest_id}", None, counts))
    records: dict[int, list[MeetingRecord]] = {pk: [] for pk in chapter_ids}
    for pk, chapter_id, starts_at in meetings.values_list("pk", "chapter_id", "starts_at"):
        records[chapter_id].append(MeetingRecord(str(pk), starts_at, tuple(attendees[pk])))
    return records


def month_row(chapter_id: int, result: MonthResult, *, key: str, zone: str) -> ChapterMonth:
    check = result.check
    best = check.best
    assert best is not None  # a stored month had a meeting
    return ChapterMonth(
        chapter_id=chapter_id, month=check.month, rule_key=key, zone=zone,
        meetings=check.meetings, best_meeting=int(best.meeting), best_start=best.start,
        best_attendees=best.attendees, best_counted=best.counted, best_guests=best.guests,
        enough_attendees=check.enough_attendees, enough_women=check.enough_women,
        attendees=result.attendees, counted=result.counted, run=result.run)


def month_check(row: ChapterMonth) -> qualification.MonthCheck:
    """A stored month as the rule's MonthCheck (equal to the one computed from attendance)."""
    best = qualification.MeetingCount(str(row.best_meeting), row.best_start,
                                      row.best_attendees, row.best_counted, row.best_guests)
    return qualification.MonthCheck(row.month, row.meetings, best, row.enough_attendees,
                                    row.enough_women)


def chapter_months_refresh(chapter_ids: Iterable[int], *, rule: Rule | None = None) -> int:
    """Recompute the stored months of these chapters from their attendance; rows written."""
    ids = sorted(set(chapter_ids))
    if not ids:
        return 0
    rule = rule or Organization.objects.current().rule
    key = rule_key(rule)
    zones = dict(Chapter.objects.filter(pk__in=ids).values_list("pk", "place__timezone"))
    records = meeting_records(list(zones))
    rows = [month_row(pk, result, key=key, zone=zone)
            for pk, zone in zones.items()
            for result in qualification.month_results(
                records[pk], rule, ZoneInfo(zone)).values()]
    with transaction.atomic():
        ChapterMonth.objects.filter(chapter_id__in=ids).delete()
        ChapterMonth.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def chapter_months_rebuild(*, rule: Rule | None = None) -> tuple[int, int]:
    """Recompute every chapter's stored months; (chapters, rows)."""
    rule = rule or Organization.objects.current().rule
    ids = list(Chapter.objects.order_by("pk").values_list("pk", flat=True))
    written = 0
    with transaction.atomic():
        for start in range(0, len(ids), REBUILD_BATCH):
            written += chapter_months_refresh(ids[start:start + REBUILD_BATCH], rule=rule)
    logger.info("chapter months rebuilt: %d chapter(s), %d month row(s)", len(ids), written)
    return len(ids), written


# Deferring: services that write many rows recompute each chapter once, at the end.

_pending: ContextVar[set[int] | None] = ContextVar("chapter_months_pending", default=None)


@contextmanager
def months_deferred() -> Iterator[None]:
    """Inside, changes only note their chapter; on leaving, each noted chapter is recomputed
    once (nested blocks recompute when the outermost one ends)."""
    if _pending.get() is not None:
        yield
        return
    token = _pending.set(set())
    try:
        yield
        noted = _pending.get() or set()
    finally:
        _pending.reset(token)
    chapter_months_refresh(noted)


def chapter_changed(chapter_id: int | None) -> None:
    """A chapter's attendance changed: recompute it now, or at the end of months_deferred()."""
    if chapter_id is None:
        return
    pending = _pending.get()
    if pending is not None:
        pending.add(chapter_id)
    else:
        chapter_months_refresh([chapter_id])
