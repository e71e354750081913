"""Who has an organizing role: staff (international coordination), active organizers and
chapter coordinators. They may use the planner and start coordination calls."""

from __future__ import annotations

from chapterhouse.organizing.models import Organizer


def may_organize(user) -> bool:
    if not user.is_authenticated:
        return False
    return (user.is_staff or Organizer.objects.filter(member=user, active=True).exists()
            or user.coordinated_chapters.exists())
