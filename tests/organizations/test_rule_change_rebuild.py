"""Staff change the qualification rule in the admin (issue 12, item 4): the request returns
without rebuilding every chapter's stored months; a task does, and says how far it has come;
meanwhile verdicts are recomputed from attendance; a worker stopped halfway leaves every
chapter whole, and running the task again (or the sweep re-enqueueing it) finishes the rest."""

from __future__ import annotations

import datetime
import io
import json
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from chapterhouse.chapters.models import Chapter
from chapterhouse.jobs.services import leases_sweep
from chapterhouse.meetings import months
from chapterhouse.meetings.models import ChapterMonth
from chapterhouse.organizations.models import Organization
from chapterhouse.verdicts.selectors import chapter_verdicts, chapter_verdicts_recomputed
from tests.conftest import (
    NEW_YORK,
    VIENNA,
    client_for,
    make_chapter,
    make_member,
    make_qualifying,
)

pytestmark = pytest.mark.django_db
ON = datetime.date(2014, 2, 1)


@pytest.fixture(autouse=True)
def no_heartbeat():
    cache.delete(months.REBUILD_ALIVE_KEY)
    yield
    cache.delete(months.REBUILD_ALIVE_KEY)


@pytest.fixture
def staff_client(client, organization):
    """A superuser past the second factor: who edits the organization in the admin."""
    return client_for(client, make_member("root@example.org", "Root", is_staff=True,
                                          is_superuser=True))


@pytest.fixture
def chapters(organization):
    made = [make_chapter(f"Chapter {i}", NEW_YORK if i % 2 else VIENNA) for i in range(4)]
    for chapter in made:
        make_qualifying(chapter, ON)
    assert ChapterMonth.objects.exists()
    return made


def form_data(organization: Organization, **changes) -> dict:
    data = {
        "name": organization.name, "founded_on": organization.founded_on.isoformat(),
        "dashboard_public": "on" if organization.dashboard_public else "",
        "figures_as_of": organization.figures_as_of.isoformat()
        if organization.figures_as_of else "",
        "min_attendees": organization.min_attendees,
        "min_women_share": organization.min_women_share * 100,  # typed as a percentage
        "qualifying_months": organization.qualifying_months,
        "counted_genders": json.dumps(organization.counted_genders),
        "at_risk_days": organization.at_risk_days,
    }
    return {k: v for k, v in {**data, **changes}.items() if v != ""}


def rebuild_tasks():
    return DBTaskResult.objects.filter(task_path__endswith=".chapter_months_rebuild_work")


def work_the_queue() -> None:
    """The real worker, in this process, until the queue is empty (see tests/jobs)."""
    with mock.patch.object(db_worker, "close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "-v", "0",
                     stdout=io.StringIO())


def keys_by_chapter() -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for chapter_id, key in ChapterMonth.objects.values_list("chapter_id", "rule_key"):
        found.setdefault(chapter_id, set()).add(key)
    return found


def test_changing_the_rule_in_the_admin_queues_the_rebuild_and_says_so(
        staff_client, chapters, django_capture_on_commit_callbacks):
    organization = Organization.objects.current()
    old_key = months.rule_key(organization.rule)
    url = reverse("admin:organizations_organization_change", args=[organization.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, form_data(organization, min_attendees=3),
                                     follow=True)
    assert response.status_code == 200
    assert "every chapter’s verdict is being recomputed in the background" in (
        response.text.replace("&#x27;", "’").replace("'", "’"))
    # Not rebuilt in the request: every stored month still holds for the old rule ...
    assert set(ChapterMonth.objects.values_list("rule_key", flat=True)) == {old_key}
    assert rebuild_tasks().count() == 1
    # ... and meanwhile no page shows one: verdicts are recomputed from attendance.
    organization.refresh_from_db()
    rule = organization.rule
    assert chapter_verdicts(chapters, rule=rule, on=ON) == chapter_verdicts_recomputed(
        chapters, rule=rule, on=ON)
    page = staff_client.get(url).text
    assert f"Being recomputed for this rule: 0 of {len(chapters)} chapters done" in page

    work_the_queue()
    assert rebuild_tasks().get().status == TaskResultStatus.SUCCESSFUL
    new_key = months.rule_key(rule)
    assert set(ChapterMonth.objects.values_list("rule_key", flat=True)) == {new_key}
    assert chapter_verdicts(chapters, rule=rule, on=ON) == chapter_verdicts_recomputed(
        chapters, rule=rule, on=ON)
    assert "Up to date for this rule." in staff_client.get(url).text


def test_other_changes_queue_nothing(staff_client, chapters, django_capture_on_commit_callbacks):
    organization = Organization.objects.current()
    url = reverse("admin:organizations_organization_change", args=[organization.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, form_data(organization, name="Renamed"), follow=True)
    assert "being recomputed" not in response.text
    assert not rebuild_tasks().exists()


def test_a_worker_stopped_halfway_leaves_every_chapter_whole_and_a_rerun_finishes(
        chapters, monkeypatch):
    organization = Organization.objects.current()
    organization.min_attendees = 3
    with months.months_rebuild_queued():  # as the admin saves it: nothing rebuilt yet
        organization.save()
    rule = organization.rule
    stale_before = months.chapter_months_progress(rule)
    assert stale_before.stale == len(chapters)

    monkeypatch.setattr(months, "REBUILD_BATCH", 1)
    real_refresh = months.chapter_months_refresh
    calls = {"n": 0}

    def dies_on_the_third_batch(ids, *, rule=None):
        calls["n"] += 1
        if calls["n"] == 3:
            real_refresh(ids, rule=rule)  # its rows are written ... then the worker dies
            raise SystemExit("killed")
        return real_refresh(ids, rule=rule)

    monkeypatch.setattr(months, "chapter_months_refresh", dies_on_the_third_batch)
    with pytest.raises(SystemExit):
        months.chapter_months_rebuild_stale(rule=rule)
    # Two chapters rebuilt; the third's batch rolled back with its transaction; none mixed.
    assert all(len(keys) == 1 for keys in keys_by_chapter().values())
    assert months.chapter_months_progress(rule).done == 2
    assert chapter_verdicts(chapters, rule=rule, on=ON) == chapter_verdicts_recomputed(
        chapters, rule=rule, on=ON)

    monkeypatch.setattr(months, "chapter_months_refresh", real_refresh)
    assert months.chapter_months_rebuild_stale(rule=rule)[0] == len(chapters) - 2
    assert months.chapter_months_progress(rule).stale == 0
    rebuilt = sorted(ChapterMonth.objects.values_list("chapter_id", "month", "rule_key", "run"))
    months.chapter_months_rebuild(rule=rule)  # the same as rebuilding everything at once
    assert rebuilt == sorted(ChapterMonth.objects.values_list("chapter_id", "month",
                                                              "rule_key", "run"))


def test_the_sweep_queues_a_rebuild_left_unfinished_once(
        chapters, django_capture_on_commit_callbacks):
    organization = Organization.objects.current()
    organization.min_attendees = 3
    with months.months_rebuild_queued():
        organization.save()
    cache.delete(months.REBUILD_ALIVE_KEY)  # its worker stopped: no heartbeat any more
    with django_capture_on_commit_callbacks(execute=True):
        said = leases_sweep(now=datetime.datetime.now(datetime.UTC))
        again = leases_sweep(now=datetime.datetime.now(datetime.UTC))  # the new one is alive
    assert said.endswith("verdicts rebuild queued again")
    assert "verdicts" not in again
    assert rebuild_tasks().count() == 1
    work_the_queue()
    assert months.chapter_months_progress(organization.rule).stale == 0
    assert "verdicts" not in leases_sweep(now=datetime.datetime.now(datetime.UTC))


def test_saving_the_rule_outside_a_request_still_rebuilds_at_once(chapters):
    organization = Organization.objects.current()
    organization.min_attendees = 3
    organization.save()
    assert months.chapter_months_progress(organization.rule).stale == 0
    assert Chapter.objects.count() == len(chapters)
