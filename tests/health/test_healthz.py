"""/healthz (issue 10): a monitor learns whether the database, the cache and the task queue
work, without logging in; 503 names the part that fails."""

from __future__ import annotations

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

UNREACHABLE_REDIS = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                 "LOCATION": "redis://127.0.0.1:1/0"}}


def waiting_task(due_since: datetime.datetime, run_after: datetime.datetime | None = None):
    task = DBTaskResult.objects.create(
        task_path="chapterhouse.example.task", args_kwargs={"args": [], "kwargs": {}},
        backend_name="default", queue_name="default", run_after=run_after or get_date_max())
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=due_since)
    return task


@pytest.mark.django_db
def test_a_working_install_answers_ok_to_anyone(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["failing"] == []
    assert {name for name, check in body["checks"].items() if check["ok"]} == {
        "database", "cache", "queue"}
    assert body["checks"]["queue"]["lag_seconds"] == 0
    assert "no-cache" in response["Cache-Control"]  # never an old answer from a proxy


@pytest.mark.django_db
def test_a_broken_cache_gives_503_naming_the_cache(client):
    with override_settings(CACHES=UNREACHABLE_REDIS):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["cache"]


@pytest.mark.django_db
def test_a_lagging_queue_gives_503_with_its_lag(client, settings):
    settings.HEALTHZ_MAX_QUEUE_LAG = 300
    waiting_task(timezone.now() - datetime.timedelta(minutes=10))
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["queue"]
    assert 600 <= body["checks"]["queue"]["lag_seconds"] < 700


@pytest.mark.django_db
def test_tasks_scheduled_for_later_or_already_started_are_not_lag(client):
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    waiting_task(long_ago, run_after=timezone.now() + datetime.timedelta(hours=1))
    started = waiting_task(long_ago)
    DBTaskResult.objects.filter(pk=started.pk).update(status="RUNNING", started_at=long_ago)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["queue"]["lag_seconds"] == 0


@pytest.mark.django_db
def test_a_task_scheduled_earlier_counts_from_when_it_was_due(client):
    waiting_task(timezone.now() - datetime.timedelta(hours=2),
                 run_after=timezone.now() - datetime.timedelta(seconds=90))
    lag = client.get("/healthz").json()["checks"]["queue"]["lag_seconds"]
    assert 90 <= lag < 150


@pytest.mark.django_db
def test_it_answers_over_plain_http_behind_an_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301
