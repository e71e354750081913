"""A group under construction: a meeting point and how many women and others come from where."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from chapterhouse.planning.aggregate import IntArray
from chapterhouse.planning.geo import FloatArray


@dataclass
class Group:
    centre: FloatArray  # unit vector of the meeting point
    # place index -> [women, others] taken from that place
    takes: dict[int, list[int]] = field(default_factory=dict)

    def add(self, place: int, women: int = 0, others: int = 0) -> None:
        row = self.takes.setdefault(place, [0, 0])
        row[0] += women
        row[1] += others

    @property
    def women(self) -> int:
        return sum(w for w, _ in self.takes.values())

    @property
    def size(self) -> int:
        return sum(w + o for w, o in self.takes.values())


def split_flows(centre: FloatArray, count: int, women_slots: list[tuple[int, int]],
                any_slots: list[tuple[int, int, bool]], core_size: int,
                core_women: int) -> list[Group]:
    """Cut the members sent to one centre into `count` cores.

    women_slots: (place, n) women; any_slots: (place, n, is_woman) anybody; exactly
    count * core_women and count * (core_size - core_women) of them.
    """
    women_tokens = [p for p, n in women_slots for _ in range(n)]
    any_tokens = [(p, w) for p, n, w in any_slots for _ in range(n)]
    groups = []
    rest = core_size - core_women
    for g in range(count):
        group = Group(np.array(centre, dtype=np.float64))
        for p in women_tokens[g * core_women:(g + 1) * core_women]:
            group.add(p, women=1)
        for p, is_woman in any_tokens[g * rest:(g + 1) * rest]:
            group.add(p, women=int(is_woman), others=int(not is_woman))
        groups.append(group)
    return groups


class Cores:
    """Cores and, per place, members they use and which cores touch it.

    The state shared by the window search (lns) and augment, which subclasses it.
    """

    def __init__(self, groups: list[Group], women: IntArray, others: IntArray) -> None:
        self.groups: dict[int, Group] = dict(enumerate(groups))
        self.next_id = len(groups)
        self.used_w = np.zeros(len(women), dtype=np.int64)
        self.used_o = np.zeros(len(women), dtype=np.int64)
        self.at: dict[int, set[int]] = defaultdict(set)
        # when each place's cores last changed (window solves are counted in `step`), so a
        # window solved since without a change need not be solved again
        self.step = 1
        self.changed = np.zeros(len(women), dtype=np.int64)
        self.solved: dict[tuple[int, tuple[int, ...], int, int, float], int] = {}
        for gid, g in self.groups.items():
            self.book(gid, g, +1)

    def book(self, gid: int, g: Group, sign: int) -> None:
        """Count core `gid`'s members at its places in (+1) or out (-1)."""
        for p, (w, o) in g.takes.items():
            self.changed[p] = self.step
            self.used_w[p] += sign * w
            self.used_o[p] += sign * o
            if sign > 0:
                self.at[p].add(gid)
            else:
                self.at[p].discard(gid)

    def remove(self, gid: int) -> None:
        self.book(gid, self.groups.pop(gid), -1)

    def add(self, g: Group) -> None:
        self.groups[self.next_id] = g
        self.book(self.next_id, g, +1)
        self.next_id += 1
