from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from chapterhouse.health import selectors

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 and {"status": "ok", ...} when every part works; 503 naming the parts that fail.
    Public: monitors call it without logging in, and it tells nothing private."""
    checks: dict[str, dict[str, bool | float]] = {}
    for name, check in (("database", selectors.database_answers),
                        ("cache", selectors.cache_answers)):
        try:
            checks[name] = {"ok": bool(check())}
        except Exception:  # a broken part is the answer here, not a 500
            logger.exception("Health check %s failed", name)
            checks[name] = {"ok": False}
    try:
        lag = selectors.queue_lag_seconds()
        checks["queue"] = {"ok": lag <= settings.HEALTHZ_MAX_QUEUE_LAG,
                           "lag_seconds": round(lag, 1)}
    except Exception:
        logger.exception("Health check queue failed")
        checks["queue"] = {"ok": False}
    failing = [name for name, result in checks.items() if not result["ok"]]
    body = {"status": "failing" if failing else "ok", "failing": failing, "checks": checks}
    return JsonResponse(body, status=503 if failing else 200)
