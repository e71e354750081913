"""Database constraints that speak to people.

A constraint violated through a form (the site's or the admin's) reads by default
`Constraint "poll_closes_after_opening" is violated.`, above the form rather than beside the
field at fault. Give each such constraint a plain, translated `violation_error_message` and its
own `violation_error_code`, and let its model inherit `ConstraintsOnFields` and name, in
`CONSTRAINT_FIELDS`, the field each code belongs to: the message then shows beside that field.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import ClassVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models


def errors_on_fields(error: ValidationError, fields: dict[str, str]) -> ValidationError:
    """`error` with each form-wide error whose code `fields` knows moved to its field."""
    moved: dict[str, list[ValidationError]] = {}
    for field, errors in error.error_dict.items():
        for one in errors:
            target = fields.get(one.code or "", field) if field == NON_FIELD_ERRORS else field
            moved.setdefault(target, []).append(one)
    return ValidationError(moved)


class ConstraintsOnFields(models.Model):
    """A model whose constraint violations are reported on the field they concern."""

    # violation_error_code -> the field its message belongs to
    CONSTRAINT_FIELDS: ClassVar[dict[str, str]] = {}

    class Meta:
        abstract = True

    def validate_constraints(self, exclude: Collection[str] | None = None) -> None:
        try:
            super().validate_constraints(exclude)
        except ValidationError as error:
            raise errors_on_fields(error, self.CONSTRAINT_FIELDS) from None
