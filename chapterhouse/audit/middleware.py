"""AuditlogMiddleware without the network: entries carry the actor, never an address or port.

Minimum data: the actor and time say who did what; an IP address would add where they were,
which the audit does not need (AUDITLOG_DISABLE_REMOTE_ADDR drops the address; the port, taken
from a proxy's X-Forwarded-Port header, is dropped here)."""

from auditlog.middleware import AuditlogMiddleware
from django.http import HttpRequest


class AuditMiddleware(AuditlogMiddleware):
    @staticmethod
    def _get_remote_addr(request: HttpRequest) -> None:
        return None

    @staticmethod
    def _get_remote_port(request: HttpRequest) -> None:
        return None
