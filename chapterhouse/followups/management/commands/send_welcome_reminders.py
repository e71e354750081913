"""Remind coordinators (then organizers) of new members waiting 48 hours for a welcome. The
scheduler runs it as the `welcome_reminders` job; running it again, or twice at once, sends
nothing twice."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.urls import reverse

from chapterhouse.chapters.models import Chapter
from chapterhouse.context import context_for
from chapterhouse.followups.services import welcome_reminders_send


class Command(BaseCommand):
    help = "Email coordinators, then organizers, about new members not welcomed in 48 hours."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--base-url", default=getattr(settings, "SITE_URL", "http://127.0.0.1:8000"),
            help="The site's address, for the links in the emails.")

    def handle(self, *args: Any, base_url: str, **options: Any) -> None:
        base = base_url.rstrip("/")

        def link_for(chapter: Chapter) -> str:
            return base + reverse("followups_chapter", args=[chapter.slug])

        sent = welcome_reminders_send(context_for(), link_for=link_for)
        self.stdout.write(f"{sent.coordinators} email(s) to coordinators, {sent.organizers} "
                          f"to organizers, about {sent.people} new member(s)")
