"""The shapes every counting method shares: ballots in, a result with rounds out.

Tallies are `Fraction`s so that fractional STV transfers stay exact; plain methods simply have
denominator 1. Nothing here knows about Django, files or the database, and nothing here writes
a sentence: every explanation, invalid ballot and tie is a reason code with its parameters
(chapterhouse.domain.reasons), put into words by decisions/reasons.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

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
    if not ballot.choices:
        return reason(f"ballot.empty.{what}")
    seen: set[str] = set()
    for option in ballot.choices:
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
    return list(dict.fromkeys(option for choices in valid for option in choices))


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
