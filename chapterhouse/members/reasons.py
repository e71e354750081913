"""Words for a member list's problems (members/member_import.py: `import.*`), registered by
MembersConfig.ready(): the admin's import page shows them in the reader's language, the
`import_members` command in English. The file's own refusals (not UTF-8, a column twice, ...)
are the shared `csv.*` words (core/reasons_csv.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_lazy, ngettext

from chapterhouse.core.reasons import Words


def _count(value: Any) -> str:
    return number_format(int(value), force_grouping=True)


def _summary(p: Mapping[str, Any]) -> str:
    return gettext("%(rows)s members to import, %(skipped)s skipped (already members), "
                   "%(errors)s rows with errors, %(warnings)s warnings") % {
        key: _count(p[key]) for key in ("rows", "skipped", "errors", "warnings")}


def _city_ambiguous(p: Mapping[str, Any]) -> str:
    candidates = "; ".join(gettext("%(city)s (id %(id)s)") % {"city": label, "id": geonameid}
                           for label, geonameid in p["candidates"])
    more = int(p.get("more") or 0)
    if more:
        candidates += ngettext(" and %(more)s more", " and %(more)s more", more) % {
            "more": more}
    return gettext("city %(city)s matches several cities: %(candidates)s; write 'Name, country "
                   "code' (e.g. 'Springfield, US') or the GeoNames id") % {
        "city": p["city"], "candidates": candidates}


WORDS: dict[str, Words] = {
    # The file as a whole.
    "import.empty": gettext_lazy("the file is empty: expected the header %(header)s"),
    "import.no_members": gettext_lazy("the file has a header but no members"),
    "import.unknown_column": gettext_lazy("unknown column %(column)s (the columns are "
                                          "%(columns)s)"),
    "import.missing_column": gettext_lazy("missing column %(missing)s (the columns are "
                                          "%(columns)s)"),
    "import.column_ignored": gettext_lazy("column %(column)s is not imported (members describe "
                                          "it themselves)"),
    "import.summary": _summary,
    # One row.
    "import.too_many_cells": gettext_lazy("%(fields)s cells for %(width)s columns"),
    "import.too_long": gettext_lazy("%(column)s: longer than %(most)s characters"),
    "import.skipped": gettext_lazy("skipped: %(email)s is already a member"),
    "import.email_twice": gettext_lazy("email: %(email)s is already on line %(first_line)s "
                                       "(once normalised)"),
    "import.email_empty": gettext_lazy("email is empty"),
    "import.email_invisible": gettext_lazy("email %(email)s contains invisible or "
                                           "text-direction characters"),
    "import.email_mixed_script": gettext_lazy("email %(email)s mixes letters of different "
                                              "alphabets (a look-alike)"),
    "import.email_invalid": gettext_lazy("email %(email)s is not a valid address"),
    "import.name_empty": gettext_lazy("name is empty"),
    "import.name_too_long": gettext_lazy("name is longer than %(most)s characters"),
    "import.name_line_break": gettext_lazy("name contains a line break or tab"),
    "import.city_empty": gettext_lazy("city is empty"),
    "import.city_unknown": gettext_lazy(
        "city %(city)s is not in the gazetteer (cities of 15,000 people or more): write the "
        "nearest larger city, or its GeoNames id"),
    "import.city_ambiguous": _city_ambiguous,
    "import.language_unknown": gettext_lazy("languages: %(language)s is not a language code (e.g. "
                                            "en, es, pt-br)"),
    "import.chapter_ambiguous": gettext_lazy("chapter %(chapter)s: several chapters have this "
                                             "name; write its id (%(ids)s)"),
    "import.chapter_unknown": gettext_lazy("chapter %(chapter)s: no chapter has this name or "
                                           "id"),
    "import.willing_unknown": gettext_lazy("willing_to_meet %(text)s: write yes or no"),
    "import.consent_empty": gettext_lazy("consent_date is empty: import only people who agreed "
                                         "to join"),
    "import.consent_not_date": gettext_lazy("consent_date %(text)s: write a date as "
                                            "YYYY-MM-DD"),
    "import.consent_out_of_range": gettext_lazy(
        "consent_date %(text)s: must be between %(earliest)s and today (%(today)s)"),
    "import.look_alike_in_file": gettext_lazy(
        "look-alike: %(email)s reads like %(other)s on line %(other_line)s"),
    "import.look_alike_member": gettext_lazy(
        "look-alike: %(email)s reads like the member %(member)s"),
}
