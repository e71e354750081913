"""A task that fails a set number of times, for the retry tests (tasks must be module-level)."""

from datetime import timedelta

from chapterhouse.jobs.retries import task_with_retries

failures_left = {"n": 0}


@task_with_retries(attempts=3, first_delay=timedelta(seconds=10))
def flaky_job(word: str) -> str:
    if failures_left["n"] > 0:
        failures_left["n"] -= 1
        raise ConnectionError("the mail server hung up")
    return word
