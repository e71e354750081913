"""Planner runs hold a lease: a run whose worker stopped is taken again, then failed after the
last attempt, and its page stops refreshing; no run stays "running"."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from chapterhouse.context import context_for
from chapterhouse.planner import services
from chapterhouse.planner.models import PlanRun, RunStatus
from tests.conftest import make_organizer

pytestmark = pytest.mark.django_db
LONG_AGO = datetime.timedelta(minutes=5)


@pytest.fixture
def organizer_client(client, alice):
    make_organizer(alice)
    client.force_login(alice)
    return client


@pytest.fixture
def queued_run(organization, olivia, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(services, "INLINE_LIMIT", -1)  # every run goes to the worker
    make_organizer(olivia)
    with django_capture_on_commit_callbacks(execute=True):
        return services.plan_run_request(context_for(olivia), radius_km=25, min_size=5)


def running_since(run: PlanRun, ago: datetime.timedelta, attempts: int) -> PlanRun:
    """As a worker left it when it was killed: running, lease ended `ago`."""
    PlanRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, attempts=attempts, claimed_until=timezone.now() - ago)
    return PlanRun.objects.get(pk=run.pk)


def plan_tasks():
    return DBTaskResult.objects.filter(task_path__endswith=".plan_run_work")


def test_a_queued_run_is_a_task_the_worker_runs(queued_run):
    assert queued_run.status == RunStatus.QUEUED
    assert plan_tasks().count() == 1
    assert services.plan_run_work.call(queued_run.pk) == RunStatus.DONE
    queued_run.refresh_from_db()
    assert (queued_run.status, queued_run.attempts, queued_run.claimed_until) == (
        RunStatus.DONE, 1, None)
    assert services.plan_run_work.call(queued_run.pk) == "not claimed"  # a duplicate is harmless


def test_a_run_whose_lease_ended_is_queued_again_for_a_new_attempt(
        queued_run, django_capture_on_commit_callbacks):
    running_since(queued_run, LONG_AGO, attempts=1)
    with django_capture_on_commit_callbacks(execute=True):
        recovered = services.plan_runs_recover(now=timezone.now())
    assert (recovered.requeued, recovered.failed) == (1, 0)
    queued_run.refresh_from_db()
    assert queued_run.status == RunStatus.QUEUED
    assert queued_run.message == "The worker stopped; trying again (attempt 2 of 3)."
    assert plan_tasks().count() == 2
    services.plan_run_work.call(queued_run.pk)
    queued_run.refresh_from_db()
    assert (queued_run.status, queued_run.attempts) == (RunStatus.DONE, 2)


def test_after_the_last_attempt_the_run_fails_saying_the_worker_stopped(queued_run):
    running_since(queued_run, LONG_AGO, attempts=3)
    assert services.plan_runs_recover(now=timezone.now()).failed == 1
    queued_run.refresh_from_db()
    assert queued_run.status == RunStatus.FAILED
    assert queued_run.message == (
        "The worker running this plan stopped before it finished (3 attempts).")
    assert services.plan_runs_recover(now=timezone.now()).failed == 0


def test_a_run_left_running_from_before_leases_is_recovered(queued_run):
    PlanRun.objects.filter(pk=queued_run.pk).update(status=RunStatus.RUNNING, attempts=0,
                                                    claimed_until=None)
    assert services.plan_runs_recover(now=timezone.now()).requeued == 1


def test_a_live_lease_is_left_alone(queued_run):
    running_since(queued_run, -LONG_AGO, attempts=1)  # lease ends in the future
    assert services.plan_runs_recover(now=timezone.now()) == services.Recovered(requeued=0,
                                                                                failed=0)


def test_an_attempt_taken_over_stops_and_writes_nothing(queued_run, settings):
    settings.PLANNER_SLOW_SECONDS = 1.5  # long enough for one heartbeat
    assert services.plan_run_claim(run=queued_run)
    PlanRun.objects.filter(pk=queued_run.pk).update(attempts=2)  # the sweep gave it to another
    services.plan_run_execute(context_for(), run=queued_run)
    queued_run.refresh_from_db()
    assert (queued_run.status, queued_run.attempts, queued_run.result) == (
        RunStatus.RUNNING, 2, None)


def test_progress_renews_the_lease(queued_run, settings):
    settings.PLANNER_SLOW_SECONDS = 1.5
    settings.PLANNER_LEASE_SECONDS = 600
    assert services.plan_run_claim(run=queued_run)
    PlanRun.objects.filter(pk=queued_run.pk).update(claimed_until=timezone.now())
    tick = services._progress(queued_run)
    services._slow_on_purpose(tick)
    queued_run.refresh_from_db()
    assert queued_run.claimed_until > timezone.now() + datetime.timedelta(minutes=9)


def test_the_page_of_a_run_whose_worker_stopped_stops_refreshing(organizer_client, queued_run):
    client = organizer_client
    running_since(queued_run, -LONG_AGO, attempts=1)
    page = client.get(reverse("planner")).content.decode()
    assert 'http-equiv="refresh"' in page
    running_since(queued_run, LONG_AGO, attempts=1)
    page = client.get(reverse("planner")).content.decode()
    assert 'http-equiv="refresh"' not in page
    assert "The worker running this plan stopped before it finished." in page


def test_the_page_of_a_run_no_worker_took_stops_refreshing(organizer_client, queued_run):
    client = organizer_client
    PlanRun.objects.filter(pk=queued_run.pk).update(claimed_until=timezone.now() - LONG_AGO)
    page = client.get(reverse("planner")).content.decode()
    assert 'http-equiv="refresh"' not in page
    assert "No worker has taken this plan yet" in page
