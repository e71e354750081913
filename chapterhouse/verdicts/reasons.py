"""Words for the health warnings' reason codes (domain/risk.py), registered by
VerdictsConfig.ready()."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext, ngettext

from chapterhouse.chapters.reasons import _tolerant, month_name, percent
from chapterhouse.core.reasons import Words


def _month_ending(p: Mapping[str, Any]) -> str:
    names = {"month": month_name(p["month"]), "days": p["days_left"]}
    if p.get("qualifying"):
        return ngettext(
            "None of the meetings in %(month)s has satisfied the rule yet and %(days)s day is "
            "left: without one that does, the chapter stops qualifying next month.",
            "None of the meetings in %(month)s has satisfied the rule yet and %(days)s days are "
            "left: without one that does, the chapter stops qualifying next month.",
            p["days_left"]) % names
    return ngettext(
        "None of the meetings in %(month)s has satisfied the rule yet and %(days)s day is "
        "left: with one that does, the chapter qualifies next month.",
        "None of the meetings in %(month)s has satisfied the rule yet and %(days)s days are "
        "left: with one that does, the chapter qualifies next month.", p["days_left"]) % names


def _short_attendees(p: Mapping[str, Any]) -> str:
    return ngettext(
        "The best meeting so far in %(month)s had %(attendees)s attendee; the rule needs "
        "%(needed)s.",
        "The best meeting so far in %(month)s had %(attendees)s attendees; the rule needs "
        "%(needed)s.", p["attendees"]) % {
        "month": month_name(p["month"]), "attendees": p["attendees"], "needed": p["needed"]}


def _short_women(p: Mapping[str, Any]) -> str:
    return gettext("The best meeting so far in %(month)s had enough attendees but fewer than "
                   "%(share)s women.") % {"month": month_name(p["month"]),
                                          "share": percent(p["needs_share"])}


def _short(p: Mapping[str, Any]) -> str:
    return gettext("None of the meetings so far in %(month)s has satisfied the rule.") % {
        "month": month_name(p["month"])}


WORDS: dict[str, Words] = {code: _tolerant(code, render) for code, render in {
    "risk.month_ending": _month_ending,
    "risk.short_attendees": _short_attendees,
    "risk.short_women": _short_women,
    "risk.short": _short,
}.items()}
