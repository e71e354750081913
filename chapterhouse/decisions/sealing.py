"""Sealing a secret ballot for the box, and the order the count stores ballots in.

A boxed ballot is AES-256-GCM encrypted (random 96-bit nonce; the poll's id as associated
data, so a sealed ballot cannot be moved to another poll) and padded to a fixed bucket of
`PAD` bytes, so neither its bytes nor its length tell what it holds. No timestamp is sealed
(unlike a Fernet token). The key is `settings.BALLOT_BOX_KEY` (32 bytes, urlsafe base64) or,
by default, derived with HKDF-SHA256 from SECRET_KEY; keys derived from SECRET_KEY and
SECRET_KEY_FALLBACKS still open ballots sealed before a rotation or before the key was set.

`count_order` is the order in which the count stores a batch: a function of each ballot's
content only, so the table's physical order (SQLite rowid, PostgreSQL ctid) says nothing about
the order of voting. Pure apart from reading the settings in `box_keys`.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

VERSION = b"\x01"
NONCE_BYTES = 12
PAD = 1024  # plaintext bucket: a ballot of any ordinary poll fits in one
HKDF_INFO = b"chapterhouse secret ballot box v1"


class SealError(Exception):
    """A sealed ballot that no configured key opens (or that was tampered with)."""


@dataclass(frozen=True)
class Boxed:
    """What a box row holds once opened: a first vote, or a change of an earlier one (found by
    its receipt hash)."""

    marks: Any  # option ids (a ranking in order), {option id: score}, or [] with a stance
    stance: str
    receipt_hash: str
    change: bool = False


def derive_key(secret: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=HKDF_INFO).derive(secret.encode())


def box_keys() -> list[bytes]:
    """The key that seals, first, then older keys that may still open."""
    from django.conf import settings

    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    derived = [derive_key(s) for s in secrets]
    configured = getattr(settings, "BALLOT_BOX_KEY", "")
    if not configured:
        return derived
    key = base64.urlsafe_b64decode(configured.encode() + b"=" * (-len(configured) % 4))
    if len(key) != 32:
        raise ValueError("BALLOT_BOX_KEY must be 32 bytes in urlsafe base64")
    return [key, *derived]  # ballots sealed before the key was set still open


def _aad(poll_id: int) -> bytes:
    return b"chapterhouse poll %d" % poll_id


def seal(item: Boxed, *, poll_id: int, key: bytes) -> bytes:
    plain = json.dumps({"m": item.marks, "s": item.stance, "r": item.receipt_hash,
                        "c": item.change}, sort_keys=True, separators=(",", ":")).encode()
    # JSON allows trailing whitespace: pad with spaces up to the next bucket.
    plain += b" " * (-len(plain) % PAD)
    nonce = os.urandom(NONCE_BYTES)
    return VERSION + nonce + AESGCM(key).encrypt(nonce, plain, _aad(poll_id))


def unseal(blob: bytes, *, poll_id: int, keys: list[bytes]) -> Boxed:
    blob = bytes(blob)
    if blob[:1] != VERSION:
        raise SealError("unknown sealed ballot version")
    nonce, body = blob[1:1 + NONCE_BYTES], blob[1 + NONCE_BYTES:]
    for key in keys:
        try:
            data = json.loads(AESGCM(key).decrypt(nonce, body, _aad(poll_id)))
        except InvalidTag:
            continue
        return Boxed(marks=data["m"], stance=data["s"], receipt_hash=data["r"],
                     change=bool(data["c"]))
    raise SealError("no ballot box key opens this ballot")


def content_key(marks: Any, stance: str) -> tuple[Any, ...]:
    """A ballot's content as a sort key: its stance, then its marks compared as numbers (option
    ids in order, or (option id, score) pairs by option). Nothing else."""
    if isinstance(marks, dict):
        return (stance, 1, sorted((int(option), score) for option, score in marks.items()))
    return (stance, 0, [int(option) for option in marks])


def count_order(items: list[Boxed]) -> list[Boxed]:
    """A batch in the order the count stores it: by content, then by receipt hash (random, set
    at voting, not ordered by time). Two batches with the same ballots give the same order
    whatever the order they were cast in."""
    return sorted(items, key=lambda b: (content_key(b.marks, b.stance), b.receipt_hash))
