"""Small fixed-window rate limits kept in Django's cache (password resets, confirmation mails).

Logins are limited by django-axes (settings.AXES_*). With several server processes the cache
must be shared (a database or memcached cache); the default per-process cache limits each one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.utils.crypto import salted_hmac


@dataclass(frozen=True, slots=True)
class Limit:
    name: str
    limit: int
    window_seconds: int

    def _key(self, value: str) -> str:
        # Keys are hashed so the cache holds no email addresses.
        return f"ratelimit:{self.name}:{salted_hmac(self.name, value).hexdigest()}"

    def hit(self, value: str) -> bool:
        """Count one attempt; False when this one is over the limit."""
        key = self._key(value)
        if cache.add(key, 1, self.window_seconds):
            count = 1
        else:
            try:
                count = cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, self.window_seconds)
                count = 1
        return count <= self.limit


HOUR = 3600
RESETS_PER_EMAIL = Limit("reset-email", 3, HOUR)
RESETS_PER_ADDRESS = Limit("reset-ip", 10, HOUR)
CONFIRMATIONS_PER_EMAIL = Limit("confirm-email", 3, HOUR)


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"
