"""What a voter marked, checked against the poll before anything is stored. Pure.

The web form posts option ids; `check_marks` turns them into the stored form (option ids, a
ranking in order, {option id: score}, or a stance) or raises `MarksError` with a message for
the voter: an option from another poll, an option twice in a ranking, too many choices, a score
out of range, an empty ballot.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from chapterhouse.core.inputs import row_id, small_number

STANCES = ("agree", "abstain", "disagree", "block")


class MarksError(ValueError):
    pass


@dataclass(frozen=True)
class BallotRules:
    kind: str
    options: Collection[int]
    max_choices: int | None = None
    max_score: int = 5


@dataclass(frozen=True)
class Marks:
    marks: list[int] | dict[str, int]
    stance: str = ""


def _option_ids(values: Collection[str], options: Collection[int]) -> list[int]:
    ids = []
    for value in values:
        option = row_id(value) if isinstance(value, str) else None
        if option is None or option not in options:
            raise MarksError(_("That is not an option of this poll."))
        ids.append(option)
    return ids


def check_marks(rules: BallotRules, data: Mapping[str, list[str]]) -> Marks:
    """`data` maps form field names to their posted values (a QueryDict's lists)."""
    kind = rules.kind
    if kind == "proposal":
        stance = (data.get("stance") or [""])[-1]
        if stance not in STANCES:
            raise MarksError(_("Choose agree, abstain, disagree or block."))
        return Marks([], stance)
    if kind == "single":
        chosen = [v for v in data.get("choice", []) if v]
        if len(chosen) != 1:
            raise MarksError(_("Choose one option."))
        return Marks(_option_ids(chosen, rules.options))
    if kind in ("multiple", "approval"):
        ids = _option_ids([v for v in data.get("choices", []) if v], rules.options)
        if not ids:
            raise MarksError(_("Choose at least one option."))
        if len(set(ids)) != len(ids):
            raise MarksError(_("An option was chosen twice."))
        if kind == "multiple" and rules.max_choices and len(ids) > rules.max_choices:
            raise MarksError(_("Choose at most %(n)d options.") % {"n": rules.max_choices})
        return Marks(sorted(ids))
    if kind == "ranked":
        return Marks(_ranking(rules.options, data))
    if kind == "score":
        return Marks(_scores(rules, data))
    raise MarksError(_("Unknown kind of poll."))


def _ranking(options: Collection[int], data: Mapping[str, list[str]]) -> list[int]:
    """Fields rank_<option id> = 1, 2, ...; blank means not ranked. A plain `ranking` list
    (option ids, first preference first) is accepted too, for clients that send one."""
    if data.get("ranking"):
        ids = _option_ids([v for v in data["ranking"] if v], options)
        if len(set(ids)) != len(ids):
            raise MarksError(_("An option is ranked twice."))
    else:
        ranks: dict[int, int] = {}
        for name, values in data.items():
            if not name.startswith("rank_") or not values or not values[-1].strip():
                continue
            (option,) = _option_ids([name.removeprefix("rank_")], options)
            rank = small_number(values[-1])
            if rank is None:
                raise MarksError(_("A rank must be a whole number."))
            if rank < 1 or rank > len(options):
                raise MarksError(_("Ranks go from 1 to %(n)d.") % {"n": len(options)})
            if rank in ranks:
                raise MarksError(_("Two options have rank %(rank)d; give each rank once.")
                                 % {"rank": rank})
            ranks[rank] = option
        ids = [ranks[r] for r in sorted(ranks)]
    if not ids:
        raise MarksError(_("Rank at least one option."))
    return ids


def _scores(rules: BallotRules, data: Mapping[str, list[str]]) -> dict[str, int]:
    scores: dict[str, int] = {}
    for name, values in data.items():
        if not name.startswith("score_") or not values or not values[-1].strip():
            continue
        (option,) = _option_ids([name.removeprefix("score_")], rules.options)
        score = small_number(values[-1])
        if score is None:
            raise MarksError(_("A score must be a whole number."))
        if not 0 <= score <= rules.max_score:
            raise MarksError(_("Scores go from 0 to %(n)d.") % {"n": rules.max_score})
        scores[str(option)] = score
    if not scores:
        raise MarksError(_("Score at least one option."))
    return scores
