"""Writes of the job runtime: enqueueing the schedule's due slots, and the leases sweep."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string

from chapterhouse.jobs.models import ScheduledSlot
from chapterhouse.jobs.schedule import SCHEDULE, Entry

logger = logging.getLogger("chapterhouse.jobs")

# Markers older than this are history: the longest interval is a day.
SLOT_MARKERS_KEPT = timedelta(days=7)

_missing_reported: set[str] = set()


def slot_of(entry: Entry, now: datetime) -> int:
    """The entry's time slot: the number of whole intervals since the epoch."""
    return int(now.timestamp() // entry.every.total_seconds())


def schedule_enqueue_due(now: datetime, schedule: tuple[Entry, ...] = SCHEDULE) -> list[str]:
    """Enqueue every entry whose current slot has not been enqueued yet; return their names.

    The slot marker and the task are written in one transaction (the database backend keeps
    tasks in the same database), so a second scheduler's insert fails and it skips the slot.
    """
    enqueued = []
    for entry in schedule:
        try:
            job = import_string(entry.task)
        except ImportError:
            if entry.name not in _missing_reported:  # once per process, not every loop
                logger.warning("schedule entry %s skipped: %s is not installed",
                               entry.name, entry.task)
                _missing_reported.add(entry.name)
            continue
        slot = slot_of(entry, now)
        if ScheduledSlot.objects.filter(name=entry.name, slot=slot).exists():
            continue  # the usual case between slots: a read, no write attempt
        try:
            with transaction.atomic():
                ScheduledSlot.objects.create(name=entry.name, slot=slot)
                job.enqueue()
        except IntegrityError:
            continue  # another scheduler took this slot
        logger.info("enqueued %s", entry.name)
        enqueued.append(entry.name)
    return enqueued


def leases_sweep(now: datetime) -> str:
    """Take back the work of workers that stopped (expired leases) and forget old markers."""
    from chapterhouse.meetings.months import chapter_months_rebuild_resume
    from chapterhouse.planner.services import plan_runs_recover

    recovered = plan_runs_recover(now=now)
    forgotten, _ = ScheduledSlot.objects.filter(enqueued_at__lt=now - SLOT_MARKERS_KEPT).delete()
    rebuild = ", verdicts rebuild queued again" if chapter_months_rebuild_resume() else ""
    return (f"{recovered.requeued} plan run(s) queued again, {recovered.failed} failed, "
            f"{forgotten} old slot marker(s) removed{rebuild}")
