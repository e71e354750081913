"""Run queued planner runs in this process (for manual use; normally `chapterhouse db_worker`
runs them as tasks). Runs whose worker stopped are queued again first (the leases sweep)."""

import math
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from chapterhouse.context import context_for
from chapterhouse.core.reasons import explain_english
from chapterhouse.planner.services import (
    plan_run_claim_next,
    plan_run_execute,
    plan_runs_recover,
)


class Command(BaseCommand):
    help = "Run queued growth-planner jobs; with --forever, keep polling."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--forever", action="store_true", help="poll until stopped")
        parser.add_argument("--interval", type=float, default=2.0, help="seconds between polls")

    def handle(self, *args: Any, forever: bool, interval: float, **options: Any) -> None:
        if not (math.isfinite(interval) and 0 < interval <= 3600):
            raise CommandError(f"--interval must be between 0 and 3600 seconds, not {interval}",
                               returncode=2)
        while True:
            plan_runs_recover(now=timezone.now())
            run = plan_run_claim_next()
            if run is not None:
                run = plan_run_execute(context_for(), run=run)
                said = explain_english(run.reason) if run.reason else ""
                self.stdout.write(f"plan run {run.pk}: {run.status} {said}".rstrip())
                continue
            if not forever:
                return
            time.sleep(interval)
