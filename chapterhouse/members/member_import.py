"""Checking a member list before it is imported: the rules, with no writes.

`read_member_file` reads the CSV with the readers' shared helpers (domain/csvfiles.py: UTF-8
with or without a byte order mark, a column named twice refused, ...): a header row naming the
columns in any order, extra columns refused so a misspelt one is not silently dropped;
`check_member_rows` turns its rows into an `ImportPlan`: the members to create, the rows skipped
(their address already has an account) and the problems, each naming its line. The database is
read by the caller (`selectors.import_context`) and passed in, so the rules here stay plain.
No English here: problems are reason codes (`import.*`, words in members/reasons.py), shown
in the reader's language on the admin's page and in English by `import_members`.

Columns (docs/import.md): email, name, city, languages, chapter, willing_to_meet, consent_date.
Gender is never imported: members describe it themselves, if they wish.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf.locale import LANG_INFO

from chapterhouse.domain.csvfiles import (
    CsvError,
    check_width,
    decode_lines,
    header_names,
    records,
)
from chapterhouse.domain.reasons import Reason, reason
from chapterhouse.members import citysearch
from chapterhouse.members.emails import EmailRefused, emails_canonical
from chapterhouse.places import gazetteer

COLUMNS = ("email", "name", "city", "languages", "chapter", "willing_to_meet", "consent_date")
REQUIRED = ("email", "name", "city", "consent_date")
# Written by `export_member_list --with-gender`; read back without it (members say it themselves).
IGNORED = ("gender",)
MAX_FIELD = 1000  # a longer cell is a broken file, not a member
MAX_NAME = 100  # Member.display_name
YES = frozenset({"yes", "y", "true", "1", "x"})
NO = frozenset({"no", "n", "false", "0", ""})
EARLIEST_CONSENT = datetime.date(1900, 1, 1)

# Letters people and fonts confuse within one alphabet; mixed alphabets are refused outright
# by members/emails.py. Two addresses with one skeleton are reported as look-alikes.
_LOOK_ALIKE = (("rn", "m"), ("vv", "w"), ("0", "o"), ("1", "l"), ("i", "l"), ("|", "l"))


class MemberFileError(CsvError):
    """The file as a whole cannot be read (not UTF-8, no header, a column missing ...)."""


@dataclass(frozen=True, slots=True)
class MemberRow:
    """One member to create, checked."""

    line: int
    email: str  # canonical (members/emails.py)
    name: str
    geonameid: int
    languages: tuple[str, ...]
    chapter_id: int | None
    willing_to_meet: bool
    consented_on: datetime.date


@dataclass(frozen=True, slots=True)
class Problem:
    line: int
    reason: Reason
    blocking: bool = True  # False: reported, the row is still imported (a look-alike)


@dataclass(slots=True)
class ImportPlan:
    rows: list[MemberRow] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)  # already members: left as they are
    problems: list[Problem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.blocking]

    @property
    def can_import(self) -> bool:
        return not self.errors

    def report(self) -> Iterator[tuple[int | None, Reason]]:
        """The report, one (line, why) per problem, in file order; no line: the whole file."""
        for column in self.ignored_columns:
            yield None, reason("import.column_ignored", column=repr(column))
        for problem in sorted(self.problems + self.skipped, key=lambda p: p.line):
            yield problem.line, problem.reason

    def summary(self) -> Reason:
        return reason("import.summary", rows=len(self.rows), skipped=len(self.skipped),
                      errors=len({p.line for p in self.errors}),
                      warnings=sum(not p.blocking for p in self.problems))


@dataclass(frozen=True, slots=True)
class ImportContext:
    """What the checks need from the database (selectors.import_context)."""

    existing_emails: frozenset[str]
    chapters_by_id: dict[int, str]
    chapter_ids_by_name: dict[str, list[int]]  # folded name -> ids (names may repeat)
    today: datetime.date  # the real date: no consent is given in the future


def read_member_file(data: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header (lower case, spaces as underscores: "Willing to meet") and the non-empty
    rows with their line numbers."""
    rows_in = records(decode_lines(data, MemberFileError), MemberFileError)
    header_line, first = next(rows_in, (1, []))
    if not any(cell.strip() for cell in first):
        raise MemberFileError(reason("import.empty", header=",".join(COLUMNS)))
    header = header_names([cell.strip().replace(" ", "_") for cell in first], header_line,
                          MemberFileError)
    _check_header(header, header_line)
    rows = [(line, row) for line, row in rows_in if any(cell.strip() for cell in row)]
    if not rows:
        raise MemberFileError(reason("import.no_members"))
    return header, rows


def _check_header(header: list[str], line: int) -> None:
    unknown = [n for n in header if n not in COLUMNS and n not in IGNORED]
    if unknown:
        raise MemberFileError(reason("import.unknown_column", column=repr(unknown[0]),
                                     columns=",".join(COLUMNS)), line)
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise MemberFileError(reason("import.missing_column", missing=", ".join(missing),
                                     columns=",".join(COLUMNS)), line)


def check_member_rows(header: list[str], rows: Iterable[tuple[int, list[str]]],
                      context: ImportContext) -> ImportPlan:
    plan = ImportPlan(ignored_columns=[c for c in IGNORED if c in header])
    index = {name: i for i, name in enumerate(header) if name in COLUMNS}
    first_line_of: dict[str, int] = {}
    rows = list(rows)
    emails = emails_canonical(
        row[index["email"]] if index["email"] < len(row) else "" for _line, row in rows)
    for (line, row), email in zip(rows, emails, strict=True):
        cells = {name: row[i].strip() if i < len(row) else "" for name, i in index.items()}
        try:
            # Empty cells past the header are what spreadsheets write: only filled ones count.
            check_width(_without_empty_tail(row, len(header)), len(header), line,
                        MemberFileError, code="import.too_many_cells")
        except MemberFileError as error:
            plan.problems.append(Problem(line, error.reason))  # one row, not the file
            continue
        try:
            member = _check_row(line, cells, context, email)
        except _RowError as error:
            plan.problems.append(Problem(line, error.reason))
            continue
        if member.email in context.existing_emails:
            plan.skipped.append(Problem(line, reason("import.skipped", email=member.email),
                                        blocking=False))
            continue
        earlier = first_line_of.setdefault(member.email, line)
        if earlier != line:
            plan.problems.append(Problem(line, reason("import.email_twice", email=member.email,
                                                      first_line=earlier)))
            continue
        plan.rows.append(member)
    plan.problems.extend(_look_alikes(plan.rows, context.existing_emails))
    return plan


def _without_empty_tail(row: list[str], width: int) -> list[str]:
    end = len(row)
    while end > width and not row[end - 1].strip():
        end -= 1
    return row[:end]


class _RowError(ValueError):
    def __init__(self, why: Reason) -> None:
        super().__init__(why.code)
        self.reason = why


def _check_row(line: int, cells: dict[str, str], context: ImportContext,
               email: str | EmailRefused) -> MemberRow:
    for name, value in cells.items():
        if len(value) > MAX_FIELD:
            raise _RowError(reason("import.too_long", column=name, most=MAX_FIELD))
    return MemberRow(
        line=line,
        email=_email(cells["email"], email),
        name=_name(cells["name"]),
        geonameid=_city(cells["city"]),
        languages=_languages(cells.get("languages", "")),
        chapter_id=_chapter(cells.get("chapter", ""), context),
        willing_to_meet=_yes_no(cells.get("willing_to_meet", "")),
        consented_on=_consent(cells["consent_date"], context.today),
    )


def _email(text: str, canonical: str | EmailRefused) -> str:
    if not text:
        raise _RowError(reason("import.email_empty"))
    if isinstance(canonical, EmailRefused):
        # ascii(): an invisible or look-alike character shows as its \u escape.
        shown = ascii(text)
        raise _RowError({
            "invisible": reason("import.email_invisible", email=shown),
            "mixed_script": reason("import.email_mixed_script", email=shown),
        }.get(canonical.reason) or reason("import.email_invalid", email=shown))
    return canonical


def _name(text: str) -> str:
    if not text:
        raise _RowError(reason("import.name_empty"))
    if len(text) > MAX_NAME:
        raise _RowError(reason("import.name_too_long", most=MAX_NAME))
    if any(ch in text for ch in "\r\n\t"):
        raise _RowError(reason("import.name_line_break"))
    return text


CITIES_SHOWN = 5  # of an ambiguous city's candidates


def _city(text: str) -> int:
    if not text:
        raise _RowError(reason("import.city_empty"))
    found = city_for_import(text)
    if isinstance(found, int):
        return found
    if not found:
        raise _RowError(reason("import.city_unknown", city=repr(text)))
    raise _RowError(reason("import.city_ambiguous", city=repr(text),
                           candidates=[[c.label, c.geonameid] for c in found[:CITIES_SHOWN]],
                           more=max(0, len(found) - CITIES_SHOWN)))


@lru_cache(maxsize=65536)
def city_for_import(text: str) -> int | list[gazetteer.GazetteerCity]:
    """The GeoNames id a city cell stands for, or the candidates (none: unknown; several:
    ambiguous). The cell is what the sign-up page accepts ("Vienna", "Wien", "Paris, France"),
    or a name and a country code ("Springfield, US"), or a GeoNames id. Cached: a member list
    names far fewer cities than members."""
    if text.isascii() and text.isdigit() and len(text) < 12:
        return int(text) if int(text) in gazetteer.cities() else []
    name, sep, country = text.rpartition(",")
    country = country.strip().upper()
    if sep and len(country) == 2 and country in gazetteer.countries():
        matches = [m for m in citysearch.search(name, limit=500)
                   if m.city.country_code == country]
    else:
        matches = citysearch.search(text, limit=500)
    exact = [m for m in matches if m.exact]
    own = [m for m in exact if gazetteer.fold(m.matched) == gazetteer.fold(m.city.name)]
    settled = own or exact or matches
    if len(settled) == 1:
        return settled[0].city.geonameid
    return [m.city for m in settled]


def city_for_export(geonameid: int) -> str:
    """The shortest cell that reads back as this city: 'Vienna, AT', or the id when even
    that names several cities (there are five Springfields in the US)."""
    city = gazetteer.cities().get(geonameid)
    if city is None:
        return str(geonameid)
    cell = f"{city.name}, {city.country_code}"
    return cell if city_for_import(cell) == geonameid else str(geonameid)


_LANGUAGE_SEPARATORS = re.compile(r"[\s,;|/]+")


def _languages(text: str) -> tuple[str, ...]:
    codes: list[str] = []
    for code in _LANGUAGE_SEPARATORS.split(text.strip().lower()):
        if not code:
            continue
        code = code.replace("_", "-")
        if code not in LANG_INFO:
            raise _RowError(reason("import.language_unknown", language=repr(code)))
        if code not in codes:
            codes.append(code)
    return tuple(codes)


def _chapter(text: str, context: ImportContext) -> int | None:
    if not text:
        return None
    if text.isascii() and text.isdigit() and int(text[:12]) in context.chapters_by_id:
        return int(text)
    ids = context.chapter_ids_by_name.get(text.casefold(), [])
    if len(ids) == 1:
        return ids[0]
    if len(ids) > 1:
        raise _RowError(reason("import.chapter_ambiguous", chapter=repr(text),
                               ids=", ".join(map(str, ids))))
    raise _RowError(reason("import.chapter_unknown", chapter=repr(text)))


def _yes_no(text: str) -> bool:
    value = text.lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise _RowError(reason("import.willing_unknown", text=repr(text)))


def _consent(text: str, today: datetime.date) -> datetime.date:
    if not text:
        raise _RowError(reason("import.consent_empty"))
    try:
        day = datetime.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise _RowError(reason("import.consent_not_date", text=repr(text)))
    if not EARLIEST_CONSENT <= day <= today:
        raise _RowError(reason("import.consent_out_of_range", text=text,
                               earliest=str(EARLIEST_CONSENT), today=str(today)))
    return day


@lru_cache(maxsize=65536)
def look_alike_skeleton(email: str) -> str:
    text = email
    for written, seen_as in _LOOK_ALIKE:
        text = text.replace(written, seen_as)
    return text


def _look_alikes(rows: list[MemberRow], existing: frozenset[str]) -> list[Problem]:
    """Warnings for addresses that read like another in the file or like a member's: one
    skeleton, different addresses (`jo1@x.org` and `jol@x.org`). Both may be real people."""
    by_skeleton: dict[str, list[str]] = {}
    for email in existing:
        by_skeleton.setdefault(look_alike_skeleton(email), []).append(email)
    first: dict[str, MemberRow] = {}
    problems = []
    for row in rows:
        skeleton = look_alike_skeleton(row.email)
        if skeleton in first:
            problems.append(Problem(row.line, reason(
                "import.look_alike_in_file", email=row.email, other=first[skeleton].email,
                other_line=first[skeleton].line), blocking=False))
        else:
            first[skeleton] = row
        members = by_skeleton.get(skeleton)
        if members:
            problems.append(Problem(row.line, reason(
                "import.look_alike_member", email=row.email, member=members[0]),
                blocking=False))
    return problems
