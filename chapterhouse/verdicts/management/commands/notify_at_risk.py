"""Tell the coordinators and organizer of each chapter at risk (domain/risk.py), once per
chapter, month and reason. The scheduler runs it hourly (jobs/schedule.py); running it again,
or twice at once, tells nobody twice."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from chapterhouse.context import context_for
from chapterhouse.verdicts.notices import risk_notices_send


class Command(BaseCommand):
    help = "Email the coordinators and organizer of chapters at risk of lapsing this month."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = risk_notices_send(context_for())
        self.stdout.write(f"{sent.emails} health warning(s) for {sent.chapters} chapter(s)")
