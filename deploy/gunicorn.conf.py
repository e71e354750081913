"""gunicorn's settings for Chapterhouse (issue 10):
`gunicorn -c deploy/gunicorn.conf.py chapterhouse.wsgi:application`.

Each value can be overridden from the environment (GUNICORN_BIND, GUNICORN_WORKERS, ...)."""

import multiprocessing
import os

# The proxy (deploy/nginx.conf) forwards to this address; never expose it directly.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Two workers per core plus one: requests wait on the database, not on the CPU.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# A request taking longer is killed and logged; slow work belongs in the task queue.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Load the site once, before forking: a worker that imported it on its first request took
# 10 to 30 s on a busy machine (measured when following docs/production.md) and was killed
# by the timeout. The price: new code needs a restart, not a reload (HUP).
preload_app = True
# Restart each worker now and then so a slow leak cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
# Heartbeat files in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Access and error logs to stderr (the journal keeps them), with the request id the site
# returns in X-Request-ID, the same id as in the site's own log lines.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = ('%(h)s "%(r)s" %(s)s %(B)s %(M)sms '
                     'request_id=%({x-request-id}o)s "%(a)s"')
# gunicorn writes its access log only when asked; this sends it to the stderr handler.
logconfig_dict = {
    "loggers": {
        "gunicorn.access": {"level": "INFO", "handlers": ["error_console"],
                            "propagate": False, "qualname": "gunicorn.access"},
    },
}


def when_ready(server):
    """Import every view once in the master too (preload loads the settings and apps, not the
    URLs), so no worker spends its first request importing them."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018
