"""The signed link that confirms a member's email.

A timestamped signature over the member's id and email (django.core.signing): nothing is stored,
the link expires after CONFIRM_DAYS, and it stops working if the email changes.
"""

from __future__ import annotations

from django.core import signing

CONFIRM_DAYS = 7
_SALT = "chapterhouse.members.confirm-email"


def confirmation_token(member) -> str:
    return signing.dumps({"id": member.pk, "email": member.email}, salt=_SALT, compress=True)


def confirmation_read(token: str) -> tuple[int, str]:
    """The member id and email the token was made for; signing.BadSignature (or its subclass
    SignatureExpired) when it was tampered with or is too old."""
    data = signing.loads(token, salt=_SALT, max_age=CONFIRM_DAYS * 24 * 3600)
    return int(data["id"]), str(data["email"])
