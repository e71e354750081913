"""The planner's words for its reason codes (domain/reasons.py), registered by PlannerConfig.

The engine (chapterhouse/planning/) and the run services return codes with their numbers; the
planner page renders them in the reader's language, the `plan` command in English."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from chapterhouse.core.reasons import Words


def _unplaced(params: Mapping[str, Any]) -> str:
    n = int(params["n"])
    return ngettext(
        "%(n)d member is in no sub-chapter (beyond reach, or needed nowhere without breaking "
        "the rule)",
        "%(n)d members are in no sub-chapter (beyond reach, or needed nowhere without breaking "
        "the rule)", n) % {"n": n}


def _centre_short(params: Mapping[str, Any]) -> str:
    return ngettext("%(centre)s: %(members)d members within %(km)g km, %(women)d of them a "
                    "woman",
                    "%(centre)s: %(members)d members within %(km)g km, %(women)d of them women",
                    int(params["women"])) % params


def _missing_columns(params: Mapping[str, Any]) -> str:
    # `count` came with the codes' second version; older stored reasons name several columns.
    count = int(params.get("count", 2))
    return ngettext("missing column %(missing)s; the header needs %(header)s",
                    "missing columns %(missing)s; the header needs %(header)s",
                    count) % params


def _grouping(params: Mapping[str, Any]) -> str:
    places = number_format(int(params["places"]), force_grouping=True)
    return gettext("Grouping members: %(places)s places looked at") % {"places": places}


def _as_given(key: str) -> Words:
    """Text that was never ours to translate: an error's own message, prose stored before the
    codes existed."""
    return lambda params: str(params[key])


WORDS: dict[str, Words] = {
    # Splits of a large chapter (planning/splits.py, planning/plan.py).
    "planner.split.too_few_groups": _(
        "only %(valid)d of %(groups)d groups reach %(size)d members with %(percent)d%% women"),
    "planner.split.centre_short": _centre_short,
    # the same when the women among them may not be said (domain/disclosure.py)
    "planner.split.centre_short_hidden": _("%(centre)s: %(members)d members within %(km)g km"),
    "planner.split.unplaced": _unplaced,
    "planner.split.no_members": _("no members of chapter “%(chapter)s” in the file"),
    # Why a candidate chapter has no organizer (planning/plan.py).
    "planner.unreached.out_of_reach": _("no organizer within reach"),
    "planner.unreached.no_time": _("organizers within reach have no time left"),
    # A run's progress and failures (planner/services.py).
    "planner.run.reading": _("Reading members"),
    "planner.run.grouping": _grouping,
    "planner.run.error": _as_given("error"),
    "planner.run.worker_stopped": _(
        "The worker running this plan stopped before it finished (%(attempts)d attempts)."),
    "planner.run.retrying": _(
        "The worker stopped; trying again (attempt %(next)d of %(max)d)."),
    "planner.legacy": _as_given("text"),
    # What is late on the way from a candidate to qualifying (domain/stages.py).
    "organizing.late.not_started": _("not started; its start-by date was %(date)s"),
    "organizing.late.no_first_meeting": _("no first meeting %(weeks)d weeks after starting"),
    "organizing.late.no_recent_meeting": _("no meeting since %(month)s"),
    "organizing.late.lapsed": _("lapsed: it no longer meets the rule"),
}

# Coordinates are named in words; the other numbers by their column (hours_per_week, ...).
_QUANTITIES = {"latitude": _("latitude"), "longitude": _("longitude")}


def _quantity(words: Promise) -> Words:
    """A sentence about a number column: `what` in the reader's words when it has some."""
    def say(params: Mapping[str, Any]) -> str:
        what = str(params.get("what", ""))
        return str(words) % {**params, "what": _QUANTITIES.get(what, what)}
    return say


# The `plan` command's members and organizers files (planning/members_csv.py).
WORDS.update({
    "planner.csv.empty": _("the file is empty; expected a header %(header)s"),
    "planner.csv.missing_columns": _missing_columns,
    "planner.csv.too_wide": _("%(fields)s fields but the header has %(width)s; more fields "
                              "than the header has"),
    "planner.csv.not_a_number": _quantity(_("%(what)s %(text)s is not a number")),
    "planner.csv.not_finite": _quantity(_("%(what)s %(text)s is not a finite number")),
    "planner.csv.out_of_range": _quantity(_("%(what)s %(value)s is outside [%(low)s, "
                                            "%(high)s]")),
    "planner.csv.not_yes_no": _("%(what)s %(text)s should be yes, no or empty"),
    "planner.csv.empty_id": _("empty id"),
    "planner.csv.duplicate_id": _("duplicate id %(id)s (first on line %(first_line)s)"),
    "planner.csv.duplicate_organizer": _("duplicate organizer id %(id)s"),
    "planner.csv.unknown_gender": _("unknown gender %(gender)s; use woman, man, nonbinary, "
                                    "other or leave it empty"),
    "planner.csv.no_members": _("no members after the header"),
    "planner.csv.no_organizers": _("no organizers after the header"),
})
