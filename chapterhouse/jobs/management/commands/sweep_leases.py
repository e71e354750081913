"""`chapterhouse sweep_leases`: take back now the work of stopped workers (the scheduler also
enqueues this every minute)."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from chapterhouse.jobs.services import leases_sweep


class Command(BaseCommand):
    help = "Queue again (or fail, after the last attempt) plan runs whose worker stopped."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(leases_sweep(now=timezone.now()))
