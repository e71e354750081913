"""Rotating a recurring call's time so that no region always gets the inconvenient hour.

Pure and typed. Given which candidate times are inconvenient for which participants, choose a
time for each of N occurrences that minimises the largest number of inconvenient occurrences any
one participant gets (then the total), and order them so each time comes round evenly.

Exact, by enumerating how many occurrences each candidate gets. That stays small because
candidates that are inconvenient for the same people are merged, and a candidate inconvenient
for a superset of another's people is never worth using.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from chapterhouse.domain.timebounds import local_time

EARLIEST = datetime.time(8, 0)
LATEST = datetime.time(22, 0)


def is_inconvenient(at: datetime.datetime, zone: ZoneInfo, *,
                    earliest: datetime.time = EARLIEST, latest: datetime.time = LATEST) -> bool:
    """A start outside earliest-latest local time (08:00 is fine, 22:00 is not)."""
    local = local_time(at, zone).time().replace(tzinfo=None)
    return not earliest <= local < latest


def inconvenience(starts: Sequence[datetime.datetime], zones: Sequence[ZoneInfo]
                  ) -> list[frozenset[int]]:
    """For each candidate start, the participants (indices into `zones`) it is inconvenient for."""
    return [frozenset(p for p, zone in enumerate(zones) if is_inconvenient(at, zone))
            for at in starts]


@dataclass(frozen=True, slots=True)
class Rotation:
    sequence: tuple[int, ...]  # the candidate index of each occurrence, in order
    per_participant: tuple[int, ...]  # inconvenient occurrences each participant gets
    worst: int  # the largest of those
    total: int  # their sum


def _compositions(total: int, parts: int) -> Iterator[tuple[int, ...]]:
    """Every way to write `total` as `parts` non-negative counts."""
    if parts == 1:
        yield (total,)
        return
    for first in range(total, -1, -1):
        for rest in _compositions(total - first, parts - 1):
            yield (first, *rest)


def _spread(counts: Sequence[int]) -> tuple[int, ...]:
    """An order using index i counts[i] times, each as evenly spaced as possible
    (smooth weighted round robin: deterministic, no two alike in a row when avoidable)."""
    total = sum(counts)
    credit = [0] * len(counts)
    order = []
    for _step in range(total):
        for i, count in enumerate(counts):
            credit[i] += count
        best = max(range(len(counts)), key=lambda i: (credit[i], -i))
        credit[best] -= total
        order.append(best)
    return tuple(order)


def rotate(bad: Sequence[frozenset[int]], participants: int, occurrences: int) -> Rotation:
    """The rotation of `occurrences` among candidates `bad` (see inconvenience())."""
    if not bad:
        raise ValueError("A rotation needs at least one candidate time.")
    if occurrences < 1:
        raise ValueError("A rotation needs at least one occurrence.")
    # Candidates inconvenient for the same people are interchangeable: merge them.
    groups: dict[frozenset[int], list[int]] = {}
    for index, people in enumerate(bad):
        groups.setdefault(people, []).append(index)
    # A candidate bad for a strict superset of another's people is never better.
    kept = [people for people in groups
            if not any(other < people for other in groups)]
    # Participants bad at the same kept candidates always share a load: count each kind once.
    kinds: dict[tuple[int, ...], int] = {}
    for p in range(participants):
        kind = tuple(g for g, people in enumerate(kept) if p in people)
        kinds[kind] = kinds.get(kind, 0) + 1
    best: tuple[int, int] | None = None
    best_counts: tuple[int, ...] = ()
    for counts in _compositions(occurrences, len(kept)):
        loads = [(sum(counts[g] for g in kind), n) for kind, n in kinds.items()]
        score = (max((load for load, _n in loads), default=0),
                 sum(load * n for load, n in loads))
        if best is None or score < best:
            best, best_counts = score, counts
    # Share each merged group's occurrences among its candidates, then order evenly.
    per_candidate = [0] * len(bad)
    for people, count in zip(kept, best_counts, strict=True):
        members = groups[people]
        for k in range(count):
            per_candidate[members[k % len(members)]] += 1
    sequence = _spread(per_candidate)
    load = [0] * participants
    for index in sequence:
        for p in bad[index]:
            load[p] += 1
    return Rotation(sequence, tuple(load), max(load, default=0), sum(load))
