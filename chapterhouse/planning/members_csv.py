"""Read the planner's CSV inputs: members and organizers.

members.csv: `id,lat,lon,chapter` plus optional `gender` (absent or empty: not said, so not
counted toward the women's share), optional `willing` (yes/no/empty; `no` keeps the
member out of new chapters) and `active` (yes/no/empty; when a chapter has any `yes`, only
those members count for its split). organizers.csv: `id,lat,lon,hours_per_week,months` plus
optional `reach_km`. Extra columns are ignored; a column named twice is refused. Every problem
raises `InputError` with a reason code (`planner.csv.*`, words in planner/reasons.py; `csv.*`
for the file itself) and the line (the header is line 1).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from chapterhouse.domain.csvfiles import (
    CsvError,
    check_width,
    header_names,
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
                                header=",".join(required)), line)
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
    return parse_members(_open(path))


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
