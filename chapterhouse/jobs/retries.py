"""Retries with backoff for django-tasks tasks (its database backend has none of its own)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task

logger = logging.getLogger("chapterhouse.jobs")

ATTEMPT_KWARG = "_attempt"

T = TypeVar("T")


def retry_delay(attempt: int, first: timedelta, longest: timedelta) -> timedelta:
    """The wait before attempt `attempt + 1`: `first`, doubled each time, at most `longest`."""
    delay: timedelta = min(first * 2 ** (attempt - 1), longest)
    return delay


def task_with_retries(*, attempts: int = 5, first_delay: timedelta = timedelta(seconds=30),
                      longest_delay: timedelta = timedelta(hours=1),
                      **task_options: Any) -> Callable[[Callable[..., T]], Task[..., T]]:
    """`@task`, plus: an attempt that raises is logged and enqueued again after a growing
    delay, up to `attempts` in all; the last failure is logged as an error. The failed
    attempt's own result still records its traceback (status FAILED)."""

    def decorate(func: Callable[..., T]) -> Task[..., T]:
        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> T:
            attempt = kwargs.pop(ATTEMPT_KWARG, 1)
            logger.info("task %s started (attempt %d)", func.__name__, attempt)
            try:
                result = func(*args, **kwargs)
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
            # The periodic jobs return counts ("3 poll(s) closed"), never names.
            logger.info("task %s finished: %s", func.__name__, result)
            return result

        the_task: Task[..., T] = task(**task_options)(run)
        return the_task

    return decorate
