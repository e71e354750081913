"""Reading attendance CSV files: what is accepted, and bad input named by its line."""

from __future__ import annotations

import datetime
import io
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from chapterhouse.chapters.attendance_csv import (
    AttendanceError,
    parse_attendance,
    read_attendance,
)
from chapterhouse.core.reasons_csv import csv_error_english
from chapterhouse.domain.qualification import Attendee

HEADER = "chapter,meeting,start,timezone,member,gender\n"


def parse(text: str):
    return parse_attendance(io.StringIO(text, newline=""))


def test_rows_are_grouped_into_chapters_and_meetings(tmp_path: Path) -> None:
    path = tmp_path / "attendance.csv"
    path.write_text(
        HEADER
        + "Oslo,m2,2013-11-05T19:00+01:00,Europe/Oslo,ingrid,woman\n"
        + "Oslo,m1,2013-10-05T19:00+02:00,Europe/Oslo,ingrid,woman\n"
        + "Oslo,m1,2013-10-05T19:00+02:00,Europe/Oslo,ola,man\n"
        + "Lima,l1,2013-10-05T19:00-05:00,America/Lima,rosa,\n",
        encoding="utf-8",
    )
    chapters = read_attendance(path)
    assert list(chapters) == ["Lima", "Oslo"]
    oslo = chapters["Oslo"]
    assert oslo.zone == ZoneInfo("Europe/Oslo")
    assert [m.meeting for m in oslo.meetings] == ["m1", "m2"]  # by start
    first = oslo.meetings[0]
    assert first.start == datetime.datetime(2013, 10, 5, 17, 0, tzinfo=datetime.UTC)
    assert first.attendees == (Attendee("ingrid", "woman"), Attendee("ola", "man"))
    assert chapters["Lima"].meetings[0].attendees == (Attendee("rosa", None),)


def test_a_byte_order_mark_extra_columns_and_column_order_do_not_matter(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(
        "\ufeffnote,gender,member,timezone,start,meeting,chapter\r\n"
        "first!,Woman,ana,Europe/Lisbon,2013-10-05T19:00Z,m1,Lisboa\r\n".encode()
    )
    meetings = read_attendance(path)["Lisboa"].meetings
    assert meetings[0].attendees == (Attendee("ana", "woman"),)
    assert meetings[0].start.utcoffset() == datetime.timedelta(0)


def test_a_row_without_meeting_declares_a_chapter_that_has_not_met_yet() -> None:
    chapters = parse(HEADER + "Quito,,,America/Guayaquil,,\n")
    assert chapters["Quito"].meetings == []


def test_a_row_without_member_records_a_meeting_nobody_is_listed_for() -> None:
    chapters = parse(HEADER + "Quito,q1,2013-10-05T19:00-05:00,America/Guayaquil,,\n")
    assert chapters["Quito"].meetings[0].attendees == ()


def test_blank_lines_are_skipped_and_later_lines_keep_their_numbers() -> None:
    text = (HEADER + "\nOslo,m1,2013-10-05T19:00+02:00,Europe/Oslo,a,woman\n"
            + "\nOslo,m1,nope,Europe/Oslo,b,\n")
    with pytest.raises(AttendanceError) as caught:
        parse(text)
    assert csv_error_english(caught.value).startswith("line 5: start 'nope'")
    assert caught.value.line == 5


ROW = "Oslo,m1,2013-10-05T19:00+02:00,Europe/Oslo,a,woman\n"


@pytest.mark.parametrize(("text", "message"), [
    (HEADER + ROW + "Oslo,m1,2013-10-05T19:00+02:00,Mars/Olympus_Mons,b,\n",
     "line 3: chapter 'Oslo' has timezone 'Mars/Olympus_Mons' here but 'Europe/Oslo' on line 2"),
    (HEADER + "Base,m1,2013-10-05T19:00+02:00,Mars/Olympus_Mons,b,\n",
     "line 2: timezone 'Mars/Olympus_Mons' is not a known IANA time zone"),
    (HEADER + "Base,m1,2013-10-05T19:00+02:00,/etc/passwd,b,\n",
     "line 2: timezone '/etc/passwd' is not a known IANA time zone"),
    (HEADER + "Base,m1,2013-10-05T19:00+02:00,,b,\n",
     "line 2: timezone is empty"),
    (HEADER + ROW + ROW + "Oslo,m2,2013-10-05 19:00,Europe/Oslo,a,woman\n",
     "line 4: start '2013-10-05 19:00' has no UTC offset"),
    (HEADER + "Oslo,m2,2013-10-05,Europe/Oslo,a,woman\n",
     "line 2: start '2013-10-05' has no UTC offset"),
    (HEADER + "Oslo,m2,5 October 2013,Europe/Oslo,a,woman\n",
     "line 2: start '5 October 2013' is not an ISO 8601 datetime"),
    (HEADER + "Oslo,m2,2013-02-30T19:00+01:00,Europe/Oslo,a,woman\n",
     "line 2: start '2013-02-30T19:00+01:00' is not an ISO 8601 datetime"),
    (HEADER + "Oslo,m2,,Europe/Oslo,a,woman\n", "line 2: start is empty"),
    (HEADER + ROW + "Oslo,m1,2013-10-05T19:00+01:00,Europe/Oslo,b,man\n",
     "line 3: meeting 'm1' starts at '2013-10-05T19:00+01:00' here but at "
     "2013-10-05T19:00:00+02:00 on line 2"),
    ("chapter,meeting,start,timezone,member\n" + ROW, "line 1: missing column gender "),
    ("chapter,meeting,begin,zone,member,gender\n" + ROW, "line 1: missing columns start, timezone"),
    (HEADER + "Oslo,m1,2013-10-05T19:00+02:00,Europe/Oslo,a,female\n",
     "line 2: gender 'female' is not one of man, nonbinary, other, woman or empty"),
    (HEADER + "Oslo,m1,2013-10-05T19:00+02:00,Europe/Oslo,,woman\n",
     "line 2: gender is given but member is empty"),
    (HEADER + ",m1,2013-10-05T19:00+02:00,Europe/Oslo,a,woman\n", "line 2: chapter is empty"),
    (HEADER + "Oslo,m1,2013-10-05T19:00+02:00\n", "line 2: timezone is empty"),
    (HEADER + "Oslo,,2013-10-05T19:00+02:00,Europe/Oslo,a,\n",
     "line 2: meeting is empty but start or member is given"),
    ("", "the file is empty"),
    ("\n\n", "the file is empty"),
    (HEADER, "the file has a header but no attendance rows"),
])
def test_bad_input_is_refused_with_a_message_naming_the_line(text: str, message: str) -> None:
    with pytest.raises(AttendanceError) as caught:
        parse(text)
    assert csv_error_english(caught.value).startswith(message)


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes((HEADER + "Malmö,m1,2013-10-05T19:00+02:00,Europe/Stockholm,a,\n")
                     .encode("latin-1"))
    with pytest.raises(AttendanceError) as caught:
        read_attendance(path)
    assert "is not UTF-8" in csv_error_english(caught.value)


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(AttendanceError) as caught:
        read_attendance(tmp_path / "nowhere.csv")
    assert re.search(r"cannot read .*nowhere\.csv", csv_error_english(caught.value))
