"""`chapterhouse scheduler`: enqueue the periodic jobs of jobs/schedule.py at their intervals.

Run one (a service beside the worker). A second one by mistake does no harm: each slot of each
job is enqueued once (a unique marker per slot).
"""

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, close_old_connections
from django.utils import timezone

from chapterhouse.jobs.services import schedule_enqueue_due


class Command(BaseCommand):
    help = "Enqueue periodic jobs (poll closing, notices, reminders, purges, outbox, leases)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="enqueue what is due, then exit")
        parser.add_argument("--interval", type=float, default=5.0,
                            help="seconds between looks at the schedule (default 5)")

    def handle(self, *args: Any, once: bool, interval: float, **options: Any) -> None:
        if not 0.1 <= interval <= 3600:
            self.stderr.write("--interval must be between 0.1 and 3600 seconds.")
            raise SystemExit(2)
        logger = logging.getLogger("chapterhouse.jobs")
        if not logger.hasHandlers():  # without LOGGING, still say what is skipped
            handler = logging.StreamHandler(self.stderr)
            handler.setLevel(logging.WARNING)  # what is enqueued goes to stdout below
            logger.addHandler(handler)
        logger.info("scheduler started (every %ss%s)", interval, ", once" if once else "")
        while True:
            try:
                enqueued = schedule_enqueue_due(timezone.now())
                logger.debug("scheduler tick: %d job(s) enqueued", len(enqueued))
                for name in enqueued:
                    self.stdout.write(f"enqueued {name}")
            except DatabaseError:
                if once:
                    raise
                # The database is away (a restart, a failover): say so, and try again later.
                logger.exception("the scheduler could not reach the database; retrying")
                close_old_connections()
            self.stdout.flush()
            if once:
                return
            time.sleep(interval)
