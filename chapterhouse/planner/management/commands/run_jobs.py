"""The planner's worker: claims queued runs and executes them (no broker needed)."""

import time

from django.core.management.base import BaseCommand

from chapterhouse.planner.jobs import next_queued, plan_run_execute


class Command(BaseCommand):
    help = "Run queued growth-planner jobs; with --forever, keep polling."

    def add_arguments(self, parser):
        parser.add_argument("--forever", action="store_true", help="poll until stopped")
        parser.add_argument("--interval", type=float, default=2.0, help="seconds between polls")

    def handle(self, *args, forever: bool, interval: float, **options):
        while True:
            run = next_queued()
            if run is not None:
                run = plan_run_execute(run)
                self.stdout.write(f"plan run {run.pk}: {run.status} {run.message}".rstrip())
                continue
            if not forever:
                return
            time.sleep(interval)
