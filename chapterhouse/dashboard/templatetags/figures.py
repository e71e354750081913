"""Numbers formatted for the reader's language."""

from django import template
from django.utils.formats import number_format

register = template.Library()


def _format(value: float, digits: int) -> str:
    # Round first: Django's number_format cuts extra decimals off (9.67 would show as 9.6).
    return number_format(round(float(value), digits), decimal_pos=digits, use_l10n=True,
                         force_grouping=True)


@register.filter
def percent(value: float | None, digits: int = 0) -> str:
    """0.6667 -> '67%' (with the reader's decimal separator when digits > 0)."""
    if value is None:
        return "–"
    return f"{_format(float(value) * 100, digits)}%"


@register.filter
def number(value: float | None, digits: int = 0) -> str:
    """A figure with the reader's grouping and decimal separators; '–' when there is none."""
    if value is None:
        return "–"
    return _format(value, digits)
