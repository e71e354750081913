"""Plain-text rendering of a `Result`: options down, rounds across, then what happened."""

from __future__ import annotations

from chapterhouse.decisions.counting.result import Result, show


def as_table(result: Result) -> str:
    head = f"Method: {result.method}, {result.seats} seat(s), {result.valid} valid ballot(s)"
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
    lines += [r.explanation for r in result.rounds]
    lines += ["", f"Winners: {', '.join(result.winners) or 'none'}"]
    if result.invalid:
        lines.append(f"Invalid ballots ({len(result.invalid)}):")
        lines += [f"  {i.ballot}: {i.reason}" for i in result.invalid]
    else:
        lines.append("Invalid ballots: none")
    lines += [f"Tie-break: {result.tie_break}", *(f"  {note}" for note in result.notes)]
    return "\n".join(lines)
