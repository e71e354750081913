"""Read the planner's CSV inputs: members and organizers.

members.csv: `id,lat,lon,chapter` plus optional `gender` (absent or empty: not said, so not
counted toward the women's share), optional `willing` (yes/no/empty; `no` keeps the
member out of new chapters) and `active` (yes/no/empty; when a chapter has any `yes`, only
those members count for its split). organizers.csv: `id,lat,lon,hours_per_week,months` plus
optional `reach_km`. Extra columns are ignored; a column named twice is refused. Every problem
raises `InputError` with a reason code (`planner.csv.*`, words in planner/reasons.py; `csv.*`
for the file itself) and the line (the header is line 1).

Members files are read by columns first (`read_members`: pyarrow's CSV reader, every check
vectorised), which takes a second for a million members where the row-by-row reader took
fifteen. That path only reads clean files: any file it cannot vouch for (quotes, a lone carriage
return, a row of another width, a cell that is not plainly a number, a duplicate id, anything the
row-by-row reader would refuse) is read again by `parse_members`, which gives the same members or
the error naming the line and the reason.
"""

from __future__ import annotations

import codecs
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from chapterhouse.domain.csvfiles import (
    FIELD_LIMIT,
    MAX_NUMBER_CHARS,
    CsvError,
    check_width,
    decode_lines,
    header_names,
    read_bytes,
    read_lines,
    records,
    shown,
)
from chapterhouse.domain.reasons import reason
from chapterhouse.planning.organizers import DEFAULT_REACH_KM, Organizer

GENDERS = frozenset({"woman", "man", "nonbinary", "other", ""})
MEMBER_COLUMNS = ("id", "lat", "lon", "chapter")  # `gender` is optional (export_members)
ORGANIZER_COLUMNS = ("id", "lat", "lon", "hours_per_week", "months")
_YES_NO = {"yes": True, "no": False, "": None}


class InputError(CsvError):
    """The file cannot be read as members or organizers; the reason says why, the line where."""


@dataclass(frozen=True)
class Members:
    ids: list[str]
    lat: NDArray[np.float64]
    lon: NDArray[np.float64]
    gender: list[str]
    chapter: list[str]  # "" for unaffiliated
    willing: NDArray[np.bool_]
    active_given: NDArray[np.bool_]  # the file says "yes" explicitly

    def __len__(self) -> int:
        return len(self.ids)

    def counted(self, genders: frozenset[str] = frozenset({"woman"})) -> NDArray[np.bool_]:
        return np.array([g in genders for g in self.gender], dtype=bool)


def _open(path: str | Path) -> list[str]:
    return read_lines(path, InputError)


def _rows(lines: list[str], required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, {column: cell}) per data row; blank rows are skipped, as csv.DictReader did."""
    if not lines or not "".join(lines).strip():
        raise InputError(reason("planner.csv.empty", header=",".join(required)), 1)
    rows = records(lines, InputError)
    line, row = next(rows)
    header = header_names(row, line, InputError)
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(reason("planner.csv.missing_columns", missing=", ".join(missing),
                                count=len(missing), header=",".join(required)), line)
    for line, row in rows:
        if not row:
            continue
        check_width(row, len(header), line, InputError, code="planner.csv.too_wide")
        yield line, dict(zip(header, row, strict=False))


def _number(text: str | None, what: str, line: int, low: float, high: float) -> float:
    text = (text or "").strip()
    # float() of a 100,000-digit cell is slow and means nothing: no coordinate needs 40 chars.
    if len(text) > 40:
        raise InputError(reason("planner.csv.not_a_number", what=what, text=shown(text)), line)
    try:
        value = float(text)
    except ValueError:
        raise InputError(reason("planner.csv.not_a_number", what=what, text=shown(text)),
                         line) from None
    if not math.isfinite(value):
        raise InputError(reason("planner.csv.not_finite", what=what, text=repr(text)), line)
    if not low <= value <= high:
        raise InputError(reason("planner.csv.out_of_range", what=what, value=f"{value:g}",
                                low=f"{low:g}", high=f"{high:g}"), line)
    return value


def _flag(text: str | None, what: str, line: int) -> bool | None:
    word = (text or "").strip().lower()
    if word not in _YES_NO:
        raise InputError(reason("planner.csv.not_yes_no", what=what, text=shown(text or "")),
                         line)
    return _YES_NO[word]


def read_members(path: str | Path) -> Members:
    data = read_bytes(path, InputError)
    members = read_clean_members(data)
    return members if members is not None else parse_members(decode_lines(data, InputError))


# A coordinate the columnar reader converts itself: plain ASCII decimal, which Python's float()
# reads the same (both round correctly). Spaces, underscores, "nan", other digits: row by row.
_PLAIN_NUMBER = r"^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"
# An id that str.strip() leaves as it is: printable ASCII, not a space, at both ends.
_PLAIN_ENDS = r"^[!-~](?:.*[!-~])?$"


def read_clean_members(data: bytes) -> Members | None:
    """The members of a file's bytes read by columns, or None when the file is not clean.

    Clean: UTF-8 without NUL, no quote character, lines ended by \n or \r\n, no line longer
    than the csv module's field limit, a header with the required columns once each, every row
    as wide as the header, ids present and distinct, genders and flags among the known words,
    coordinates plain decimal numbers in range. The result is then exactly `parse_members`'s;
    for any other file the caller reads it row by row, which accepts it or names the line.
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    if b"\x00" in data or b'"' in data:
        return None
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n")
        if b"\r" in data:
            return None
    if not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return None
    ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == ord("\n"))
    if len(ends) == 0 or ends[0] == 0:  # no data row, or a blank header line
        return None
    if int(np.diff(ends, prepend=-1).max()) > FIELD_LIMIT or len(data) - ends[-1] > FIELD_LIMIT:
        return None
    try:
        header = header_names(data[:ends[0]].decode("utf-8").split(","), 1, InputError)
    except InputError:
        return None
    if any(c not in header for c in MEMBER_COLUMNS):
        return None
    return _columns(data, header)


def _columns(data: bytes, header: list[str]) -> Members | None:
    import pyarrow as pa
    import pyarrow.compute as pc
    from pyarrow import csv as pa_csv

    names = [f"c{i}" for i in range(len(header))]
    wanted = [c for c in (*MEMBER_COLUMNS, "gender", "willing", "active") if c in header]
    column = {c: names[header.index(c)] for c in wanted}
    try:
        table = pa_csv.read_csv(
            pa.py_buffer(data),
            read_options=pa_csv.ReadOptions(column_names=names, skip_rows=1),
            parse_options=pa_csv.ParseOptions(quote_char=False, ignore_empty_lines=True),
            convert_options=pa_csv.ConvertOptions(
                include_columns=list(column.values()),
                column_types=dict.fromkeys(column.values(), pa.string()),
                strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, pa.ArrowException):
        return None  # a row of another width, mostly: the row-by-row reader names it
    if table.num_rows == 0:
        return None
    cells = {c: table[column[c]].combine_chunks() for c in wanted}
    raw_ids = cells["id"]
    plain = pc.all(pc.match_substring_regex(raw_ids, _PLAIN_ENDS)).as_py()
    ids: list[str] = raw_ids.to_numpy(zero_copy_only=False).tolist()
    if plain:
        distinct = len(pc.unique(raw_ids))
    else:
        ids = [i.strip() for i in ids]
        if not all(ids):
            return None
        distinct = len(set(ids))
    if distinct != len(ids):
        return None
    lat = _coordinates(cells["lat"], -90, 90)
    lon = _coordinates(cells["lon"], -180, 180)
    if lat is None or lon is None:
        return None
    chapter = _coded(cells["chapter"], str.strip)
    gender = _coded(cells["gender"], _gender_word) if "gender" in cells else ([""], None)
    willing = _coded(cells["willing"], _flag_word) if "willing" in cells else (["yes"], None)
    active = _coded(cells["active"], _flag_word) if "active" in cells else (["no"], None)
    if chapter is None or gender is None or willing is None or active is None:
        return None
    return Members(ids, lat, lon, _spread(gender, len(ids)), _spread(chapter, len(ids)),
                   _spread_flag(willing, len(ids), lambda word: word != "no"),
                   _spread_flag(active, len(ids), lambda word: word == "yes"))


Coded = tuple[list[str], "NDArray[np.intp] | None"]  # distinct values, each row's index


def _coded(cells: Any, normalise: Callable[[str], str | None]) -> Coded | None:
    """A column as its distinct values (normalised) and each row's index among them; None when
    a value is refused (`normalise` returned None)."""
    encoded = cells.dictionary_encode()
    words = [normalise(text) for text in encoded.dictionary.to_pylist()]
    if any(word is None for word in words):
        return None
    return [w for w in words if w is not None], encoded.indices.to_numpy().astype(np.intp)


def _spread(coded: Coded, n: int) -> list[str]:
    words, index = coded
    if index is None:
        return [words[0]] * n
    return np.array(words, dtype=object)[index].tolist()  # type: ignore[no-any-return]


def _spread_flag(coded: Coded, n: int, true: Callable[[str], bool]) -> NDArray[np.bool_]:
    words, index = coded
    truth = np.array([true(w) for w in words], dtype=bool)
    return np.full(n, truth[0]) if index is None else truth[index]


def _gender_word(text: str) -> str | None:
    word = text.strip().lower()
    return word if word in GENDERS else None


def _flag_word(text: str) -> str | None:
    word = text.strip().lower()
    return word if word in _YES_NO else None


def _coordinates(cells: Any, low: float, high: float) -> NDArray[np.float64] | None:
    """Plain decimal numbers within [low, high], converted by pyarrow; None otherwise."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not pc.all(pc.match_substring_regex(cells, _PLAIN_NUMBER)).as_py():
        return None
    if pc.max(pc.binary_length(cells)).as_py() > MAX_NUMBER_CHARS:
        return None
    try:
        values: NDArray[np.float64] = pc.cast(cells, pa.float64()).to_numpy()
    except pa.ArrowException:
        return None
    if not (np.isfinite(values).all() and (values >= low).all() and (values <= high).all()):
        return None
    return values


def parse_members(lines: list[str]) -> Members:
    ids: list[str] = []
    lat: list[float] = []
    lon: list[float] = []
    gender: list[str] = []
    chapter: list[str] = []
    willing: list[bool] = []
    given: list[bool] = []
    seen: dict[str, int] = {}
    for line, row in _rows(lines, MEMBER_COLUMNS):
        member_id = (row.get("id") or "").strip()
        if not member_id:
            raise InputError(reason("planner.csv.empty_id"), line)
        if member_id in seen:
            raise InputError(reason("planner.csv.duplicate_id", id=shown(member_id),
                                    first_line=seen[member_id]), line)
        seen[member_id] = line
        word = (row.get("gender") or "").strip().lower()
        if word not in GENDERS:
            raise InputError(reason("planner.csv.unknown_gender",
                                    gender=shown(row.get("gender") or "")), line)
        ids.append(member_id)
        lat.append(_number(row.get("lat"), "latitude", line, -90, 90))
        lon.append(_number(row.get("lon"), "longitude", line, -180, 180))
        gender.append(word)
        chapter.append((row.get("chapter") or "").strip())
        willing.append(_flag(row.get("willing"), "willing", line) is not False)
        given.append(_flag(row.get("active"), "active", line) is True)
    if not ids:
        raise InputError(reason("planner.csv.no_members"), 2)
    return Members(ids, np.array(lat), np.array(lon), gender, chapter, np.array(willing),
                   np.array(given))


def read_organizers(path: str | Path) -> list[Organizer]:
    return parse_organizers(_open(path))


def parse_organizers(lines: list[str]) -> list[Organizer]:
    out: list[Organizer] = []
    seen: set[str] = set()
    for line, row in _rows(lines, ORGANIZER_COLUMNS):
        org_id = (row.get("id") or "").strip()
        if not org_id:
            raise InputError(reason("planner.csv.empty_id"), line)
        if org_id in seen:
            raise InputError(reason("planner.csv.duplicate_organizer", id=shown(org_id)), line)
        seen.add(org_id)
        reach = row.get("reach_km")
        out.append(Organizer(
            org_id,
            _number(row.get("lat"), "latitude", line, -90, 90),
            _number(row.get("lon"), "longitude", line, -180, 180),
            _number(row.get("hours_per_week"), "hours_per_week", line, 0, 168),
            _number(row.get("months"), "months", line, 0, 120),
            _number(reach, "reach_km", line, 0, 20040) if (reach or "").strip()
            else DEFAULT_REACH_KM,
        ))
    if not out:
        raise InputError(reason("planner.csv.no_organizers"), 2)
    return out
