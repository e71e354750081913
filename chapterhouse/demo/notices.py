"""Demo email preferences and digests (issue 13): a few members with choices set and notices
waiting for their next daily or weekly digest, so the settings page and the job show them."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from chapterhouse.members.models import Member
from chapterhouse.notices.kinds import Category, Frequency
from chapterhouse.notices.models import DigestEntry, Preference


def site_link(view: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(view)  # relative without SITE_URL


def seed_notices(coordinator_email: str) -> None:
    members = [Member.objects.get(email=coordinator_email),
               *Member.objects.exclude(email=coordinator_email).filter(
                   is_staff=False, place__isnull=False).order_by("pk")[:5]]
    now = timezone.now()
    choices = [(Category.POLLS, Frequency.WEEKLY), (Category.MEETINGS, Frequency.DAILY),
               (Category.HELPBOARD, Frequency.NEVER)]
    for n, member in enumerate(members):
        category, frequency = choices[n % len(choices)]
        Preference.objects.update_or_create(member=member, category=category,
                                            defaults={"frequency": frequency})
        polls_frequency = Frequency.WEEKLY if category == Category.POLLS else Frequency.DAILY
        DigestEntry.objects.bulk_create([
            DigestEntry(member=member, category=Category.POLLS, kind="poll_opening",
                        frequency=polls_frequency, subject=subject,
                        link=site_link("polls"), created_at=now)
            for subject in ("Poll open: Adopt the 2027 budget",
                            "Poll closes tomorrow: Elect the regional coordinators")])
        if category == Category.MEETINGS:
            DigestEntry.objects.create(
                member=member, category=Category.MEETINGS, kind="meeting_changed",
                frequency=Frequency.DAILY, subject="Meeting moved: Thursday 19:00",
                link=site_link("my_meetings"), created_at=now)
