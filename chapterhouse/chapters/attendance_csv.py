"""Read meeting attendance from a CSV file into the plain records the qualification rule takes.

One row per attendee per meeting, with the header `chapter,meeting,start,timezone,member,gender`
(extra columns are ignored; a column named twice is refused). `start` is an ISO 8601 datetime
with a UTC offset, between 1900 and 2199; `timezone` is the chapter's IANA zone, which decides
the calendar month a meeting falls in; `gender` is `woman`, `man`, `nonbinary`, `other` or empty
(not said), and one member listed twice at one meeting has one gender. Two shorthand rows: an
empty `meeting` declares a chapter that has held no meeting yet, an empty `member` records a
meeting without listing anyone.

Pure: no Django, no database. Every problem raises `AttendanceError` naming the line.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from chapterhouse.chapters.qualification import Attendee, MeetingRecord
from chapterhouse.csvfiles import (
    CsvError,
    check_width,
    header_names,
    read_lines,
    records,
    shown,
)

COLUMNS = ("chapter", "meeting", "start", "timezone", "member", "gender")
GENDERS = frozenset({"woman", "man", "nonbinary", "other"})
# Meetings outside these years are typing mistakes; the bound also keeps date arithmetic
# (UTC conversion, month windows) far from datetime's year 1 and 9999.
EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2199, 12, 31)


class AttendanceError(CsvError):
    """The file cannot be read as attendance; the message says where and why."""


class ChapterAttendance(NamedTuple):
    zone: ZoneInfo
    meetings: list[MeetingRecord]


class _Meeting(NamedTuple):
    start: datetime.datetime
    line: int
    attendees: list[Attendee]


class _Chapter(NamedTuple):
    zone: ZoneInfo
    zone_name: str
    line: int
    meetings: dict[str, _Meeting]


def read_attendance(path: str | Path) -> dict[str, ChapterAttendance]:
    """Parse the CSV file at `path` (UTF-8, with or without a byte order mark)."""
    return parse_attendance(read_lines(path, AttendanceError))


def parse_attendance(lines: Iterable[str]) -> dict[str, ChapterAttendance]:
    """Each chapter's zone and meetings (sorted by start), keyed by chapter name, sorted."""
    rows_in = records(lines, AttendanceError)
    header_line, header = next(rows_in, (1, []))
    if not any(cell.strip() for cell in header):
        raise AttendanceError("the file is empty: expected the header " + ",".join(COLUMNS))
    index = _column_index(header, header_line)

    chapters: dict[str, _Chapter] = {}
    # (chapter, meeting, member) -> (disclosed gender, its first line)
    genders: dict[tuple[str, str, str], tuple[str, int]] = {}
    rows = 0
    for line, row in rows_in:
        if not any(cell.strip() for cell in row):
            continue
        rows += 1
        check_width(row, len(header), line, AttendanceError)
        # The line is the record's last physical line: right unless a field spans lines.
        cells = {name: _cell(row, i) for name, i in index.items()}
        _add_row(chapters, cells, line)
        _check_gender(genders, cells, line)
    if not rows:
        raise AttendanceError("the file has a header but no attendance rows")

    return {
        name: ChapterAttendance(
            chapter.zone,
            sorted(
                (
                    MeetingRecord(meeting, found.start, tuple(found.attendees))
                    for meeting, found in chapter.meetings.items()
                ),
                key=lambda record: (record.start, record.meeting),
            ),
        )
        for name, chapter in sorted(chapters.items())
    }


def _column_index(header: list[str], line: int) -> dict[str, int]:
    names = header_names(header, line, AttendanceError)
    missing = [column for column in COLUMNS if column not in names]
    if missing:
        plural = "s" if len(missing) > 1 else ""
        raise AttendanceError(
            f"missing column{plural} {', '.join(missing)} (the header must name "
            f"{','.join(COLUMNS)})",
            line,
        )
    return {column: names.index(column) for column in COLUMNS}


def _cell(row: list[str], index: int) -> str:
    # A short row reads as empty cells; the checks below then name what is missing.
    return row[index].strip() if index < len(row) else ""


def _add_row(chapters: dict[str, _Chapter], row: dict[str, str], line: int) -> None:
    name = row["chapter"]
    if not name:
        raise AttendanceError("chapter is empty", line)
    zone_name = row["timezone"]
    chapter = chapters.get(name)
    if chapter is None:
        chapter = chapters[name] = _Chapter(_zone(zone_name, line), zone_name, line, {})
    elif zone_name != chapter.zone_name:
        raise AttendanceError(
            f"chapter {shown(name)} has timezone {shown(zone_name)} here but "
            f"{shown(chapter.zone_name)} on line {chapter.line}; a chapter keeps one time zone",
            line,
        )

    meeting = row["meeting"]
    if not meeting:
        if row["start"] or row["member"]:
            raise AttendanceError("meeting is empty but start or member is given", line)
        return  # the chapter exists but has held no meeting yet
    start = _start(row["start"], line)
    found = chapter.meetings.get(meeting)
    if found is None:
        found = chapter.meetings[meeting] = _Meeting(start, line, [])
    elif start != found.start:
        raise AttendanceError(
            f"meeting {shown(meeting)} starts at {shown(row['start'])} here but at "
            f"{found.start.isoformat()} on line {found.line}",
            line,
        )

    gender = row["gender"].lower()
    if gender and gender not in GENDERS:
        raise AttendanceError(
            f"gender {shown(row['gender'])} is not one of {', '.join(sorted(GENDERS))} or empty",
            line,
        )
    member = row["member"]
    if member:
        found.attendees.append(Attendee(member, gender or None))
    elif gender:
        raise AttendanceError("gender is given but member is empty", line)


def _check_gender(genders: dict[tuple[str, str, str], tuple[str, int]], row: dict[str, str],
                  line: int) -> None:
    """Two rows giving one attendee of a meeting two genders contradict each other: which one
    is true decides whether she counts, so the file is refused rather than guessed at. (Empty
    is "not said"; the same gender twice is one attendee listed twice, counted once.)"""
    member, gender = row["member"], row["gender"].lower()
    if not member or not gender:
        return
    first = genders.setdefault((row["chapter"], row["meeting"], member), (gender, line))
    if first[0] != gender:
        raise AttendanceError(
            f"member {shown(member)} has gender {gender!r} here but {first[0]!r} on line "
            f"{first[1]}, at the same meeting {shown(row['meeting'])}", line)


def _zone(name: str, line: int) -> ZoneInfo:
    if not name:
        raise AttendanceError("timezone is empty (expected an IANA zone like Europe/Vienna)", line)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        # ValueError: keys that are not zone names at all, e.g. absolute paths.
        raise AttendanceError(f"timezone {shown(name)} is not a known IANA time zone",
                              line) from error


def _start(text: str, line: int) -> datetime.datetime:
    if not text:
        raise AttendanceError("start is empty", line)
    try:
        start = datetime.datetime.fromisoformat(text)
    except ValueError as error:
        raise AttendanceError(
            f"start {shown(text)} is not an ISO 8601 datetime (e.g. 2013-10-05T19:00+02:00)",
            line) from error
    if start.utcoffset() is None:
        # The zone column decides the month, not the instant: a naive time would be a guess.
        raise AttendanceError(f"start {shown(text)} has no UTC offset", line)
    if not EARLIEST <= start.date() <= LATEST:
        raise AttendanceError(f"start {shown(text)} is not between {EARLIEST} and {LATEST}", line)
    return start
