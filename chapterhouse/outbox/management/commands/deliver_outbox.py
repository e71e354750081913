"""`chapterhouse deliver_outbox`: send the due emails now (what the worker's task and the
periodic sweep do). Useful from cron without a worker, or after an outage."""

from typing import Any

from django.core.management.base import BaseCommand

from chapterhouse.outbox.services import outbox_deliver_due


class Command(BaseCommand):
    help = "Send the emails waiting in the outbox (as many as the rate allows)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{outbox_deliver_due()} email(s) sent.")
