"""Shares typed and read as percentages.

A share (a quorum, a pass threshold, a women's share) is stored as a fraction (0.25), but
nobody types "0.25" for a quarter: the form field takes "25" (or "25 %", "25,5" in a language
that writes decimals with a comma) and gives the form 0.25; it shows a stored 0.25 as "25".
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

HUNDRED = Decimal(100)


def share_as_percent(value: Decimal | float | int) -> str:
    """0.25 -> '25', 0.125 -> '12.5': the number a person types for a stored share."""
    percent = (Decimal(str(value)) * HUNDRED).normalize()
    return f"{percent:f}"


class PercentField(forms.DecimalField):
    """A share typed as a percentage from 0 to 100, with at most one decimal (0.1% is the
    stored precision, three decimal places of a fraction); cleaned to a fraction of 1."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", Decimal(0))
        kwargs.setdefault("max_value", HUNDRED)
        kwargs.setdefault("decimal_places", 1)
        kwargs.setdefault("localize", False)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = value.strip().removesuffix("%").strip().replace(",", ".")
        number = super().to_python(value)
        if number is None or not number.is_finite() or number.copy_abs() > HUNDRED:
            return number  # out of range: the field's own check says so (no quantize of 1e30)
        # "30.00" is 30: trailing zeros are not precision a person asked for.
        return (number.quantize(Decimal(1)) if number == number.to_integral_value()
                else number.normalize())

    def clean(self, value: Any) -> Decimal | None:
        percent = super().clean(value)
        return None if percent is None else percent / HUNDRED

    def prepare_value(self, value: Any) -> Any:
        # What was typed is shown as typed; a stored share as the percentage it stands for.
        if isinstance(value, (Decimal, float, int)) and not isinstance(value, bool):
            return share_as_percent(value)
        return value

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            typed = self.clean(data)
        except forms.ValidationError:
            return True
        return typed != (None if initial in (None, "") else Decimal(str(initial)))

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.NumberInput):
            attrs["step"] = "0.1"
        return attrs



class SharesAsPercentages:
    """Mix into a ModelAdmin (or an inline) before it: the model's share fields named in
    `share_fields` are typed and shown as percentages in the admin too."""

    share_fields: tuple[str, ...] = ()

    def formfield_for_dbfield(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        if db_field.name in self.share_fields:
            return PercentField(label=f"{capfirst(db_field.verbose_name)} (%)",
                                required=not db_field.blank, initial=db_field.default,
                                help_text=_("A percentage, from 0 to 100."))
        return super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]
