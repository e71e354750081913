from typing import Any

from django import template

from chapterhouse.core.reasons import explain as explain_reason

register = template.Library()


@register.filter
def explain(reason: Any) -> str:
    """`{{ reason|explain }}`: a reason code with its parameters, in the reader's language."""
    return explain_reason(reason)
