"""Reads of the job runtime: how far behind the queue is."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Min
from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends

from chapterhouse.outbox.selectors import outbox_oldest_due


def queue_lag(now: datetime | None = None) -> timedelta | None:
    """How long the oldest due piece of work has waited: a task ready to run (due since it
    was enqueued, or since its `run_after`), or an outbox message due for delivery.
    Zero when nothing is waiting; None when the task backend cannot tell (not the database
    backend: for Redis ask RQ)."""
    from django_tasks_db import DatabaseBackend

    if not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
        return None
    from django_tasks_db.models import DBTaskResult, get_date_max

    now = now or timezone.now()
    ready = DBTaskResult.objects.filter(status="READY")
    due_since = [
        ready.filter(run_after=get_date_max()).aggregate(t=Min("enqueued_at"))["t"],
        ready.filter(run_after__lte=now).aggregate(t=Min("run_after"))["t"],
        outbox_oldest_due(now),
    ]
    oldest = min((t for t in due_since if t is not None), default=None)
    return max(now - oldest, timedelta(0)) if oldest else timedelta(0)

