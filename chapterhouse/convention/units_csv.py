"""Reading a CSV of units and populations (header `unit,population`) for the `apportion`
command: pure, so the refusals are `Reason`s naming the line (domain/csvfiles.py)."""

from __future__ import annotations

from collections.abc import Iterable

from chapterhouse.domain.apportionment import Unit
from chapterhouse.domain.csvfiles import (
    CsvError,
    check_width,
    header_names,
    records,
    shown,
)
from chapterhouse.domain.reasons import reason

# A population people type has a few digits; a longer one is a mistake, not a country.
MAX_POPULATION_DIGITS = 12


def parse_units(lines: Iterable[str]) -> list[Unit]:
    """The units in the file's order. Refused: no header, a missing column, an empty name, a
    population that is not a whole number of at most 12 digits, a name given twice."""
    rows = records(lines)
    first = next(rows, None)
    if first is None:
        raise CsvError(reason("apportion.csv.empty"))
    line, header = first
    names = header_names(header, line)
    for column in ("unit", "population"):
        if column not in names:
            raise CsvError(reason("apportion.csv.missing_column", column=column), line)
    unit_at, population_at = names.index("unit"), names.index("population")
    units: list[Unit] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        check_width(row, len(names), line)
        cells = row + [""] * (len(names) - len(row))
        name, text = cells[unit_at].strip(), cells[population_at].strip().replace(",", "")
        if not name:
            raise CsvError(reason("apportion.csv.no_name"), line)
        if not text.isascii() or not text.isdigit() or len(text) > MAX_POPULATION_DIGITS:
            raise CsvError(reason("apportion.csv.bad_population", text=shown(cells[population_at]),
                                  digits=MAX_POPULATION_DIGITS), line)
        if name in seen:
            raise CsvError(reason("apportion.csv.unit_twice", unit=shown(name),
                                  first=seen[name]), line)
        seen[name] = line
        units.append(Unit(name, int(text)))
    if not units:
        raise CsvError(reason("apportion.csv.no_units"))
    return units
