"""Send the daily and weekly digests that are due (the scheduler runs it every 10 minutes as
the send_digests task); safe to run twice, or twice at once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from chapterhouse.notices.services import digests_send


class Command(BaseCommand):
    help = "Queue each member's daily or weekly email digest once their morning hour has come."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = digests_send()
        self.stdout.write(f"{sent.digests} digest(s) queued, carrying {sent.entries} notice(s).")
