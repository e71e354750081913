"""Words for the qualification rule's reason codes (domain/qualification.py) and the attendance
file's refusals (chapters/attendance_csv.py), registered by ChaptersConfig.ready(). The
sentences are the ones the chapter pages always showed, so each language keeps its
translation; the `verdict` command prints them in English."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Mapping
from typing import Any

from django.utils import dateformat
from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_lazy, ngettext

from chapterhouse.core.reasons import Words

logger = logging.getLogger(__name__)


def month_name(key: str) -> str:
    """"2013-12" as the reader says it: "December 2013", "Dezember 2013"."""
    return dateformat.format(datetime.date.fromisoformat(f"{key}-01"), "F Y")


def percent(share: float) -> str:
    """0.3 -> "30%", with the reader's digits (as the `percent` template filter)."""
    return number_format(round(share * 100), decimal_pos=0, use_l10n=True) + "%"


def _no_meeting(p: Mapping[str, Any]) -> str:
    return gettext("%(month)s: no meeting.") % {"month": month_name(p["month"])}


def _month(p: Mapping[str, Any]) -> str:
    """The best meeting of a month, then a tick or what it lacked."""
    names = {"month": month_name(p["month"]), "attendees": p["attendees"]}
    if p.get("women") is not None and p.get("share") is not None:
        names.update(women=p["women"], share=percent(p["share"]))
        text = ngettext(
            "%(month)s: best meeting had %(attendees)s attendee, of whom %(share)s women "
            "(%(women)s)",
            "%(month)s: best meeting had %(attendees)s attendees, of whom %(share)s women "
            "(%(women)s)", p["attendees"]) % names
    else:
        text = ngettext("%(month)s: best meeting had %(attendees)s attendee",
                        "%(month)s: best meeting had %(attendees)s attendees",
                        p["attendees"]) % names
    if p.get("ok"):
        return f"{text} ✓"
    lacks = [text]
    if p.get("needs_attendees") is not None:
        lacks.append(gettext("needs %(needed)s attendees") % {"needed": p["needs_attendees"]})
    if p.get("needs_share") is not None:
        lacks.append(gettext("needs %(needed)s women") % {"needed": percent(p["needs_share"])})
    return "; ".join(lacks) + "."


def _qualifying(p: Mapping[str, Any]) -> str:
    return ngettext("Met the rule in the last whole month.",
                    "Met the rule in each of the last %(months)s whole months.",
                    p["months"]) % {"months": p["months"]}


def _forming(p: Mapping[str, Any]) -> str:
    return ngettext("Forming: %(failing)s of the last %(months)s whole month did not meet the "
                    "rule.",
                    "Forming: %(failing)s of the last %(months)s whole months did not meet the "
                    "rule.", p["months"]) % {"failing": p["failing"], "months": p["months"]}


def _lapsed(p: Mapping[str, Any]) -> str:
    return ngettext("Lapsed: %(failing)s of the last %(months)s whole month did not meet the "
                    "rule.",
                    "Lapsed: %(failing)s of the last %(months)s whole months did not meet the "
                    "rule.", p["months"]) % {"failing": p["failing"], "months": p["months"]}


def _last_qualified(p: Mapping[str, Any]) -> str:
    return gettext("Last qualified through %(month)s.") % {"month": month_name(p["month"])}


def _tolerant(code: str, render: Callable[[Mapping[str, Any]], str]) -> Words:
    """A reason missing a parameter its words need renders as its bare code, as a code without
    words does, rather than breaking the page; the log says which."""

    def words(params: Mapping[str, Any]) -> str:
        try:
            return render(params)
        except (KeyError, TypeError, ValueError):
            logger.warning("reason %s cannot be rendered with parameters %s", code,
                           sorted(params))
            return code

    return words


WORDS: dict[str, Words] = {code: _tolerant(code, render) for code, render in {
    "qualification.no_meeting": _no_meeting,
    "qualification.month": _month,
    "qualification.qualifying": _qualifying,
    "qualification.forming": _forming,
    "qualification.lapsed": _lapsed,
    "qualification.last_qualified": _last_qualified,
}.items()}


def _missing_columns(p: Mapping[str, Any]) -> str:
    return ngettext("missing column %(missing)s (the header must name %(header)s)",
                    "missing columns %(missing)s (the header must name %(header)s)",
                    p["count"]) % {"missing": p["missing"], "header": p["header"]}


# The attendance file the `verdict` command reads (attendance_csv.py).
WORDS.update({
    "attendance.csv.empty": gettext_lazy("the file is empty: expected the header %(header)s"),
    "attendance.csv.no_rows": gettext_lazy("the file has a header but no attendance rows"),
    "attendance.csv.missing_columns": _tolerant("attendance.csv.missing_columns",
                                                _missing_columns),
    "attendance.csv.chapter_empty": gettext_lazy("chapter is empty"),
    "attendance.csv.zone_changed": gettext_lazy(
        "chapter %(chapter)s has timezone %(zone)s here but %(first)s on line %(first_line)s; "
        "a chapter keeps one time zone"),
    "attendance.csv.meeting_empty": gettext_lazy(
        "meeting is empty but start or member is given"),
    "attendance.csv.start_changed": gettext_lazy(
        "meeting %(meeting)s starts at %(start)s here but at %(first)s on line %(first_line)s"),
    "attendance.csv.gender_unknown": gettext_lazy(
        "gender %(gender)s is not one of %(genders)s or empty"),
    "attendance.csv.gender_without_member": gettext_lazy(
        "gender is given but member is empty"),
    "attendance.csv.gender_changed": gettext_lazy(
        "member %(member)s has gender %(gender)s here but %(first)s on line %(first_line)s, at "
        "the same meeting %(meeting)s"),
    "attendance.csv.zone_empty": gettext_lazy(
        "timezone is empty (expected an IANA zone like Europe/Vienna)"),
    "attendance.csv.zone_unknown": gettext_lazy("timezone %(zone)s is not a known IANA time zone"),
    "attendance.csv.start_empty": gettext_lazy("start is empty"),
    "attendance.csv.start_not_iso": gettext_lazy(
        "start %(start)s is not an ISO 8601 datetime (e.g. 2013-10-05T19:00+02:00)"),
    "attendance.csv.start_no_offset": gettext_lazy("start %(start)s has no UTC offset"),
    "attendance.csv.start_out_of_range": gettext_lazy(
        "start %(start)s is not between %(earliest)s and %(latest)s"),
})
