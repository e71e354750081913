"""The job runtime: one schedule enqueued once per slot, retries with backoff, queue lag."""

import datetime
import io
import logging
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from chapterhouse.jobs import services
from chapterhouse.jobs.schedule import SCHEDULE, Entry
from chapterhouse.jobs.selectors import queue_lag
from tests.jobs import flaky

pytestmark = pytest.mark.django_db
NOON = datetime.datetime(2026, 12, 2, 12, 0, 30, tzinfo=datetime.UTC)


def work_the_queue() -> None:
    """The real worker, in this process, until the queue is empty. It must not close the
    test's connection (PostgreSQL: that would end the test's transaction)."""
    with mock.patch.object(db_worker, "close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "-v", "0",
                     stdout=io.StringIO())


def tasks_named(name: str):
    return DBTaskResult.objects.filter(task_path__endswith=f".{name}")


def test_two_schedulers_in_the_same_minute_enqueue_each_job_once(organization):
    first = services.schedule_enqueue_due(NOON)
    second = services.schedule_enqueue_due(NOON + datetime.timedelta(seconds=20))
    assert set(first) == {"close_polls", "notify_polls", "send_reminders", "purge_stale",
                          "outbox_deliver", "import_invitations", "sweep_leases",
                          "send_digests", "welcome_reminders", "settle_splits",
                          "notify_at_risk"}
    assert second == []
    assert tasks_named("close_polls").count() == 1


def test_the_next_slot_enqueues_again_only_the_jobs_then_due(organization):
    services.schedule_enqueue_due(NOON)
    later = services.schedule_enqueue_due(NOON + datetime.timedelta(minutes=1))
    # notices: every 5 min; purge: daily
    assert set(later) == {"close_polls", "outbox_deliver", "import_invitations", "sweep_leases"}


def test_a_job_whose_module_is_missing_is_skipped_with_a_log_line(organization, caplog):
    services._missing_reported.clear()
    with caplog.at_level(logging.WARNING, logger="chapterhouse.jobs"):
        enqueued = services.schedule_enqueue_due(NOON, schedule=(
            Entry("outbox_deliver_due", datetime.timedelta(minutes=1),
                  "chapterhouse.nowhere.tasks.outbox_deliver_due"),
            *SCHEDULE[:1]))
    assert enqueued == ["close_polls"]
    assert "outbox_deliver_due skipped" in caplog.text


def test_the_scheduled_jobs_run_on_the_worker(organization):
    out = io.StringIO()
    call_command("scheduler", "--once", stdout=out)
    assert "enqueued close_polls" in out.getvalue()
    work_the_queue()
    results = {row.task_path.rsplit(".", 1)[1]: row for row in DBTaskResult.objects.all()}
    assert {name: row.status for name, row in results.items()} == dict.fromkeys(
        ("close_polls", "notify_polls", "send_reminders", "purge_stale", "outbox_deliver",
         "import_invitations_send", "sweep_leases", "send_digests", "welcome_reminders",
         "settle_splits", "notify_at_risk"),
        TaskResultStatus.SUCCESSFUL)
    assert results["close_polls"].return_value == "0 ballot box(es) counted, 0 poll(s) closed"


def test_a_failing_job_is_retried_later_then_succeeds(caplog):
    flaky.failures_left["n"] = 1
    flaky.flaky_job.enqueue("sent")
    with caplog.at_level(logging.WARNING, logger="chapterhouse.jobs"):
        work_the_queue()
    failed, retry = tasks_named("flaky_job").order_by("enqueued_at")
    assert failed.status == TaskResultStatus.FAILED
    assert "the mail server hung up" in failed.traceback
    assert retry.status == TaskResultStatus.READY  # not yet: it waits its backoff
    wait = retry.run_after - timezone.now()
    assert datetime.timedelta(seconds=8) < wait <= datetime.timedelta(seconds=10)
    assert "retrying in 10s" in caplog.text
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    work_the_queue()
    retry.refresh_from_db()
    assert retry.status == TaskResultStatus.SUCCESSFUL
    assert retry.return_value == "sent"


def test_attempts_are_bounded_and_the_last_failure_is_logged_as_an_error(caplog):
    flaky.failures_left["n"] = 10
    flaky.flaky_job.enqueue("never")
    with caplog.at_level(logging.WARNING, logger="chapterhouse.jobs"):
        for _ in range(5):
            DBTaskResult.objects.update(run_after=timezone.now())
            work_the_queue()
    rows = tasks_named("flaky_job")
    assert rows.count() == 3
    assert set(rows.values_list("status", flat=True)) == {TaskResultStatus.FAILED}
    assert "failed for good after 3 attempt(s)" in caplog.text
    assert flaky.failures_left["n"] == 7


def test_queue_lag_is_the_age_of_the_oldest_due_task():
    assert queue_lag() == datetime.timedelta(0)
    flaky.flaky_job.using(run_after=timezone.now() + datetime.timedelta(hours=1)).enqueue("x")
    assert queue_lag() == datetime.timedelta(0)  # deferred work is not late
    waiting = flaky.flaky_job.enqueue("y")
    DBTaskResult.objects.filter(pk=waiting.id).update(
        enqueued_at=timezone.now() - datetime.timedelta(minutes=5))
    lag = queue_lag()
    assert datetime.timedelta(minutes=5) <= lag < datetime.timedelta(minutes=6)


def test_the_scheduler_goes_on_when_the_database_is_away(monkeypatch, caplog):
    from django.db import OperationalError

    from chapterhouse.jobs.management.commands import scheduler

    outcomes = iter([OperationalError("server closed the connection unexpectedly"),
                     ["close_polls"], KeyboardInterrupt()])

    def enqueue_due(now):
        outcome = next(outcomes)
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    monkeypatch.setattr(scheduler, "schedule_enqueue_due", enqueue_due)
    monkeypatch.setattr(scheduler, "close_old_connections", lambda: None)
    monkeypatch.setattr(scheduler.time, "sleep", lambda seconds: None)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(KeyboardInterrupt):  # how the loop ends here: Ctrl-C
        call_command("scheduler", stdout=out, stderr=err)
    assert "could not reach the database" in caplog.text
    assert "enqueued close_polls" in out.getvalue()
