"""The CSV files the command-line tools read (attendance, members, organizers, ballots).

One way to open them (a path or the bytes of an upload) and walk their records, so every
reader refuses the same bad files naming the line: not UTF-8 (the line of the first bad byte), a
NUL character (a binary file), a field longer than the csv module's limit, a column named twice
in the header, a row with more fields than the header. Also the bounded parsing of numbers typed
by people: a `Fraction` or `Decimal` of `1e999999999` would take minutes or all the memory, so
the text is checked for length and exponent before it is converted. Pure: no Django, no
database, no English: a refusal is a `Reason` (`csv.*`, words in core/reasons_csv.py) and the
line; the commands print it in English, pages in the reader's language.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from fractions import Fraction
from pathlib import Path

from chapterhouse.domain.reasons import Reason, reason

# Python's own default (131,072 characters); a longer field is a broken file, not data.
FIELD_LIMIT = csv.field_size_limit()
# A number people type has a few digits; these bounds leave room for any real one.
MAX_NUMBER_CHARS = 40
MAX_EXPONENT = 30
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE]([+-]?\d+))?|[+-]?\d+/\d+")


class CsvError(ValueError):
    """The file cannot be read: why (`reason`, a code and its parameters) and where (`line`,
    None for the file as a whole). `str()` is the code, a fallback for an error nobody
    explained; readers show `chapterhouse.core.reasons_csv.csv_error_explain(error)`."""

    def __init__(self, why: Reason, line: int | None = None) -> None:
        super().__init__(why, line)
        self.reason = why
        self.line = line

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line is not None else ""
        params = f" {dict(self.reason.params)}" if self.reason.params else ""
        return f"{where}{self.reason.code}{params}"


class NumberError(ValueError):
    """A number people typed that is not read (`bounded_fraction`); `reason` says why, as the
    end of a sentence about the text ("'x' " + "is not a number")."""

    def __init__(self, why: Reason) -> None:
        super().__init__(why.code)
        self.reason = why


def shown(text: str, limit: int = 40) -> str:
    """`text` quoted for a message, cut short: a 100 KB cell must not become a 100 KB line."""
    return repr(text) if len(text) <= limit else repr(text[:limit]) + f"... ({len(text):,})"


def read_bytes(path: str | Path, error: type[CsvError] = CsvError) -> bytes:
    """The file's bytes; a file that cannot be opened is `csv.unreadable`."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as failure:
        raise error(reason("csv.unreadable", path=str(path),
                           why=failure.strerror or str(failure))) from failure


def read_lines(path: str | Path, error: type[CsvError] = CsvError) -> list[str]:
    """The file's lines, for the csv module: UTF-8 with or without a byte order mark."""
    return decode_lines(read_bytes(path, error), error)


def decode_lines(data: bytes, error: type[CsvError] = CsvError) -> list[str]:
    """The lines of a file's bytes (an upload), as `read_lines`."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as failure:
        line = data[:failure.start].count(b"\n") + 1
        raise error(reason("csv.not_utf8", why=failure.reason), line) from failure
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
                raise error(reason("csv.field_too_long", most=FIELD_LIMIT), line) from None
            raise error(reason("csv.not_csv", why=str(failure)), line) from None
        if any("\x00" in cell for cell in row):
            raise error(reason("csv.nul"), reader.line_num)
        yield reader.line_num, row


def header_names(row: list[str], line: int, error: type[CsvError] = CsvError) -> list[str]:
    """The header's column names, trimmed and lowercased; a name given twice is refused, since
    either column could be the one meant."""
    names = [cell.strip().lower() for cell in row]
    first: dict[str, int] = {}
    for position, name in enumerate(names, start=1):
        if name and name in first:
            raise error(reason("csv.column_twice", column=shown(name), first=first[name],
                               second=position), line)
        first.setdefault(name, position)
    return names


def check_width(row: list[str], width: int, line: int, error: type[CsvError] = CsvError,
                code: str = "csv.too_wide") -> None:
    """A row longer than the header is refused; `code` names a reader's own words for it (a
    hint on what went wrong), with the parameters `fields` and `width`."""
    if len(row) > width:
        raise error(Reason(code, {"fields": len(row), "width": width}), line)


def bounded_fraction(text: str) -> Fraction:
    """The exact number written as `3`, `-2.5`, `1e3` or `2/3`. Anything else raises
    NumberError (a ValueError), including numbers too long or exponents too large to be meant
    (checked before converting); its reason continues a sentence about the text:
    "'x' " + "is not a number"."""
    text = text.strip()
    if len(text) > MAX_NUMBER_CHARS:
        raise NumberError(reason("csv.number.too_long", most=MAX_NUMBER_CHARS))
    match = _NUMBER.fullmatch(text)
    if match is None:
        raise NumberError(reason("csv.number.not_a_number"))
    if match.group(1) is not None and abs(int(match.group(1))) > MAX_EXPONENT:
        raise NumberError(reason("csv.number.exponent", most=MAX_EXPONENT))
    try:
        return Fraction(text)
    except ZeroDivisionError:
        raise NumberError(reason("csv.number.divides_by_zero")) from None
