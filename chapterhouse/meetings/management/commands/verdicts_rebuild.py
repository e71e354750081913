"""Recompute every chapter's stored month results (meetings.ChapterMonth) from attendance.

The rows are kept true as attendance changes (meetings/months.py); run this after writing
attendance around the application (a restore, rows written in SQL)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from chapterhouse.meetings.months import chapter_months_rebuild


class Command(BaseCommand):
    help = "Recompute every chapter's month results (what verdicts read) from attendance."

    def handle(self, *args: Any, **options: Any) -> None:
        chapters, rows = chapter_months_rebuild()
        self.stdout.write(f"{chapters} chapter(s), {rows} month row(s) rebuilt.")
