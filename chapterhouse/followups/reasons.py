"""Words for the engagement ladder (domain/engagement.py): the rungs, their rules, and why a
person is on the follow-up queue. Registered by FollowupsConfig.ready()."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from chapterhouse.core.reasons import Words
from chapterhouse.domain.engagement import Need, Rung

RUNG_NAMES = {
    Rung.NOT_REACHED: pgettext_lazy("engagement rung", "Not reached yet"),
    Rung.NEW: pgettext_lazy("engagement rung", "New"),
    Rung.WELCOMED: pgettext_lazy("engagement rung", "Welcomed"),
    Rung.ATTENDED: pgettext_lazy("engagement rung", "Attended"),
    Rung.REGULAR: pgettext_lazy("engagement rung", "Regular"),
    Rung.CORE: pgettext_lazy("engagement rung", "Core"),
}

RUNG_RULES = {
    Rung.NOT_REACHED: gettext_lazy(
        "Joined 14 days ago or more, never welcomed and never came to a meeting."),
    Rung.NEW: gettext_lazy("Joined in the last 14 days (the day they joined counts as the "
                           "first)."),
    Rung.WELCOMED: gettext_lazy("Someone of the chapter talked with them: a welcome or a "
                                "conversation is logged."),
    Rung.ATTENDED: gettext_lazy("Came to at least one of the chapter's meetings."),
    Rung.REGULAR: gettext_lazy(
        "Came to a meeting in each of the last 3 calendar months: this month and the two "
        "before it if they already came this month, otherwise the three months before this "
        "one."),
    Rung.CORE: gettext_lazy("Coordinates the chapter or is an organizer."),
}

NEED_NAMES = {
    Need.WELCOME: gettext_lazy("Waiting for a welcome"),
    Need.NO_SHOW: gettext_lazy("Said yes, did not come"),
    Need.LAPSED: gettext_lazy("A regular who stopped coming"),
}


def _day(iso: str) -> str:
    return date_format(datetime.date.fromisoformat(iso))


def _welcome(p: Mapping[str, Any]) -> str:
    return ngettext(
        "Joined %(days)s day ago (%(hours)s hours) and nobody has welcomed them yet.",
        "Joined %(days)s days ago (%(hours)s hours) and nobody has welcomed them yet.",
        p["days"]) % {"days": p["days"], "hours": p["hours"]}


def _no_show(p: Mapping[str, Any]) -> str:
    return ngettext(
        "Said yes to %(count)s meeting and did not come (the last on %(last)s); has not come "
        "since.",
        "Said yes to %(count)s meetings and did not come (the last on %(last)s); has not come "
        "since.", p["count"]) % {"count": p["count"], "last": _day(p["last"])}


def _lapsed(p: Mapping[str, Any]) -> str:
    return ngettext(
        "A regular who has missed the meetings of %(months)s month since coming on %(last)s.",
        "A regular who has missed the meetings of %(months)s months since coming on %(last)s.",
        p["months"]) % {"months": p["months"], "last": _day(p["last"])}


WORDS: dict[str, Words] = {
    "followups.welcome": _welcome,
    "followups.no_show": _no_show,
    "followups.lapsed": _lapsed,
}
