"""The CSV files the command-line tools read (attendance, members, organizers, ballots).

One way to open them and walk their records, so every reader refuses the same bad files with a
message naming the line: not UTF-8 (the line of the first bad byte), a NUL character (a binary
file), a field longer than the csv module's limit, a column named twice in the header, a row
with more fields than the header. Also the bounded parsing of numbers typed by people: a
`Fraction` or `Decimal` of `1e999999999` would take minutes or all the memory, so the text is
checked for length and exponent before it is converted. Pure: no Django, no database.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from fractions import Fraction
from pathlib import Path

# Python's own default (131,072 characters); a longer field is a broken file, not data.
FIELD_LIMIT = csv.field_size_limit()
# A number people type has a few digits; these bounds leave room for any real one.
MAX_NUMBER_CHARS = 40
MAX_EXPONENT = 30
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE]([+-]?\d+))?|[+-]?\d+/\d+")


class CsvError(ValueError):
    """The file cannot be read; the message says where (`line N: ...`) and why."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(f"line {line}: {message}" if line is not None else message)
        self.line = line


def shown(text: str, limit: int = 40) -> str:
    """`text` quoted for a message, cut short: a 100 KB cell must not become a 100 KB line."""
    return repr(text) if len(text) <= limit else repr(text[:limit]) + f"... ({len(text):,} chars)"


def read_lines(path: str | Path, error: type[CsvError] = CsvError) -> list[str]:
    """The file's lines, for the csv module: UTF-8 with or without a byte order mark."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as failure:
        raise error(f"cannot read {path}: {failure.strerror or failure}") from failure
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as failure:
        line = data[:failure.start].count(b"\n") + 1
        raise error(f"the file is not UTF-8 text ({failure.reason}); save it as UTF-8",
                    line) from failure
    # newline="": only \r and \n end a line, as in the csv module (str.splitlines would also
    # split at \x0c or \u2028 inside a field and shift every line number after it).
    return io.StringIO(text, newline="").readlines()


def records(lines: Iterable[str], error: type[CsvError] = CsvError
            ) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) per CSV record; the number is the record's last physical line."""
    reader = csv.reader(lines)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as failure:
            line = reader.line_num
            if "field larger than field limit" in str(failure):
                raise error(f"a field is longer than {FIELD_LIMIT:,} characters; is this the "
                            "right file?", line) from None
            raise error(f"not readable as CSV ({failure})", line) from None
        if any("\x00" in cell for cell in row):
            raise error("a NUL character: this looks like a binary file, not CSV text",
                        reader.line_num)
        yield reader.line_num, row


def header_names(row: list[str], line: int, error: type[CsvError] = CsvError) -> list[str]:
    """The header's column names, trimmed and lowercased; a name given twice is refused, since
    either column could be the one meant."""
    names = [cell.strip().lower() for cell in row]
    first: dict[str, int] = {}
    for position, name in enumerate(names, start=1):
        if name and name in first:
            raise error(f"the column {shown(name)} appears twice in the header (columns "
                        f"{first[name]} and {position})", line)
        first.setdefault(name, position)
    return names


def check_width(row: list[str], width: int, line: int, error: type[CsvError] = CsvError,
                hint: str = "") -> None:
    if len(row) > width:
        raise error(f"{len(row)} fields but the header has {width}{hint}", line)


def bounded_fraction(text: str) -> Fraction:
    """The exact number written as `3`, `-2.5`, `1e3` or `2/3`. Anything else raises ValueError,
    including numbers too long or exponents too large to be meant (checked before converting);
    its message continues a sentence about the text: "'x' " + "is not a number"."""
    text = text.strip()
    if len(text) > MAX_NUMBER_CHARS:
        raise ValueError(f"is too long for a number (at most {MAX_NUMBER_CHARS} characters)")
    match = _NUMBER.fullmatch(text)
    if match is None:
        raise ValueError("is not a number")
    if match.group(1) is not None and abs(int(match.group(1))) > MAX_EXPONENT:
        raise ValueError(f"has an exponent beyond ±{MAX_EXPONENT}")
    try:
        return Fraction(text)
    except ZeroDivisionError:
        raise ValueError("divides by zero") from None
