"""`chapterhouse close_polls`: the background job that closes polls whose time is up.

Run it every minute (cron, a systemd timer). Each close is claimed under a row lock, so
overlapping runs never close a poll twice; the result is frozen and announced by email.
First it counts the sealed box of every open secret poll holding at least SECRET_BALLOT_BATCH
new ballots (normally a vote's own commit does that; this catches one that failed).
"""

from typing import Any

from django.core.management.base import BaseCommand

from chapterhouse.context import context_for
from chapterhouse.decisions.services import ballot_boxes_move_due, polls_close_due


class Command(BaseCommand):
    help = "Close every poll whose closing time has passed, freeze its result, announce it."

    def handle(self, *args: Any, **options: Any) -> None:
        moved = ballot_boxes_move_due()
        if moved:
            self.stdout.write(f"{moved} secret ballot box(es) counted.")
        closed = polls_close_due(context_for())  # the system, on the organization's clock
        self.stdout.write(f"{closed} poll(s) closed.")
