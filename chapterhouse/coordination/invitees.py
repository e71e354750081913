"""Each candidate time of a call in each invitee's local time (who the invitees are is
selectors.call_invitees). A member with no city counts in UTC."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from chapterhouse.coordination import rotation
from chapterhouse.domain.timebounds import local_time

if TYPE_CHECKING:
    from chapterhouse.members.models import Member

UNKNOWN_ZONE = "UTC"


def zone_name(member: Member) -> str:
    return member.time_zone(UNKNOWN_ZONE)


@dataclass(frozen=True, slots=True)
class Cell:
    local: datetime.datetime
    inconvenient: bool


@dataclass(slots=True)
class ZoneRow:
    zone: str
    names: list[str] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)


def zone_table(starts: list[datetime.datetime], invitees: list[Member], *,
               now: datetime.datetime) -> list[ZoneRow]:
    """One row per time zone among the invitees (east to west, as of the first candidate or,
    without one, `now`), one cell per candidate."""
    rows: dict[str, ZoneRow] = {}
    for member in invitees:
        rows.setdefault(zone_name(member), ZoneRow(zone_name(member))).names.append(
            member.display_name)
    reference = starts[0] if starts else now

    def east_to_west(row: ZoneRow) -> tuple[datetime.timedelta, str]:
        offset = local_time(reference, ZoneInfo(row.zone)).utcoffset() or datetime.timedelta()
        return -offset, row.zone

    ordered = sorted(rows.values(), key=east_to_west)
    for row in ordered:
        zone = ZoneInfo(row.zone)
        row.cells = [Cell(local_time(at, zone), rotation.is_inconvenient(at, zone))
                     for at in starts]
    return ordered


def inconvenient_counts(table: list[ZoneRow]) -> list[int]:
    """For each candidate, how many invitees it is inconvenient for."""
    if not table:
        return []
    return [sum(len(row.names) for row in table if row.cells[i].inconvenient)
            for i in range(len(table[0].cells))]
