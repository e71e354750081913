"""The email rule of members/emails.py as Django validation: refusals in the reader's language."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from chapterhouse.members.emails import EmailRefused, email_canonical

REFUSALS = {
    "invisible": _("This email address contains invisible or text-direction characters. Type "
                   "it again by hand, without copying and pasting it."),
    "mixed_script": _("This email address mixes letters from different alphabets (for example "
                      "a Cyrillic “е” among Latin letters). Type it again in one alphabet."),
    "invalid": _("Enter a valid email address."),
}


def email_canonical_or_error(value: str) -> str:
    """The canonical address; a ValidationError with a clear message when it is refused."""
    try:
        return email_canonical(value)
    except EmailRefused as refused:
        raise ValidationError(REFUSALS[refused.reason], code=f"email_{refused.reason}") from None
