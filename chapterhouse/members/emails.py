"""How member emails are compared and which are refused: one address, however it is typed.

`email_canonical` is the one rule. It is used wherever an address enters the site (sign-up,
login, password reset, invitations, staff creation, `Member.save`), so that
'Ｊo@Example。ORG' and 'jo@example.org' are one account and look-alikes cannot make a second:

- invisible and bidirectional control characters (Unicode categories Cc, Cf: zero-width space,
  right-to-left override, soft hyphen ...) are refused, never silently dropped;
- the text is NFKC-normalised (full-width letters become ASCII), the local part case-folded;
- the domain is IDNA-normalised with UTS #46 by `email-validator` (no deliverability check:
  no network), so the ideographic full stop '。' is a dot and 'BÜCHER.de' is 'bücher.de';
- a local part or domain label that mixes scripts (a Cyrillic 'е' in a Latin 'example') is
  refused, using the Unicode script data of `confusable_homoglyphs`. Latin may be mixed with
  the scripts written together in East Asia (Han, Hiragana, Katakana, Hangul, Bopomofo), as
  UTS #39's "highly restrictive" level allows.

Pure: returns data or raises `EmailRefused` with a reason code; forms translate the codes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Literal

from confusable_homoglyphs import categories
from email_validator import EmailNotValidError, validate_email

Reason = Literal["invisible", "mixed_script", "invalid"]

# Scripts whose mixing is ordinary: an address is refused only for a mix beyond these.
_IGNORED_SCRIPTS = {"COMMON", "INHERITED"}
_EAST_ASIAN = {"HAN", "HIRAGANA", "KATAKANA", "HANGUL", "BOPOMOFO"}
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"}


class EmailRefused(ValueError):
    """The address cannot be an account's: `reason` says why (see `Reason`)."""

    def __init__(self, reason: Reason) -> None:
        super().__init__(reason)
        self.reason: Reason = reason


def has_invisible_characters(text: str) -> bool:
    return any(unicodedata.category(ch) in _INVISIBLE_CATEGORIES for ch in text)


def is_mixed_script(text: str) -> bool:
    """True when `text` mixes scripts beyond Latin with the East Asian ones."""
    if text.isascii():
        return False  # ASCII letters are Latin; digits and punctuation belong to no script
    scripts = {s for s in categories.unique_aliases(text) if s not in _IGNORED_SCRIPTS}
    scripts = {"EAST_ASIAN" if s in _EAST_ASIAN else s for s in scripts}
    return len(scripts) > 1 and scripts != {"LATIN", "EAST_ASIAN"}


def email_canonical(email: str) -> str:
    """The address as stored and compared; `EmailRefused` when it may not be used."""
    text = email.strip()
    if has_invisible_characters(text):
        raise EmailRefused("invisible")
    text = unicodedata.normalize("NFKC", text)
    try:
        valid = validate_email(text, check_deliverability=False,
                               allow_quoted_local=False, allow_domain_literal=False)
    except EmailNotValidError:
        raise EmailRefused("invalid") from None
    local = unicodedata.normalize("NFKC", valid.local_part.casefold())
    domain = valid.domain  # UTS #46: lower case, Unicode labels, full stops unified
    if is_mixed_script(local) or any(is_mixed_script(label) for label in domain.split(".")):
        raise EmailRefused("mixed_script")
    return f"{local}@{domain}"


def normalize_email(email: str) -> str:
    """The canonical address, for looking one up: an address that would be refused comes back
    only NFKC-normalised and case-folded, so it matches no account (none is stored so)."""
    try:
        return email_canonical(email)
    except EmailRefused:
        return unicodedata.normalize("NFKC", email).strip().casefold()


# An ASCII address in the dot-atom form of RFC 5322, the form `validate_email` accepts without
# quoting: for one of these, the rule above reduces to lower-casing the local part and
# checking the domain, which a list of thousands of addresses shares among few domains.
_ASCII_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")


@lru_cache(maxsize=4096)
def _domain_canonical(domain: str) -> str | EmailRefused:
    try:
        return email_canonical(f"a@{domain}").partition("@")[2]
    except EmailRefused as refused:
        return refused


def emails_canonical(emails: Iterable[str]) -> list[str | EmailRefused]:
    """`email_canonical` of many addresses (a member list): each canonical address, or the
    EmailRefused it would raise. The same answers, faster: plain ASCII addresses skip the
    Unicode work and each domain is checked once."""
    results: list[str | EmailRefused] = []
    for email in emails:
        text = email.strip()
        local, at, domain = text.rpartition("@")
        if (at and text.isascii() and text.isprintable() and len(local) <= 64
                and len(text) <= 254 and _ASCII_LOCAL.fullmatch(local)):
            checked = _domain_canonical(domain)
            results.append(checked if isinstance(checked, EmailRefused)
                           else f"{local.casefold()}@{checked}")
            continue
        try:
            results.append(email_canonical(email))
        except EmailRefused as refused:
            results.append(refused)
    return results
