"""`{% women_figure attendees women rule as figure %}`: what a template may show about the
women of a group (chapters.disclosure): a count and share only for groups of at least the
rule's minimum attendees."""

from django import template

from chapterhouse.domain.disclosure import WomenFigure, women_figure
from chapterhouse.domain.qualification import Rule

register = template.Library()


@register.simple_tag(name="women_figure")
def women_figure_tag(attendees: int, women: int, rule: Rule, guests: int = 0) -> WomenFigure:
    return women_figure(int(attendees), int(women), minimum=rule.min_attendees,
                        required_share=rule.share, guests=int(guests))
