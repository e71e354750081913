"""A meeting's time for the reader: in their own zone, with the chapter's time beside it."""

from django import template

register = template.Library()


@register.inclusion_tag("meetings/when.html")
def when(at, chapter_zone: str, viewer_zone: str | None = None):
    return {"at": at, "chapter_zone": chapter_zone, "viewer_zone": viewer_zone or chapter_zone}
