"""The `count` command's English: a `Result` as a plain-text table (options down, rounds
across, then what happened) or as JSON, with every reason code put into English words by the
one English renderer (`chapterhouse.core.reasons.explain_english`). Pages render the same codes
in the reader's language instead (templates/decisions/results.html)."""

from __future__ import annotations

from typing import Any, cast

from chapterhouse.core.reasons import explain_english
from chapterhouse.decisions.counting import ProposalResult
from chapterhouse.decisions.counting.result import Result, show
from chapterhouse.decisions.reasons import sentences_english


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def as_table(result: Result) -> str:
    head = (f"Method: {result.method}, {_plural(result.seats, 'seat', 'seats')}, "
            f"{_plural(result.valid, 'valid ballot', 'valid ballots')}")
    if result.quota is not None:
        head += f", quota {show(result.quota)}"
    lines = [head, ""]
    names = list(dict.fromkeys(n for r in result.rounds for n in r.tallies))
    if names:
        cells = [["", *(f"Round {r.number}" for r in result.rounds)]]
        for name in names:
            row = [name]
            for r in result.rounds:
                # Every number carries a two-character mark so the numbers line up.
                mark = " *" if name in r.elected else " x" if name in r.excluded else "  "
                row.append(show(r.tallies[name]) + mark if name in r.tallies else "")
            cells.append(row)
        cells.append(["(exhausted)", *(show(r.exhausted) + "  " for r in result.rounds)])
        widths = [max(len(row[i]) for row in cells) for i in range(len(cells[0]))]
        for row in cells:
            lines.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                                   for i, (c, w) in enumerate(zip(row, widths, strict=True)))
                         .rstrip())
        lines += ["(* elected, x excluded in that round)", ""]
    lines += [sentences_english(r.explanation) for r in result.rounds]
    lines += ["", f"Winners: {', '.join(result.winners) or 'none'}"]
    if result.invalid:
        lines.append(f"Invalid ballots ({len(result.invalid)}):")
        lines += [f"  {i.ballot}: {explain_english(i.reason)}" for i in result.invalid]
    else:
        lines.append("Invalid ballots: none")
    lines += [f"Tie-break: {explain_english(result.tie_break)}",
              *(f"  {explain_english(note)}" for note in result.notes)]
    return "\n".join(lines)


def as_json(result: Result) -> dict[str, Any]:
    """`Result.to_json()` with its reason codes in English words (the command's JSON)."""
    data = result.to_json()
    rounds = cast(list[dict[str, Any]], data["rounds"])
    return data | {
        "rounds": [r | {"explanation": sentences_english(r["explanation"])} for r in rounds],
        "invalid": [{"ballot": i.ballot, "reason": explain_english(i.reason)}
                    for i in result.invalid],
        "tie_break": explain_english(result.tie_break),
        "ties": [explain_english(note) for note in result.notes],
    }


def proposal_table(decided: ProposalResult) -> str:
    lines = [f"Method: consent, "
             f"{_plural(sum(decided.counts.values()), 'valid ballot', 'valid ballots')}", "",
             *(f"{stance.value:<9}{n:>6}" for stance, n in decided.counts.items()), "",
             sentences_english(decided.explanation), "",
             f"Passed: {'yes' if decided.passed else 'no'}"]
    lines += [f"Invalid: {voter}: {explain_english(why)}" for voter, why in decided.invalid]
    return "\n".join(lines)
