"""Send tomorrow's meeting reminders. Run it every few minutes (cron, a systemd timer); running
several at once is safe: each meeting is claimed by exactly one of them."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from chapterhouse.meetings import clock
from chapterhouse.meetings.reminders import reminders_send


class Command(BaseCommand):
    help = "Email members who answered yes or maybe, a day before each meeting."

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url", default=getattr(settings, "SITE_URL", "http://127.0.0.1:8000"),
            help="The site's address, for the links in the emails.")

    def handle(self, *args, base_url: str, **options):
        base = base_url.rstrip("/")
        sent = reminders_send(now=clock.now(),
                              url_for=lambda meeting: base + reverse("meeting_detail",
                                                                    args=[meeting.pk]))
        self.stdout.write(f"{sent.emails} reminder(s) for {sent.meetings} meeting(s).")
