"""The one schedule of periodic work: what `chapterhouse scheduler` enqueues, and how often.

Each entry names a django-tasks task by its dotted path, so an entry whose module is not
installed (yet) is skipped with a log line instead of stopping the scheduler.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class Entry:
    name: str
    every: timedelta
    task: str  # dotted path of a django-tasks Task


SCHEDULE: tuple[Entry, ...] = (
    Entry("close_polls", timedelta(minutes=1), "chapterhouse.jobs.tasks.close_polls"),
    Entry("notify_polls", timedelta(minutes=5), "chapterhouse.jobs.tasks.notify_polls"),
    Entry("send_reminders", timedelta(minutes=5), "chapterhouse.jobs.tasks.send_reminders"),
    Entry("purge_stale", timedelta(days=1), "chapterhouse.jobs.tasks.purge_stale"),
    Entry("outbox_deliver", timedelta(minutes=1), "chapterhouse.outbox.services.outbox_deliver"),
    Entry("import_invitations", timedelta(minutes=1),
          "chapterhouse.jobs.tasks.import_invitations_send"),
    # Every 10 minutes: each member's digest leaves in the first run after their morning hour.
    Entry("send_digests", timedelta(minutes=10), "chapterhouse.jobs.tasks.send_digests"),
    Entry("welcome_reminders", timedelta(minutes=30), "chapterhouse.jobs.tasks.welcome_reminders"),
    # Hourly: a chapter's month ends at its own midnight; each warning is sent once.
    Entry("notify_at_risk", timedelta(hours=1), "chapterhouse.jobs.tasks.notify_at_risk"),
    Entry("sweep_leases", timedelta(minutes=1), "chapterhouse.jobs.tasks.sweep_leases"),
    Entry("settle_splits", timedelta(hours=1), "chapterhouse.jobs.tasks.settle_splits"),
)
