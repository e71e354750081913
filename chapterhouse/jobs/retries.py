"""Retries with backoff for django-tasks tasks (its database backend has none of its own)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task

logger = logging.getLogger("chapterhouse.jobs")

ATTEMPT_KWARG = "_attempt"


def retry_delay(attempt: int, first: timedelta, longest: timedelta) -> timedelta:
    """The wait before attempt `attempt + 1`: `first`, doubled each time, at most `longest`."""
    return min(first * 2 ** (attempt - 1), longest)


def task_with_retries(*, attempts: int = 5, first_delay: timedelta = timedelta(seconds=30),
                      longest_delay: timedelta = timedelta(hours=1),
                      **task_options) -> Callable[[Callable], Task]:
    """`@task`, plus: an attempt that raises is logged and enqueued again after a growing
    delay, up to `attempts` in all; the last failure is logged as an error. The failed
    attempt's own result still records its traceback (status FAILED)."""

    def decorate(func: Callable) -> Task:
        @functools.wraps(func)
        def run(*args, **kwargs):
            attempt = kwargs.pop(ATTEMPT_KWARG, 1)
            try:
                return func(*args, **kwargs)
            except Exception:
                if attempt >= attempts:
                    logger.error("task %s failed for good after %d attempt(s)",
                                 func.__name__, attempt, exc_info=True)
                    raise
                delay = retry_delay(attempt, first_delay, longest_delay)
                logger.warning("task %s failed (attempt %d of %d); retrying in %ss",
                               func.__name__, attempt, attempts, int(delay.total_seconds()),
                               exc_info=True)
                the_task.using(run_after=timezone.now() + delay).enqueue(
                    *args, **kwargs, **{ATTEMPT_KWARG: attempt + 1})
                raise

        the_task = task(**task_options)(run)
        return the_task

    return decorate
