"""The shapes every counting method shares: ballots in, a result with rounds out.

Tallies are `Fraction`s so that fractional STV transfers stay exact; plain methods simply have
denominator 1. Nothing here knows about Django, files or the database, and nothing here writes
a sentence: every explanation, invalid ballot and tie is a reason code with its parameters
(chapterhouse.domain.reasons), put into words by decisions/reasons.py.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import chain
from operator import attrgetter

from chapterhouse.domain.reasons import Reason, reason


@dataclass(frozen=True)
class Ballot:
    """One voter's marks: a ranking (irv, stv), a set (approval) or one option (plurality)."""

    id: str
    choices: tuple[str, ...]


@dataclass(frozen=True)
class ScoreBallot:
    id: str
    scores: tuple[tuple[str, Fraction], ...]


@dataclass(frozen=True)
class Invalid:
    """A ballot that was cast but not counted, and why. Never dropped silently."""

    ballot: str
    reason: Reason


@dataclass(frozen=True)
class Round:
    number: int
    tallies: dict[str, Fraction]
    elected: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    exhausted: Fraction = Fraction(0)  # running total of ballot value that counts for no one
    explanation: tuple[Reason, ...] = ()  # what happened, sentence by sentence


@dataclass(frozen=True)
class Result:
    method: str
    seats: int
    winners: tuple[str, ...]
    rounds: tuple[Round, ...]
    invalid: tuple[Invalid, ...]
    valid: int
    tie_break: Reason  # the deterministic order used when nothing else separates options
    quota: Fraction | None = None
    notes: tuple[Reason, ...] = field(default=())  # every tie that the order had to settle

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "method": self.method,
            "seats": self.seats,
            "winners": list(self.winners),
            "valid": self.valid,
            "rounds": [
                {
                    "round": r.number,
                    "tallies": {name: number(v) for name, v in r.tallies.items()},
                    "elected": list(r.elected),
                    "excluded": list(r.excluded),
                    "exhausted": number(r.exhausted),
                    "explanation": [e.as_json() for e in r.explanation],
                }
                for r in self.rounds
            ],
            "invalid": [{"ballot": i.ballot, "reason": i.reason.as_json()}
                        for i in self.invalid],
            "tie_break": self.tie_break.as_json(),
            "ties": [note.as_json() for note in self.notes],
        }
        if self.quota is not None:
            data["quota"] = number(self.quota)
        return data


def number(value: Fraction) -> int | float:
    """JSON-friendly: whole numbers stay exact; fractions are shown to 6 decimal places."""
    return int(value) if value.denominator == 1 else round(float(value), 6)


def show(value: Fraction) -> str:
    return str(int(value)) if value.denominator == 1 else f"{float(value):.4f}".rstrip("0")


def check_choices(ballot: Ballot, known: frozenset[str] | None, what: str) -> Reason | None:
    """Why a ballot's choices cannot be counted, or None. `what`: ranked, chosen or approved."""
    return _problem(ballot.choices, known, what)


def _problem(choices: tuple[str, ...], known: frozenset[str] | None, what: str) -> Reason | None:
    if not choices:
        return reason(f"ballot.empty.{what}")
    seen: set[str] = set()
    for option in choices:
        if not option:
            return reason("ballot.empty_name")
        if option in seen:
            return reason(f"ballot.twice.{what}", option=option)
        if known is not None and option not in known:
            return reason("ballot.unknown_option", option=option)
        seen.add(option)
    return None


def options_of(valid: Iterable[Iterable[str]], given: Sequence[str] | None) -> list[str]:
    """The options in play: those given, else every option named on a valid ballot."""
    if given is not None:
        return list(dict.fromkeys(given))
    return list(dict.fromkeys(chain.from_iterable(valid)))


def known_set(given: Sequence[str] | None) -> frozenset[str] | None:
    return frozenset(given) if given is not None else None


def shown_tallies(tallies: Mapping[str, Fraction]) -> list[list[str]]:
    """Tallies as a reason's parameter: [[option, number as shown], ...], in order."""
    return [[name, show(v)] for name, v in tallies.items()]


def split_ranked(ballots: Sequence[Ballot], known: frozenset[str] | None
                 ) -> tuple[list[Ballot], list[Invalid]]:
    """Valid rankings, and the rest with reasons (empty, an option twice, unknown option)."""
    valid: list[Ballot] = []
    invalid: list[Invalid] = []
    for ballot in ballots:
        problem = check_choices(ballot, known, "ranked")
        if problem is None:
            valid.append(ballot)
        else:
            invalid.append(Invalid(ballot.id, problem))
    return valid, invalid


def group_ranked(ballots: Sequence[Ballot], known: frozenset[str] | None
                 ) -> tuple[dict[tuple[str, ...], int], list[Invalid]]:
    """Valid rankings grouped: each distinct ranking with the number of ballots that cast it,
    in the order first cast; and the rest with reasons, in the order given (as `split_ranked`).

    Identical ballots are counted once with their weight (issue 12): an election of 300,000
    ballots has a few thousand distinct rankings. Each distinct ranking is checked once.
    """
    cast = Counter(map(_choices, ballots))
    groups: dict[tuple[str, ...], int] = {}
    bad: set[tuple[str, ...]] = set()
    for choices, times in cast.items():
        # The usual case at the speed of sets; a ballot that fails it is looked at closely.
        if ((choices and "" not in choices and len(set(choices)) == len(choices)
                and (known is None or known.issuperset(choices)))
                or _problem(choices, known, "ranked") is None):
            groups[choices] = times
        else:
            bad.add(choices)
    if not bad:
        return groups, []
    invalid = [Invalid(ballot.id, problem) for ballot in ballots if ballot.choices in bad
               and (problem := _problem(ballot.choices, known, "ranked")) is not None]
    return groups, invalid


_choices = attrgetter("choices")
