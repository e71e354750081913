"""Which language to write to a member in, and in which time zone to show them times."""

from django.conf import settings

SITE_LANGUAGES = {code for code, _name in settings.LANGUAGES}


def member_language(member) -> str:
    """The first of the member's languages that the site speaks, else the site's default."""
    for code in member.languages or []:
        code = code.lower()
        if code in SITE_LANGUAGES:
            return code
        if code.split("-")[0] in SITE_LANGUAGES:
            return code.split("-")[0]
        if code == "pt":
            return "pt-br"
        if code == "zh":
            return "zh-hans"
    return settings.LANGUAGE_CODE


def viewer_zone(user, fallback: str) -> str:
    """The reader's zone (their city's) when logged in with a city, else `fallback`."""
    return user.time_zone(fallback) if user.is_authenticated else fallback
