"""`chapterhouse notify_polls`: tell eligible voters a poll has opened, and remind those who
have not voted a day before it closes. Run it every few minutes; each notice goes out once."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from chapterhouse.decisions.notifications import openings_send, reminders_send


class Command(BaseCommand):
    help = "Email eligible voters when a poll opens and a day before it closes."

    def handle(self, *args, **options) -> None:
        now = timezone.now()
        opened = openings_send(now=now)
        reminded = reminders_send(now=now)
        self.stdout.write(f"{opened} opening notice(s), {reminded} reminder(s).")
