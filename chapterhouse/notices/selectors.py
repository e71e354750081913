from __future__ import annotations

from collections.abc import Iterable

from chapterhouse.notices.kinds import CHOOSABLE, DEFAULTS, Category, Frequency
from chapterhouse.notices.models import DigestEntry, Preference

CHUNK = 900  # ids per IN (...) (SQLite's variable limit)


def frequencies_of(member_id: int) -> dict[Category, Frequency]:
    """Every choosable category's frequency for one member (the defaults filled in)."""
    return frequencies_for([member_id]).get(member_id, dict(DEFAULTS))


def frequencies_for(member_ids: Iterable[int]) -> dict[int, dict[Category, Frequency]]:
    """The same for many members at once (one query per CHUNK members)."""
    ids = sorted(set(member_ids))
    chosen: dict[int, dict[Category, Frequency]] = {pk: dict(DEFAULTS) for pk in ids}
    for start in range(0, len(ids), CHUNK):
        for member_id, category, frequency in Preference.objects.filter(
                member_id__in=ids[start:start + CHUNK]).values_list(
                    "member_id", "category", "frequency"):
            if category in DEFAULTS:
                chosen[member_id][Category(category)] = Frequency(frequency)
    return chosen


def waiting_count(member_id: int) -> dict[Category, int]:
    """How many notices wait for the member's next digest, per category."""
    counts = dict.fromkeys(CHOOSABLE, 0)
    for category in DigestEntry.objects.filter(member_id=member_id, digest__isnull=True
                                               ).values_list("category", flat=True):
        counts[Category(category)] += 1
    return counts
