"""Send tomorrow's meeting reminders. Run it every few minutes (cron, a systemd timer); running
several at once is safe: each meeting is claimed by exactly one of them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.urls import reverse

from chapterhouse.context import context_for
from chapterhouse.meetings.models import Meeting
from chapterhouse.meetings.services import reminders_send


class Command(BaseCommand):
    help = "Email members who answered yes or maybe, a day before each meeting."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--base-url", default=getattr(settings, "SITE_URL", "http://127.0.0.1:8000"),
            help="The site's address, for the links in the emails.")

    def handle(self, *args: Any, base_url: str, **options: Any) -> None:
        base = base_url.rstrip("/")

        def url_for(meeting: Meeting) -> str:
            return base + reverse("meeting_detail", args=[meeting.pk])

        sent = reminders_send(context_for(), url_for=url_for)
        self.stdout.write(f"{sent.emails} reminder(s) for {sent.meetings} meeting(s).")
