"""The forecast's chances as the page shows them (dashboard/_forecast.html)."""

from django import template

from chapterhouse.dashboard.templatetags.figures import percent
from chapterhouse.domain.forecast import Outlook

register = template.Library()


@register.filter
def chance(value: Outlook | float | None) -> str:
    """0.0075 -> '1%'; a chance that is not nil but rounds to 0% reads '<1%', one short of
    certain '>99%': a simulated 0% or 100% would claim more than 20,000 draws can. Given the
    outlook, only a goal met already reads '100%': every other reaches at most '>99%' (a float
    that rounds to 1.0 is not a certainty either)."""
    met = True
    if isinstance(value, Outlook):
        met, value = value.current >= value.target, value.chance
    if value is None:
        return "–"
    if 0 < value < 0.005:
        return "<1%"
    if 0.995 <= value < 1 or (value >= 1 and not met):
        return ">99%"
    return percent(value)
