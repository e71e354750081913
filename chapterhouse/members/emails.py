"""How member emails are compared: one address, however it is typed."""

import unicodedata


def normalize_email(email: str) -> str:
    """NFKC-normalised, case-folded, trimmed: 'Ｊo@Example.ORG ' and 'jo@example.org' are one."""
    return unicodedata.normalize("NFKC", email).strip().casefold()
