"""Read meeting attendance from a CSV file into the plain records the qualification rule takes.

One row per attendee per meeting, with the header `chapter,meeting,start,timezone,member,gender`
(extra columns are ignored; a column named twice is refused). `start` is an ISO 8601 datetime
with a UTC offset, between 1900 and 2199; `timezone` is the chapter's IANA zone, which decides
the calendar month a meeting falls in; `gender` is `woman`, `man`, `nonbinary`, `other` or empty
(not said), and one member listed twice at one meeting has one gender. Two shorthand rows: an
empty `meeting` declares a chapter that has held no meeting yet, an empty `member` records a
meeting without listing anyone.

Pure: no Django, no database. Every problem raises `AttendanceError` with a reason code
(`attendance.csv.*`, words in chapters/reasons.py; `csv.*` for the file itself) and the line.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from chapterhouse.domain.csvfiles import (
    CsvError,
    check_width,
    header_names,
    read_lines,
    records,
    shown,
)
from chapterhouse.domain.qualification import Attendee, MeetingRecord
from chapterhouse.domain.reasons import reason

COLUMNS = ("chapter", "meeting", "start", "timezone", "member", "gender")
GENDERS = frozenset({"woman", "man", "nonbinary", "other"})
# Meetings outside these years are typing mistakes; the bound also keeps date arithmetic
# (UTC conversion, month windows) far from datetime's year 1 and 9999.
EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2199, 12, 31)


class AttendanceError(CsvError):
    """The file cannot be read as attendance; the reason says why, the line where."""


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
        raise AttendanceError(reason("attendance.csv.empty", header=",".join(COLUMNS)))
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
        raise AttendanceError(reason("attendance.csv.no_rows"))

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
        raise AttendanceError(reason("attendance.csv.missing_columns", count=len(missing),
                                     missing=", ".join(missing), header=",".join(COLUMNS)),
                              line)
    return {column: names.index(column) for column in COLUMNS}


def _cell(row: list[str], index: int) -> str:
    # A short row reads as empty cells; the checks below then name what is missing.
    return row[index].strip() if index < len(row) else ""


def _add_row(chapters: dict[str, _Chapter], row: dict[str, str], line: int) -> None:
    name = row["chapter"]
    if not name:
        raise AttendanceError(reason("attendance.csv.chapter_empty"), line)
    zone_name = row["timezone"]
    chapter = chapters.get(name)
    if chapter is None:
        chapter = chapters[name] = _Chapter(_zone(zone_name, line), zone_name, line, {})
    elif zone_name != chapter.zone_name:
        raise AttendanceError(reason("attendance.csv.zone_changed", chapter=shown(name),
                                     zone=shown(zone_name), first=shown(chapter.zone_name),
                                     first_line=chapter.line), line)

    meeting = row["meeting"]
    if not meeting:
        if row["start"] or row["member"]:
            raise AttendanceError(reason("attendance.csv.meeting_empty"), line)
        return  # the chapter exists but has held no meeting yet
    start = _start(row["start"], line)
    found = chapter.meetings.get(meeting)
    if found is None:
        found = chapter.meetings[meeting] = _Meeting(start, line, [])
    elif start != found.start:
        raise AttendanceError(reason("attendance.csv.start_changed", meeting=shown(meeting),
                                     start=shown(row["start"]), first=found.start.isoformat(),
                                     first_line=found.line), line)

    gender = row["gender"].lower()
    if gender and gender not in GENDERS:
        raise AttendanceError(reason("attendance.csv.gender_unknown", gender=shown(row["gender"]),
                                     genders=", ".join(sorted(GENDERS))), line)
    member = row["member"]
    if member:
        found.attendees.append(Attendee(member, gender or None))
    elif gender:
        raise AttendanceError(reason("attendance.csv.gender_without_member"), line)


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
        raise AttendanceError(reason("attendance.csv.gender_changed", member=shown(member),
                                     gender=repr(gender), first=repr(first[0]),
                                     first_line=first[1], meeting=shown(row["meeting"])), line)


def _zone(name: str, line: int) -> ZoneInfo:
    if not name:
        raise AttendanceError(reason("attendance.csv.zone_empty"), line)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        # ValueError: keys that are not zone names at all, e.g. absolute paths.
        raise AttendanceError(reason("attendance.csv.zone_unknown", zone=shown(name)),
                              line) from error


def _start(text: str, line: int) -> datetime.datetime:
    if not text:
        raise AttendanceError(reason("attendance.csv.start_empty"), line)
    try:
        start = datetime.datetime.fromisoformat(text)
    except ValueError as error:
        raise AttendanceError(reason("attendance.csv.start_not_iso", start=shown(text)),
                              line) from error
    if start.utcoffset() is None:
        # The zone column decides the month, not the instant: a naive time would be a guess.
        raise AttendanceError(reason("attendance.csv.start_no_offset", start=shown(text)), line)
    if not EARLIEST <= start.date() <= LATEST:
        raise AttendanceError(reason("attendance.csv.start_out_of_range", start=shown(text),
                                     earliest=str(EARLIEST), latest=str(LATEST)), line)
    return start
