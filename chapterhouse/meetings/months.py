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
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from django_tasks import task

from chapterhouse.chapters.models import Chapter
from chapterhouse.domain import qualification
from chapterhouse.domain.qualification import Attendee, MeetingRecord, MonthResult, Rule
from chapterhouse.meetings.models import Attendance, ChapterMonth, GuestAttendance, Meeting
from chapterhouse.organizations.figures import figures_changed
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
    in three queries. A cancelled meeting never counts, whatever was recorded at it."""
    chapter_ids = list(chapter_ids)
    meetings = Meeting.objects.filter(chapter_id__in=chapter_ids).held()
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
        figures_changed()  # the dashboard's figures read these rows
    return len(rows)


def chapter_months_stale(rule: Rule) -> QuerySet[ChapterMonth]:
    """Stored months written under another rule than `rule` (the rule just changed)."""
    return ChapterMonth.objects.exclude(rule_key=rule_key(rule))


@dataclass(frozen=True)
class RebuildProgress:
    stale: int  # chapters whose months still hold for another rule
    chapters: int  # chapters with stored months

    @property
    def done(self) -> int:
        return self.chapters - self.stale


def chapter_months_progress(rule: Rule | None = None) -> RebuildProgress:
    """How far the rebuild after a change of the rule has come: two counts."""
    rule = rule or Organization.objects.current().rule
    return RebuildProgress(
        stale=chapter_months_stale(rule).values("chapter_id").distinct().count(),
        chapters=ChapterMonth.objects.values("chapter_id").distinct().count())


def chapter_months_rebuild_stale(*, rule: Rule | None = None) -> tuple[int, int]:
    """Recompute the chapters whose stored months hold for another rule, REBUILD_BATCH at a
    time, each batch in its own transaction: a worker stopped halfway leaves every chapter
    whole (all its months under the old rule, which readers recompute from attendance, or all
    under the new), and running this again finishes the rest. Two workers at once take
    different chapters (the rows are locked, the locked skipped, on PostgreSQL).
    (chapters, rows)."""
    rule = rule or Organization.objects.current().rule
    chapters = written = 0
    while True:
        ids = list(chapter_months_stale(rule).order_by("chapter_id")
                   .values_list("chapter_id", flat=True).distinct()[:REBUILD_BATCH])
        if not ids:
            break
        with transaction.atomic():
            mine = list(Chapter.objects.select_for_update(skip_locked=True)
                        .filter(pk__in=ids).values_list("pk", flat=True))
            written += chapter_months_refresh(mine, rule=rule)
        if not mine:  # another worker holds them all: it finishes them
            break
        chapters += len(mine)
        cache.set(REBUILD_ALIVE_KEY, 1, REBUILD_ALIVE_SECONDS)  # a heartbeat for the sweep
        logger.info("chapter months rebuild: %d chapter(s) done, %d row(s)", chapters, written)
    cache.delete(REBUILD_ALIVE_KEY)
    logger.info("chapter months rebuilt for the new rule: %d chapter(s), %d month row(s)",
                chapters, written)
    return chapters, written


@task()
def chapter_months_rebuild_work() -> str:
    """The task a change of the rule enqueues (and the scheduler, to finish one a stopped
    worker left): recompute the stale chapters under the organization's current rule."""
    chapters, rows = chapter_months_rebuild_stale()
    return f"{chapters} chapter(s), {rows} row(s)"


# A rebuild task renews this key after each batch. The leases sweep (every minute) enqueues the
# rebuild again when months are still stale and no task has renewed it for this long: its
# worker stopped, or its task was lost.
REBUILD_ALIVE_KEY = "meetings:months-rebuild:alive"
REBUILD_ALIVE_SECONDS = 120


def chapter_months_rebuild_resume() -> bool:
    """Enqueue the rebuild again if a change of the rule left months stale and no worker is
    at it; True if it did (the leases sweep calls this)."""
    organization = Organization.objects.order_by("pk").first()
    if organization is None or cache.get(REBUILD_ALIVE_KEY) or not (
            chapter_months_stale(organization.rule).exists()):
        return False
    cache.set(REBUILD_ALIVE_KEY, 1, REBUILD_ALIVE_SECONDS)  # time for the new task to start
    transaction.on_commit(lambda: chapter_months_rebuild_work.enqueue())
    logger.warning("chapter months: a rebuild was left unfinished; queued again")
    return True


_queued: ContextVar[bool] = ContextVar("chapter_months_queued", default=False)


@contextmanager
def months_rebuild_queued() -> Iterator[None]:
    """Inside (a web request that changes the rule: the organization's admin), a new rule
    enqueues the rebuild as a task rather than doing it before the response: at ten thousand
    chapters it takes minutes."""
    token = _queued.set(True)
    try:
        yield
    finally:
        _queued.reset(token)


def chapter_months_rule_changed(rule: Rule) -> None:
    """The rule changed: rebuild now, or, inside months_rebuild_queued(), enqueue the task once
    the change is committed. Until rebuilt, no reader shows a month stored under the old rule
    (verdicts/selectors.py recomputes those chapters from attendance)."""
    if _queued.get():
        cache.set(REBUILD_ALIVE_KEY, 1, REBUILD_ALIVE_SECONDS)  # time for the task to start
        transaction.on_commit(lambda: chapter_months_rebuild_work.enqueue())
    else:
        chapter_months_rebuild(rule=rule)


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
