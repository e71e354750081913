"""Who a call is for, and each candidate time in each invitee's local time.

Invitees, kept simple: the organizer and those whose sign-up the organizer accepted; for a
regional call also the
coordinators of that continent's chapters, who are invited without signing up (a region's
call is for its chapters). A member with no city counts in UTC.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Q

from chapterhouse.coordination import rotation
from chapterhouse.coordination.models import Call, Scope, Signup
from chapterhouse.members.models import Member
from chapterhouse.timebounds import local_time

UNKNOWN_ZONE = "UTC"


def call_invitees(call: Call) -> list[Member]:
    who = Q(pk__in=Signup.objects.accepted().filter(call=call).values("member_id"))
    if call.organizer_id:
        who |= Q(pk=call.organizer_id)
    if call.scope == Scope.REGION:
        who |= Q(coordinated_chapters__place__continent_code=call.continent)
    return list(Member.objects.filter(who, is_active=True).distinct()
                .select_related("place").order_by("display_name"))


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


def zone_table(starts: list[datetime.datetime], invitees: list[Member]) -> list[ZoneRow]:
    """One row per time zone among the invitees (east to west), one cell per candidate."""
    rows: dict[str, ZoneRow] = {}
    for member in invitees:
        rows.setdefault(zone_name(member), ZoneRow(zone_name(member))).names.append(
            member.display_name)
    reference = starts[0] if starts else datetime.datetime.now(datetime.UTC)
    ordered = sorted(rows.values(),
                     key=lambda r: (-local_time(reference, ZoneInfo(r.zone)).utcoffset(), r.zone))
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
