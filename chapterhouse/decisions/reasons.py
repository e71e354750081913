"""Words for the counting's reason codes (decisions/counting, tally.py), in the reader's language.

The counting modules return `Reason(code, params)`; this catalogue is registered when the app
is ready (apps.py) and rendered by `{{ reason|explain }}` on pages and emails, and by
`explain_english` in the `count` command. Parameters stay plain data: option names, whole
numbers, exact numbers already shown as text ("1.5", "1/2"), percentages as numbers (formatted
here for the reader), lists of names or of `[option, votes]` pairs, and nested reasons.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy, ngettext_lazy

from chapterhouse.core.reasons import Words, explain, explain_english
from chapterhouse.domain.reasons import Reason

# Parameters holding a percentage (0-100, one decimal) rather than a plain number.
PERCENTS = frozenset({"turnout", "quorum", "support", "threshold"})
# A stored result's sentence from before reason codes, kept when recounting could not
# reproduce it exactly (migration 0005): shown as it was written.
LEGACY_TEXT = "decisions.legacy_text"


def _percent(value: float) -> str:
    return f"{number_format(value, decimal_pos=1, use_l10n=True)}%"


def _shown(params: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters ready for a sentence: lists joined, percentages formatted."""
    shown: dict[str, Any] = {}
    for key, value in params.items():
        if key in PERCENTS and isinstance(value, int | float):
            value = _percent(value)
        elif key == "winners" and not value:
            value = gettext("none")
        elif isinstance(value, list):
            value = _joined(value)
        shown[key] = value
    return shown


def _joined(items: Iterable[Any]) -> str:
    """Names: "A, B"; tallies: "A 3, B 2"; nested reasons: their sentences, "; "-separated."""
    items = list(items)
    if items and all(isinstance(item, Mapping) for item in items):
        return "; ".join(explain(item) for item in items)
    return ", ".join(" ".join(str(part) for part in item) if isinstance(item, list)
                     else str(item) for item in items)


def _say(text: Promise) -> Callable[[Mapping[str, Any]], str]:
    """A sentence whose parameters need joining or formatting (see `_shown`)."""
    return lambda params: str(text % _shown(params))


def _either(plain: Promise, tied: Promise) -> Callable[[Mapping[str, Any]], str]:
    """One sentence, or another when the step was settled by a tie (`tie` is true)."""
    return lambda params: str((tied if params.get("tie") else plain) % _shown(params))


_STV_QUOTA = gettext_lazy("%(ballots)s, %(seats)s: quota floor(%(valid)d / %(divisor)d) + 1 = "
                          "%(quota)s.")
_VALID_BALLOTS = ngettext_lazy("%(valid)d valid ballot", "%(valid)d valid ballots", "valid")
_SEATS = ngettext_lazy("%(seats)d seat", "%(seats)d seats", "seats")
_STV_REST = gettext_lazy("%(candidates)s for %(seats)s left: %(options)s elected.")
_CANDIDATES = ngettext_lazy("%(count)d continuing candidate", "%(count)d continuing candidates",
                            "count")
_TURNOUT = gettext_lazy("Turnout %(cast)d/%(eligible)d; support %(support)s.")


def _stv_quota(params: Mapping[str, Any]) -> str:
    return str(_STV_QUOTA % (_shown(params) | {"ballots": _VALID_BALLOTS % dict(params),
                                               "seats": _SEATS % dict(params)}))


def _stv_rest(params: Mapping[str, Any]) -> str:
    return str(_STV_REST % (_shown(params) | {"candidates": _CANDIDATES % dict(params),
                                              "seats": _SEATS % dict(params)}))


def _turnout(params: Mapping[str, Any]) -> str:
    shown = _shown(params)
    if params.get("support") is None:
        shown["support"] = gettext("undefined")
    return str(_TURNOUT % shown)


def _tie(doing: str, how: str) -> Promise:
    """The sentence for a tie in one kind of step, settled by earlier rounds or the order."""
    by_history = {
        "exclusion": gettext_lazy("Round %(round)d, exclusion: %(tied)s were tied; earlier "
                                  "rounds settled it for %(chosen)s."),
        "surplus": gettext_lazy("Round %(round)d, order of surplus transfers: %(tied)s were "
                                "tied; earlier rounds settled it for %(chosen)s."),
        "election": gettext_lazy("Round %(round)d, order of election: %(tied)s were tied; "
                                 "earlier rounds settled it for %(chosen)s."),
    }
    by_order = {
        "exclusion": gettext_lazy("Round %(round)d, exclusion: %(tied)s were tied and earlier "
                                  "rounds did not separate %(left)s; the tie-break order "
                                  "settled it for %(chosen)s."),
        "surplus": gettext_lazy("Round %(round)d, order of surplus transfers: %(tied)s were "
                                "tied and earlier rounds did not separate %(left)s; the "
                                "tie-break order settled it for %(chosen)s."),
        "election": gettext_lazy("Round %(round)d, order of election: %(tied)s were tied and "
                                 "earlier rounds did not separate %(left)s; the tie-break "
                                 "order settled it for %(chosen)s."),
    }
    return (by_history if how == "by_history" else by_order)[doing]


WORDS: dict[str, Words] = {
    # Ballots that are not counted (counting/result.py, plurality.py, score.py, ballots_csv.py).
    "ballot.empty.ranked": gettext_lazy("empty ballot: no option ranked"),
    "ballot.empty.chosen": gettext_lazy("empty ballot: no option chosen"),
    "ballot.empty.approved": gettext_lazy("empty ballot: no option approved"),
    "ballot.empty.scored": gettext_lazy("empty ballot: no option scored"),
    "ballot.empty_name": gettext_lazy("an option name is empty"),
    "ballot.twice.ranked": gettext_lazy("'%(option)s' is ranked twice"),
    "ballot.twice.chosen": gettext_lazy("'%(option)s' is chosen twice"),
    "ballot.twice.approved": gettext_lazy("'%(option)s' is approved twice"),
    "ballot.twice.scored": gettext_lazy("'%(option)s' is scored twice"),
    "ballot.unknown_option": gettext_lazy("unknown option '%(option)s'"),
    "ballot.several_chosen": _say(ngettext_lazy(
        "%(count)d option chosen (%(options)s); a single-choice ballot names one",
        "%(count)d options chosen (%(options)s); a single-choice ballot names one", "count")),
    "ballot.score.below": gettext_lazy("score %(score)s for '%(option)s' is below the minimum "
                                       "%(limit)s"),
    "ballot.score.above": gettext_lazy("score %(score)s for '%(option)s' is above the maximum "
                                       "%(limit)s"),
    "ballot.csv.empty_name_at": gettext_lazy("empty option name at position %(position)d of "
                                             "%(text)s"),
    "ballot.csv.empty_name_in": gettext_lazy("empty option name in %(text)s"),
    "ballot.csv.no_score": gettext_lazy("%(option)s has no score; write option=number"),
    # `problem`: csvfiles' reason why the number is not read, nested (csv.number.*).
    "ballot.csv.bad_score": _say(gettext_lazy("score %(value)s for %(option)s %(problem)s")),
    # The ballots file itself (ballots_csv.py, the `count` command).
    "ballot.csv.empty": gettext_lazy("the file is empty; expected a header ballot,choices"),
    "ballot.csv.missing_header": gettext_lazy(
        "missing header: expected the columns ballot,choices, found %(found)s"),
    "ballot.csv.too_wide": gettext_lazy(
        "%(fields)s fields but the header has %(width)s; put choices that contain a comma in "
        "double quotes"),
    "ballot.csv.empty_id": gettext_lazy("the ballot id is empty"),
    "ballot.csv.duplicate_id": gettext_lazy(
        "duplicate ballot id %(id)s (first on line %(first_line)s)"),
    "ballot.csv.too_many_options": gettext_lazy(
        "more than %(most)s different options by this line; a count takes at most that many"),
    # One-round methods (counting/totals.py).
    "count.no_valid.chosen": gettext_lazy("No valid ballots, so no option is chosen."),
    "count.no_valid.elected": gettext_lazy("No valid ballots, so no one is elected."),
    "count.totals.votes": _say(ngettext_lazy(
        "%(valid)d valid ballot. Votes: %(tallies)s. Highest: %(winners)s.",
        "%(valid)d valid ballots. Votes: %(tallies)s. Highest: %(winners)s.", "valid")),
    "count.totals.approvals": _say(ngettext_lazy(
        "%(valid)d valid ballot. Approvals: %(tallies)s. Highest: %(winners)s.",
        "%(valid)d valid ballots. Approvals: %(tallies)s. Highest: %(winners)s.", "valid")),
    "count.totals.points": _say(ngettext_lazy(
        "%(valid)d valid ballot. Points: %(tallies)s. Highest: %(winners)s.",
        "%(valid)d valid ballots. Points: %(tallies)s. Highest: %(winners)s.", "valid")),
    "ties.cut.votes": _say(ngettext_lazy(
        "%(tied)s were tied with %(total)s votes; the tie-break order gave the remaining seat "
        "to %(winners)s.",
        "%(tied)s were tied with %(total)s votes; the tie-break order gave the remaining seats "
        "to %(winners)s.", "seats")),
    "ties.cut.approvals": _say(ngettext_lazy(
        "%(tied)s were tied with %(total)s approvals; the tie-break order gave the remaining "
        "seat to %(winners)s.",
        "%(tied)s were tied with %(total)s approvals; the tie-break order gave the remaining "
        "seats to %(winners)s.", "seats")),
    "ties.cut.points": _say(ngettext_lazy(
        "%(tied)s were tied with %(total)s points; the tie-break order gave the remaining seat "
        "to %(winners)s.",
        "%(tied)s were tied with %(total)s points; the tie-break order gave the remaining "
        "seats to %(winners)s.", "seats")),
    # Instant runoff (counting/irv.py).
    "irv.round": _say(ngettext_lazy(
        "Round %(round)d: %(tallies)s; %(exhausted)d ballot exhausted, %(continuing)d "
        "continuing.",
        "Round %(round)d: %(tallies)s; %(exhausted)d ballots exhausted, %(continuing)d "
        "continuing.", "exhausted")),
    "irv.wins.only_left": _say(ngettext_lazy(
        "%(option)s wins with %(votes)d vote, the only option left.",
        "%(option)s wins with %(votes)d votes, the only option left.", "votes")),
    "irv.wins.majority": _say(ngettext_lazy(
        "%(option)s wins with %(votes)d vote, more than half of the %(continuing)d continuing "
        "ballots.",
        "%(option)s wins with %(votes)d votes, more than half of the %(continuing)d continuing "
        "ballots.", "votes")),
    "irv.excluded.no_votes": _say(gettext_lazy(
        "No option has more than half, so %(options)s, with no votes, are excluded together.")),
    "irv.excluded.fewest": _either(
        gettext_lazy("No option has more than half, so %(option)s, with the fewest votes, is "
                     "excluded."),
        gettext_lazy("No option has more than half, so %(option)s, with the fewest votes, is "
                     "excluded (a tie, see ties).")),
    # Single transferable vote (counting/stv.py).
    "stv.quota": _stv_quota,
    "stv.round": _say(gettext_lazy("Round %(round)d: %(tallies)s; exhausted %(exhausted)s.")),
    "stv.elected.quota": _say(gettext_lazy("Reaching the quota: %(options)s elected.")),
    "stv.elected.rest": _stv_rest,
    "stv.surplus": _say(ngettext_lazy(
        "%(option)s's surplus of %(surplus)s is transferred: each of their %(ballots)d ballot "
        "moves to its next continuing preference at %(factor)s of its value.",
        "%(option)s's surplus of %(surplus)s is transferred: each of their %(ballots)d ballots "
        "moves to its next continuing preference at %(factor)s of its value.", "ballots")),
    "stv.excluded": _either(
        ngettext_lazy(
            "No surplus to transfer, so %(option)s, with the fewest votes (%(votes)s), is "
            "excluded: their %(ballots)d ballot moves on at its current value.",
            "No surplus to transfer, so %(option)s, with the fewest votes (%(votes)s), is "
            "excluded: their %(ballots)d ballots move on at their current value.", "ballots"),
        ngettext_lazy(
            "No surplus to transfer, so %(option)s, with the fewest votes (%(votes)s), is "
            "excluded (a tie, see ties): their %(ballots)d ballot moves on at its current "
            "value.",
            "No surplus to transfer, so %(option)s, with the fewest votes (%(votes)s), is "
            "excluded (a tie, see ties): their %(ballots)d ballots move on at their current "
            "value.", "ballots")),
    # Ties (counting/ties.py).
    "ties.order.alphabetical": _say(gettext_lazy(
        "Ties that earlier rounds do not settle favour the option earlier in this order "
        "(alphabetical order): %(order)s.")),
    "ties.order.seeded": _say(gettext_lazy(
        "Ties that earlier rounds do not settle favour the option earlier in this order "
        "(SHA-256 of seed '%(seed)s', a newline and the option name): %(order)s.")),
    **{f"ties.{doing}.{how}": _say(_tie(doing, how))
       for doing in ("exclusion", "surplus", "election") for how in ("by_history", "by_order")},
    # Proposals (counting/consent.py).
    "consent.second_position": gettext_lazy("a second position from the same voter"),
    "consent.unknown_position": gettext_lazy("unknown position '%(position)s'; use agree, "
                                             "abstain, disagree or block"),
    "consent.fails.quorum": _say(ngettext_lazy(
        "quorum not met: %(cast)d of %(eligible)d eligible voter took part, %(turnout)s < "
        "%(quorum)s",
        "quorum not met: %(cast)d of %(eligible)d eligible voters took part, %(turnout)s < "
        "%(quorum)s", "eligible")),
    "consent.fails.no_sides": gettext_lazy("no one agreed or disagreed"),
    "consent.fails.support": _say(gettext_lazy("support %(support)s is below the threshold "
                                               "%(threshold)s")),
    "consent.fails.blocks": _say(ngettext_lazy("%(blocks)d block; at most %(allowed)d allowed",
                                          "%(blocks)d blocks; at most %(allowed)d allowed",
                                          "blocks")),
    "consent.tally": gettext_lazy("agree %(agree)d, abstain %(abstain)d, disagree "
                                  "%(disagree)d, block %(block)d."),
    "consent.turnout": _turnout,
    "consent.passes": gettext_lazy("Passes."),
    "consent.fails": _say(gettext_lazy("Fails: %(reasons)s.")),
    LEGACY_TEXT: "%(text)s",
}


def sentences(reasons: Iterable[Reason | Mapping[str, Any]]) -> str:
    """Several reasons (a round's explanation) as one paragraph in the active language."""
    return " ".join(explain(r) for r in reasons)


def sentences_english(reasons: Iterable[Reason | Mapping[str, Any]]) -> str:
    """The same in English, for the command line."""
    return " ".join(explain_english(r) for r in reasons)
