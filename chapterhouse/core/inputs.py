"""Bounds on what the site's forms accept, so absurd input gets a form error, never an error 500.

Python's dates end at the years 1 and 9999: a date at either end overflows as soon as it is
moved by a day, a month or into another time zone. Nothing an organization plans or records
lies centuries away, so forms refuse such dates with a clear message before any arithmetic.
Free text that no model limits gets a generous limit too (a 200 KB title helps nobody).
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

EARLIEST_YEAR = 1900
LATEST_YEAR = 2200
TEXT_MAX = 20_000  # characters, for a text field that sets no limit of its own


def validate_plausible_date(value: datetime.date | datetime.datetime) -> None:
    """A date or date and time between EARLIEST_YEAR and LATEST_YEAR."""
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValidationError(
            _("Enter a date between the years %(earliest)d and %(latest)d."),
            code="date_range", params={"earliest": EARLIEST_YEAR, "latest": LATEST_YEAR})


def bound_fields(form: forms.BaseForm) -> None:
    """Every date field of `form` gets the plausible range, every unlimited text field
    TEXT_MAX (a form's fields are its own copies: the class is not changed)."""
    for field in form.fields.values():
        if isinstance(field, (forms.DateField, forms.DateTimeField)):
            field.validators.append(validate_plausible_date)
        elif (isinstance(field, forms.CharField) and field.max_length is None
              and not isinstance(field.widget, forms.PasswordInput)):
            field.max_length = TEXT_MAX
            field.validators.append(MaxLengthValidator(TEXT_MAX))
            field.widget.attrs.setdefault("maxlength", str(TEXT_MAX))


class BoundedForm:
    """Mix into a Form or ModelForm (first) to bound its fields as `bound_fields` says."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert isinstance(self, forms.BaseForm), "BoundedForm goes before a Form class"
        bound_fields(self)


def row_id(value: str) -> int | None:
    """A database id as a form sends it, or None: ASCII digits only (Python's int() also reads
    "١٢٣" and "１２３") and short enough for a 64-bit column (2**63 overflows PostgreSQL)."""
    if value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


def small_number(value: str) -> int | None:
    """A whole number typed in a form (a rank, a score), or None: an optional minus sign and at
    most nine ASCII digits, so no huge or non-ASCII number is taken for a small one."""
    digits = value.strip().removeprefix("-")
    if digits.isascii() and digits.isdigit() and len(digits) <= 9:
        return int(value)
    return None
