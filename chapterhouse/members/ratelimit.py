"""Rate limits kept in Django's cache, shared by every server process (settings.CACHES: Redis
with REDIS_URL, else a table in the database): sign-ups, logins across many emails, password
resets, confirmation mails and second-factor codes.

Failed logins for one email are also limited by django-axes (settings.AXES_*).

Each attempt claims one of `limit` slots with `cache.add`, which is atomic in every shared
cache (SET NX in Redis, a unique key in the database cache), so twenty requests at once cannot
all take the last slot, as a read-then-write counter would let them. A slot expires
`window_seconds` after its attempt: a sliding window. Keys are hashed, so the cache holds no
email or IP address. A setting can change a limit: RATE_LIMITS = {"signup-network": 50}.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac


@dataclass(frozen=True, slots=True)
class Limit:
    name: str
    default: int
    window_seconds: int

    @property
    def limit(self) -> int:
        return int(getattr(settings, "RATE_LIMITS", {}).get(self.name, self.default))

    def _slots(self, value: str) -> list[str]:
        digest = salted_hmac(self.name, value).hexdigest()
        return [f"ratelimit:{self.name}:{digest}:{n}" for n in range(self.limit)]

    def hit(self, value: str) -> bool:
        """Count one attempt; False (and nothing counted) when the limit is already reached."""
        slots = self._slots(value)
        taken = cache.get_many(slots)
        return any(slot not in taken and cache.add(slot, 1, self.window_seconds)
                   for slot in slots)

    def reached(self, value: str) -> bool:
        """True when `value` has used up its attempts (without counting one more)."""
        return len(cache.get_many(self._slots(value))) >= self.limit


HOUR = 3600
RESETS_PER_EMAIL = Limit("reset-email", 3, HOUR)
RESETS_PER_ADDRESS = Limit("reset-ip", 10, HOUR)
CONFIRMATIONS_PER_EMAIL = Limit("confirm-email", 3, HOUR)
# Sign-ups: per email (also bounds the "someone tried to sign up" notices one address gets),
# and per network across many emails (a meeting signing up together from one Wi-Fi fits).
SIGNUPS_PER_EMAIL = Limit("signup-email", 3, HOUR)
SIGNUPS_PER_NETWORK = Limit("signup-network", 30, HOUR)
# Failed logins from one network across every email (axes limits each email on its own).
LOGIN_FAILURES_PER_NETWORK = Limit("login-network", 30, HOUR)
# Codes typed at the second-factor step, per member (django-otp also slows each device down).
SECOND_FACTOR_PER_MEMBER = Limit("otp-member", 5, 15 * 60)


def client_address(request: HttpRequest, *_args: Any) -> str | None:
    """The client's IP address: REMOTE_ADDR, or, behind TRUSTED_PROXY_COUNT reverse proxies
    that each append to X-Forwarded-For, the address the outermost of them saw. The header's
    other entries are whatever the client sent and are never trusted. None when unknown.

    Also settings.AXES_CLIENT_IP_CALLABLE, so django-axes counts the same address."""
    address = request.META.get("REMOTE_ADDR")
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    if proxies > 0:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(address or ""))
    except ValueError:
        return None


def client_network(request: HttpRequest) -> str:
    """The client's network: its IPv4 /24 or IPv6 /64 (one household, office or provider's
    customer), so rotating through addresses in it does not escape a limit."""
    address = client_address(request)
    if address is None:
        return "unknown"
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 64
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))
