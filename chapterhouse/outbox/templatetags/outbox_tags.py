from django import template

from chapterhouse.outbox.selectors import failed_count

register = template.Library()


@register.simple_tag
def outbox_failed_count() -> int:
    return failed_count()
