"""Words for the convention's reason codes: apportionment refusals (domain/apportionment.py,
`apportion.*`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy, ngettext

from chapterhouse.core.reasons import Words

WORDS: dict[str, Words] = {
    "apportion.no_units": gettext_lazy("there is nothing to apportion seats among"),
    "apportion.too_many_units": gettext_lazy("too many units (at most %(most)s)"),
    "apportion.negative_floor": gettext_lazy("the floor cannot be negative (%(floor)s)"),
    "apportion.seats_out_of_range": gettext_lazy(
        "the seats must be between 0 and %(most)s, not %(seats)s"),
    "apportion.negative_population": gettext_lazy(
        "%(unit)s has a negative population (%(population)s)"),
    "apportion.unit_twice": gettext_lazy("%(unit)s is listed twice"),
    "apportion.too_few_seats": gettext_lazy(
        "%(seats)s seats cannot give %(units)s units at least %(floor)s each: "
        "that needs %(needed)s"),
    "apportion.no_population": gettext_lazy(
        "every population is 0, so the seats beyond the floor have nobody to go to"),
}

WORDS.update({
    "apportion.csv.empty": gettext_lazy("the file is empty; it needs the header unit,population"),
    "apportion.csv.missing_column": gettext_lazy(
        "the header has no column %(column)s (it needs unit,population)"),
    "apportion.csv.no_name": gettext_lazy("a row without a unit name"),
    "apportion.csv.bad_population": gettext_lazy(
        "the population %(text)s is not a whole number of at most %(digits)s digits"),
    "apportion.csv.unit_twice": gettext_lazy("%(unit)s is listed twice (first on line %(first)s)"),
    "apportion.csv.no_units": gettext_lazy("the file has a header but no units"),
})


def _names(params: Mapping[str, Any]) -> dict[str, Any]:
    return {key: ", ".join(str(v) for v in value) if isinstance(value, list) else value
            for key, value in params.items()}


def _reserve_excluded(params: Mapping[str, Any]) -> str:
    return ngettext(
        "The remaining seats are owed to women under the share rule (%(owed)s), so %(options)s "
        "are excluded: their %(ballots)s ballot moves on at its current value.",
        "The remaining seats are owed to women under the share rule (%(owed)s), so %(options)s "
        "are excluded: their %(ballots)s ballots move on at their current value.",
        int(params["ballots"])) % _names(params)


def _reserve_short(params: Mapping[str, Any]) -> str:
    return ngettext(
        "The share rule asks for %(at_least)s women but only %(standing)s woman stands: "
        "the rule is met as far as it can be.",
        "The share rule asks for %(at_least)s women but only %(standing)s women stand: "
        "the rule is met as far as it can be.",
        int(params["standing"])) % _names(params)


# STV with a reserved share (decisions/counting/stv.py, Reserve): the convention's rule.
WORDS.update({
    "stv.reserve.excluded": _reserve_excluded,
    "stv.reserve.short": _reserve_short,
})
