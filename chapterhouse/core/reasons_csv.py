"""Words for the shared CSV refusals (domain/csvfiles.py: `csv.*`), registered by
CoreConfig.ready(), and the one way to say a refused file: "line N: why", in the reader's
language (`csv_error_explain`, pages) or in English (`csv_error_english`, the commands)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_lazy

from chapterhouse.core.reasons import Words, explain
from chapterhouse.domain.csvfiles import CsvError
from chapterhouse.domain.reasons import Reason


def _field_too_long(params: Mapping[str, Any]) -> str:
    most = number_format(int(params["most"]), force_grouping=True)
    return gettext("a field is longer than %(most)s characters; is this the right file?") % {
        "most": most}


WORDS: dict[str, Words] = {
    "csv.unreadable": gettext_lazy("cannot read %(path)s: %(why)s"),
    "csv.not_utf8": gettext_lazy("the file is not UTF-8 text (%(why)s); save it as UTF-8"),
    "csv.field_too_long": _field_too_long,
    "csv.not_csv": gettext_lazy("not readable as CSV (%(why)s)"),
    "csv.nul": gettext_lazy("a NUL character: this looks like a binary file, not CSV text"),
    "csv.column_twice": gettext_lazy(
        "the column %(column)s appears twice in the header (columns %(first)s and "
        "%(second)s)"),
    "csv.too_wide": gettext_lazy("%(fields)s fields but the header has %(width)s"),
    # bounded_fraction: the end of a sentence that begins with the number as written.
    "csv.number.too_long": gettext_lazy("is too long for a number (at most %(most)s "
                                        "characters)"),
    "csv.number.not_a_number": gettext_lazy("is not a number"),
    "csv.number.exponent": gettext_lazy("has an exponent beyond ±%(most)s"),
    "csv.number.divides_by_zero": gettext_lazy("divides by zero"),
}


def line_explain(line: int | None, why: Reason) -> str:
    """"line 4: <why>" in the active language; just <why> when no line is known."""
    text = explain(why)
    if line is None:
        return text
    return gettext("line %(line)s: %(problem)s") % {"line": line, "problem": text}


def csv_error_explain(error: CsvError) -> str:
    """A refused file, said in the active language."""
    return line_explain(error.line, error.reason)


def csv_error_english(error: CsvError) -> str:
    """A refused file, in English: the command line."""
    with translation.override("en"):
        return csv_error_explain(error)
