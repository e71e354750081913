"""Which language to write to a member in."""

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
