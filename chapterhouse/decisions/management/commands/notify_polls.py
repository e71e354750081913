"""`chapterhouse notify_polls`: tell eligible voters a poll has opened, and remind those who
have not voted a day before it closes. Run it every few minutes; each notice goes out once, and
each member gets at most one email per run, listing all of their polls."""

from typing import Any

from django.core.management.base import BaseCommand

from chapterhouse.context import context_for
from chapterhouse.decisions.notifications import poll_notices_send


class Command(BaseCommand):
    help = "Email eligible voters when polls open and a day before they close (one per member)."

    def handle(self, *args: Any, **options: Any) -> None:
        notices = poll_notices_send(context_for())  # the system, on the organization's clock
        self.stdout.write(f"{notices.emails} email(s) queued: {notices.opened} poll(s) opened, "
                          f"{notices.closing} closing tomorrow.")
