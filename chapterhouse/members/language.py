"""Which language to write to a member in, and in which time zone to show them times."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings

if TYPE_CHECKING:
    from chapterhouse.members.models import Member

SITE_LANGUAGES = {code for code, _name in settings.LANGUAGES}


def member_language(member: Member | None) -> str:
    """The first of the member's languages that the site speaks, else (or for no member) the
    site's default."""
    languages: list[str] = (member.languages if member is not None else None) or []
    for written in languages:
        code = written.lower()
        if code in SITE_LANGUAGES:
            return code
        if code.split("-")[0] in SITE_LANGUAGES:
            return code.split("-")[0]
        if code == "pt":
            return "pt-br"
        if code == "zh":
            return "zh-hans"
    return str(settings.LANGUAGE_CODE)


def viewer_zone(user: Any, fallback: str) -> str:
    """The reader's zone (their city's) when logged in with a city, else `fallback`."""
    return str(user.time_zone(fallback)) if user.is_authenticated else fallback
