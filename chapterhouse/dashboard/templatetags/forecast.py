"""The forecast's chances as the page shows them (dashboard/_forecast.html)."""

from django import template

from chapterhouse.dashboard.templatetags.figures import percent

register = template.Library()


@register.filter
def chance(value: float | None) -> str:
    """0.0075 -> '1%'; a chance that is not nil but rounds to 0% reads '<1%', one short of
    certain '>99%': a simulated 0% or 100% would claim more than 20,000 draws can."""
    if value is None:
        return "–"
    if 0 < value < 0.005:
        return "<1%"
    if 0.995 < value < 1:
        return ">99%"
    return percent(value)
