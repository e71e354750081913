"""After a write, the dashboard serves the last figures at once, says they are being updated,
and one background task computes the new ones (goals/snapshot.py, issue 12): no visitor pays
for the recomputation, however many arrive. Only the very first figures are computed by a
request, and by one request only."""

import threading

import pytest
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from chapterhouse.context import context_for
from chapterhouse.goals import snapshot
from chapterhouse.goals.snapshot import measure, measurement_served
from chapterhouse.meetings.services import attendance_record
from chapterhouse.organizations.models import Organization
from tests.conftest import make_qualifying, run_queued_tasks

pytestmark = pytest.mark.django_db


def refresh_tasks():
    return DBTaskResult.objects.filter(task_path__endswith=".measurement_refresh_work")


@pytest.fixture
def counted(monkeypatch):
    """measure() as it is, each call counted."""
    calls = []
    real = snapshot.measure

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(snapshot, "measure", counting)
    return calls


def test_after_a_write_the_last_figures_are_served_marked_and_one_task_queued(
        client, springfield, alice, counted):
    make_qualifying(springfield)
    first = client.get(reverse("dashboard"))
    assert not first.context["figures_stale"]
    assert "being updated" not in first.text
    assert len(counted) == 1  # the very first figures, computed by the request
    before = first.context["measurement"]
    last = springfield.meetings.order_by("-starts_at").first()
    attendance_record(context_for(alice), meeting=last, members=[alice])  # a woman

    responses = [client.get(reverse("dashboard")) for _ in range(20)]
    assert all(r.context["figures_stale"] for r in responses)
    assert all(r.context["measurement"] == before for r in responses)  # at once, the old ones
    assert "being updated" in responses[0].text
    assert len(counted) == 1  # no request computed them
    assert refresh_tasks().count() == 1  # twenty requests, one task


def test_the_task_run_makes_the_next_request_current(client, springfield, alice):
    make_qualifying(springfield)
    assert client.get(reverse("dashboard")).context["measurement"].snapshot.women_share == (
        pytest.approx(2 / 5))
    last = springfield.meetings.order_by("-starts_at").first()
    attendance_record(context_for(alice), meeting=last, members=[alice])
    assert client.get(reverse("dashboard")).context["figures_stale"]

    run_queued_tasks()

    response = client.get(reverse("dashboard"))
    assert not response.context["figures_stale"]
    assert "being updated" not in response.text
    measurement = response.context["measurement"]
    assert measurement.snapshot.women_share == pytest.approx(7 / 16)
    assert measurement == measure(Organization.objects.current())
    assert refresh_tasks().get().status == "SUCCESSFUL"
    # A later write queues a new task (the first one let go of its lock).
    attendance_record(context_for(alice), meeting=last, members=[])
    assert client.get(reverse("dashboard")).context["figures_stale"]
    assert refresh_tasks().count() == 2


def test_while_another_request_computes_the_first_figures_the_others_do_not(
        client, springfield, counted, monkeypatch):
    organization = Organization.objects.current()
    monkeypatch.setattr(snapshot, "FIRST_WAIT_SECONDS", 0.05)
    from django.core.cache import cache
    assert cache.add(snapshot.first_lock_key(organization), 1, 60)  # another request at it
    for _ in range(20):
        response = client.get(reverse("dashboard"))
        assert response.status_code == 200
        assert "The figures are being computed" in response.text
    assert counted == []
    assert refresh_tasks().count() == 0


LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                           "LOCATION": "figures-threads"}}


@override_settings(CACHES=LOCAL_CACHE)
def test_twenty_simultaneous_first_requests_compute_the_figures_once(springfield, monkeypatch):
    """Twenty threads ask for the figures of an empty cache at once: one computes them
    (slowly), the others wait for its result. measure() is replaced so that the threads need
    no database (the test's transaction is not theirs to see)."""
    organization = Organization.objects.current()
    real = measure(organization)
    calls, started = [], threading.Barrier(20)

    def slow_measure(*args, **kwargs):
        calls.append(1)
        threading.Event().wait(0.5)  # long enough for every thread to find the lock taken
        return real

    monkeypatch.setattr(snapshot, "measure", slow_measure)
    served = []

    def ask():
        started.wait()
        served.append(measurement_served(organization))

    threads = [threading.Thread(target=ask) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    assert len(served) == 20
    assert all(s is not None and s.measurement == real and not s.stale for s in served)
